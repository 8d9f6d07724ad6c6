/**
 * Checklist 18: Bolna signs no webhook, so its final statuses end a call only
 * once the provider's own record (GET /executions/{id}) agrees; a forged one
 * (a leaked path token) changes nothing but the campaign's error log. Real
 * PostgreSQL, a provider stub whose records the tests set, fake clocks.
 */
import { and, eq, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { confirmFinalStatuses } from '../../../src/lib/calls/confirm-final-statuses';
import { runDispatchCycle } from '../../../src/lib/calls/dispatch/cycle';
import { confirmsFinalStatuses } from '../../../src/lib/calls/providers/confirmation';
import type { BolnaStatus, ExecutionSnapshot } from '../../../src/lib/calls/providers/types';
import { recordCallEvent } from '../../../src/lib/calls/record-call-event';
import { getCampaign } from '../../../src/lib/campaigns/get-campaign';
import { CALL_PROVIDERS, callConfirmations, campaignErrorLogs } from '../../../src/lib/db/schema';
import { withTenant } from '../../../src/lib/db/tenant';
import {
  idleCallSystem,
  makeCallerCampaign,
  manualProvider,
  queueRowsOf,
  setSystemCallLimit,
  slotsInFlight,
} from '../../factories/campaigns';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase({ max: 12 });
const NOON = new Date('2026-06-10T12:00:00Z');
const minutesAfter = (at: Date, minutes: number) => new Date(at.getTime() + minutes * 60_000);

/** A Bolna campaign of `contacts` calls, dialled at NOON through a provider stub. */
async function dialledOnBolna(contacts = 1) {
  const { tenant, user, campaign } = await makeCallerCampaign(t.db, {
    contacts,
    limit: contacts,
    at: NOON,
    campaign: { provider: 'bolna', maxAttempts: 3 },
  });
  const stub = manualProvider();
  await runDispatchCycle({ db: t.db, sql: t.sql, providerFor: stub.providerFor, now: () => NOON });
  const executionIds = stub.dialled.map((d) => d.executionId);
  return { tenant, user, campaign, stub, executionIds };
}

const post = (tenantId: string, id: string, status: BolnaStatus) =>
  recordCallEvent(t.db, tenantId, 'bolna', { id, status, conversation_duration: 42 }, NOON);

const record = (executionId: string, status: BolnaStatus): ExecutionSnapshot => ({
  executionId,
  status,
  durationSeconds: 42,
  raw: { id: executionId, status },
});

/**
 * Confirmations are queued at the database's clock, in microseconds: a sweep
 * at `new Date()` (milliseconds) could land just before them.
 */
const justAfter = () => new Date(Date.now() + 1_000);

/** One worker's sweep at `at`. */
function sweep(stub: ReturnType<typeof manualProvider>, at: Date) {
  return confirmFinalStatuses(t.db, t.sql, stub.providerFor, () => at, {
    limit: 50,
    concurrency: 4,
  });
}

const waiting = (tenantId: string) =>
  withTenant(t.db, tenantId, (tx) =>
    tx.select().from(callConfirmations).where(eq(callConfirmations.tenantId, tenantId)),
  );

beforeEach(async () => {
  await idleCallSystem(t.db);
  await setSystemCallLimit(t.db, 100);
});

describe('final statuses from Bolna', () => {
  it('wait for the provider: the call keeps its slot until GET /executions agrees, then ends as it says', async () => {
    const { tenant, user, campaign, stub, executionIds } = await dialledOnBolna();
    const [id = ''] = executionIds;
    expect(await post(tenant.id, id, 'completed')).toEqual({
      ok: true,
      data: { duplicate: false, applied: 'confirming' },
    });
    expect((await queueRowsOf(t.db, tenant.id, campaign.id))[0]?.status).toBe('in_progress');
    expect((await slotsInFlight(t.db))[user.id]).toBe(1);
    expect(await waiting(tenant.id)).toHaveLength(1);

    stub.records.set(id, record(id, 'completed'));
    expect(await sweep(stub, justAfter())).toEqual({
      confirmed: 1,
      rejected: 0,
      retryLater: 0,
      gone: 0,
    });
    expect((await queueRowsOf(t.db, tenant.id, campaign.id))[0]).toMatchObject({
      status: 'completed',
      outcome: 'completed',
      durationSeconds: 42,
    });
    expect((await slotsInFlight(t.db))[user.id]).toBe(0);
    expect(await waiting(tenant.id)).toEqual([]);
    const after = await getCampaign(t.db, tenant.id, campaign.id);
    expect(after.ok && after.data.status).toBe('completed');
  });

  it('are refused when the provider has no such call: nothing changes but the error log', async () => {
    const { tenant, user, campaign, stub, executionIds } = await dialledOnBolna();
    const [id = ''] = executionIds;
    await post(tenant.id, id, 'completed');
    expect(await sweep(stub, justAfter())).toEqual({
      confirmed: 0,
      rejected: 1,
      retryLater: 0,
      gone: 0,
    });
    expect((await queueRowsOf(t.db, tenant.id, campaign.id))[0]?.status).toBe('in_progress');
    expect((await slotsInFlight(t.db))[user.id]).toBe(1);
    expect(await waiting(tenant.id)).toEqual([]);
    const logged = await withTenant(t.db, tenant.id, (tx) =>
      tx
        .select()
        .from(campaignErrorLogs)
        .where(
          and(
            eq(campaignErrorLogs.tenantId, tenant.id),
            eq(campaignErrorLogs.category, 'unconfirmed_status'),
          ),
        ),
    );
    expect(logged.map((l) => l.message)).toEqual([
      'A webhook reported "completed" but the provider has no such call: the call was left as it was.',
    ]);
  });

  it('reported while the provider still shows the call live are asked again, then refused', async () => {
    const { tenant, campaign, stub, executionIds } = await dialledOnBolna();
    const [id = ''] = executionIds;
    stub.records.set(id, record(id, 'in-progress'));
    await post(tenant.id, id, 'completed');
    let at = justAfter();
    const outcomes = [];
    for (let i = 0; i < 4; i++) {
      outcomes.push(await sweep(stub, at));
      at = minutesAfter(at, 10);
    }
    expect(
      outcomes.map((o) => (o.retryLater ? 'later' : o.rejected ? 'refused' : 'other')),
    ).toEqual(['later', 'later', 'later', 'refused']);
    expect((await queueRowsOf(t.db, tenant.id, campaign.id))[0]?.status).toBe('in_progress');
  });

  it('are looked up again after a backoff when the lookup fails, and nothing changes meanwhile', async () => {
    const { tenant, campaign, stub, executionIds } = await dialledOnBolna();
    const [id = ''] = executionIds;
    stub.records.set(id, 'fail');
    await post(tenant.id, id, 'completed');
    expect(await sweep(stub, justAfter())).toMatchObject({ retryLater: 1 });
    expect(await sweep(stub, justAfter())).toEqual({
      confirmed: 0,
      rejected: 0,
      retryLater: 0,
      gone: 0,
    });
    expect(stub.lookups).toEqual([id]);
    stub.records.set(id, record(id, 'completed'));
    expect(await sweep(stub, minutesAfter(justAfter(), 1))).toMatchObject({ confirmed: 1 });
    expect((await queueRowsOf(t.db, tenant.id, campaign.id))[0]?.status).toBe('completed');
  });

  it('cannot pause a campaign with a forged balance-low; a confirmed one does', async () => {
    const { tenant, campaign, stub, executionIds } = await dialledOnBolna(2);
    const [forged = '', real = ''] = executionIds;
    await post(tenant.id, forged, 'balance-low');
    stub.records.set(forged, record(forged, 'in-progress'));
    let campaignNow = await getCampaign(t.db, tenant.id, campaign.id);
    expect(campaignNow.ok && campaignNow.data.status).toBe('running');

    await post(tenant.id, real, 'balance-low');
    stub.records.set(real, record(real, 'balance-low'));
    expect(await sweep(stub, justAfter())).toMatchObject({ confirmed: 1, retryLater: 1 });
    campaignNow = await getCampaign(t.db, tenant.id, campaign.id);
    expect(campaignNow.ok && campaignNow.data.status).toBe('paused');
    const rows = await queueRowsOf(t.db, tenant.id, campaign.id);
    expect(rows.map((r) => [r.providerCallId, r.status])).toEqual(
      expect.arrayContaining([
        [real, 'failed'],
        [forged, 'in_progress'],
      ]),
    );
  });

  it('that retry (no-answer) are confirmed too, then queued again', async () => {
    const { tenant, campaign, stub, executionIds } = await dialledOnBolna();
    const [id = ''] = executionIds;
    expect(await post(tenant.id, id, 'no-answer')).toMatchObject({
      data: { applied: 'confirming' },
    });
    stub.records.set(id, record(id, 'no-answer'));
    expect(await sweep(stub, justAfter())).toMatchObject({ confirmed: 1 });
    expect((await queueRowsOf(t.db, tenant.id, campaign.id))[0]).toMatchObject({
      status: 'queued',
      outcome: 'no_answer',
    });
  });

  it('are looked up once however many workers sweep at the same time', async () => {
    const { tenant, stub, executionIds } = await dialledOnBolna(6);
    for (const id of executionIds) {
      stub.records.set(id, record(id, 'completed'));
      await post(tenant.id, id, 'completed');
    }
    const summaries = await Promise.all([
      sweep(stub, justAfter()),
      sweep(stub, justAfter()),
      sweep(stub, justAfter()),
    ]);
    expect(summaries.reduce((n, s) => n + s.confirmed, 0)).toBe(6);
    expect([...stub.lookups].sort()).toEqual([...executionIds].sort());
  });

  it('need no confirmation from the simulator, and SQL and TypeScript agree on which providers do', async () => {
    for (const provider of CALL_PROVIDERS) {
      const [row] = await t.db.execute<{ confirms: boolean }>(
        sql`select provider_confirms_final_statuses(${provider}) as confirms`,
      );
      expect(row?.confirms).toBe(confirmsFinalStatuses(provider));
    }
    expect(confirmsFinalStatuses('simulated')).toBe(false);
    expect(confirmsFinalStatuses('bolna')).toBe(true);
  });
});
