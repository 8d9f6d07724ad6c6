/**
 * Checklist 13–14 at the process level: the real worker (worker/index.ts) is
 * SIGKILLed while the provider holds its dial requests — the provider has
 * accepted the calls, the worker has recorded nothing. A new worker must find
 * those calls through the provider (the executions listing, by the reference
 * each dial carried) and record them, never dialling them again; the slots
 * they hold are released when they end. The provider is a fake Bolna API on
 * this process, so it outlives the worker.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { CALL_REF_KEY } from '../../src/lib/calls/providers/types';
import { recordCallEvent } from '../../src/lib/calls/record-call-event';
import { callCampaigns, callQueue } from '../../src/lib/db/schema';
import { withTenant } from '../../src/lib/db/tenant';
import {
  idleCallSystem,
  makeCallerCampaign,
  setSystemCallLimit,
  slotsInFlight,
} from '../factories/campaigns';
import { useTestDatabase } from '../helpers/db';
import { type FakeBolna, startFakeBolna } from '../helpers/fake-bolna';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process';

const t = useTestDatabase();
const AGENT = 'agent-sigkill';

async function until<T>(what: string, probe: () => Promise<T | null | false>, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a worker killed mid-dispatch', () => {
  let bolna: FakeBolna | undefined;
  const workers: WorkerProcess[] = [];
  afterAll(async () => {
    for (const worker of workers) await worker.stop('SIGKILL');
    await bolna?.close();
  });

  it('is succeeded by one that records the accepted calls from the provider, dials none twice, and frees their slots', async () => {
    bolna = await startFakeBolna({ agents: [AGENT], hold: true });
    const env = {
      BOLNA_API_URL: bolna.url,
      BOLNA_API_KEY: 'bn-test-key-sigkill',
      DISPATCH_LEASE_SECONDS: '2',
    };
    await idleCallSystem(t.db);
    await setSystemCallLimit(t.db, 10);
    const { tenant, user, campaign } = await makeCallerCampaign(t.db, {
      contacts: 3,
      limit: 3,
      campaign: { provider: 'bolna', agentId: AGENT, useContactTimezone: false },
    });
    const rows = () =>
      withTenant(t.db, tenant.id, (tx) =>
        tx
          .select()
          .from(callQueue)
          .where(and(eq(callQueue.tenantId, tenant.id), eq(callQueue.campaignId, campaign.id))),
      );

    const first = startWorkerProcess(t.url, env);
    workers.push(first);
    const fake = bolna;
    await until('three dials held by the provider', async () => fake.heldCount() === 3, 45_000);
    expect((await rows()).map((r) => r.status)).toEqual([
      'dispatching',
      'dispatching',
      'dispatching',
    ]);
    await first.stop('SIGKILL');
    expect((await slotsInFlight(t.db))[user.id]).toBe(3);

    bolna.answerAtOnce();
    const second = startWorkerProcess(t.url, env);
    workers.push(second);
    // Lease (2 s) + a sweep (every 1 s) + start-up: within 30 s.
    const dialled = await until('the accepted calls recorded as in progress', async () => {
      const now = await rows();
      return now.every((r) => r.status === 'in_progress') && now;
    });
    expect(bolna.executions).toHaveLength(3);
    const refs = bolna.executions.map((e) => String(e.user_data[CALL_REF_KEY]));
    expect(new Set(refs).size).toBe(3);
    // Bolna must not retry on its own (checklist 14): our queue decides retries.
    expect(bolna.bodies.filter((b) => 'retry_config' in b)).toEqual([]);
    expect(dialled.map((r) => r.providerCallId).sort()).toEqual(['exec-1', 'exec-2', 'exec-3']);
    expect(dialled.every((r) => r.attempt === 1)).toBe(true);

    for (const execution of bolna.executions) {
      execution.status = 'completed'; // Bolna's own record, as its webhook says
      const ended = await recordCallEvent(t.db, tenant.id, 'bolna', {
        id: execution.id,
        status: 'completed',
        agent_id: AGENT,
        conversation_duration: 30,
      });
      // Bolna signs nothing: the worker ends the call once GET /executions/{id} agrees (checklist 18).
      expect(ended).toMatchObject({ ok: true, data: { applied: 'confirming' } });
    }
    await until('the worker confirmed the final statuses with the provider', async () =>
      (await rows()).every((r) => r.status === 'completed'),
    );
    expect((await slotsInFlight(t.db))[user.id]).toBe(0);
    const [after] = await withTenant(t.db, tenant.id, (tx) =>
      tx.select().from(callCampaigns).where(eq(callCampaigns.id, campaign.id)),
    );
    expect(after?.status).toBe('completed');
    // Still three dials in all: the second worker dialled nothing again.
    await new Promise((r) => setTimeout(r, 500));
    expect(bolna.executions).toHaveLength(3);
    expect(await second.stop('SIGTERM')).toBe(0);
    expect(second.output()).toContain('recovered calls');
    expect(second.output()).toContain('confirmed final statuses');
  }, 90_000);
});
