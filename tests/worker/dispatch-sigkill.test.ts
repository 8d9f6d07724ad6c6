/**
 * Checklist 13–14 at the process level: the real worker (worker/index.ts) is
 * SIGKILLed while the provider holds its dial requests — the provider has
 * accepted the calls, the worker has recorded nothing. A new worker must find
 * those calls through the provider (the executions listing, by the reference
 * each dial carried) and record them, never dialling them again; the slots
 * they hold are released when they end. The provider is a fake Bolna API on
 * this process, so it outlives the worker.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALL_REF_KEY } from '../../src/lib/calls/providers/types';
import { recordCallEvent } from '../../src/lib/calls/record-call-event';
import { callCampaigns, callQueue } from '../../src/lib/db/schema';
import { withTenant } from '../../src/lib/db/tenant';
import { makeTenant } from '../factories';
import {
  idleCallSystem,
  makeCaller,
  makeCampaign,
  setSystemCallLimit,
  slotsInFlight,
} from '../factories/campaigns';
import { makeContacts, uniquePhone } from '../factories/contacts';
import { useTestDatabase } from '../helpers/db';

const t = useTestDatabase();
const root = resolve(import.meta.dirname, '../..');
const AGENT = 'agent-sigkill';
const LEASE_SECONDS = 2;

interface FakeExecution {
  id: string;
  status: string;
  agent_id: string;
  user_data: Record<string, unknown>;
  created_at: string;
}

/** Bolna's POST /call (answers held until released), GET /executions/:id and the agent listing. */
function fakeBolna() {
  const executions: FakeExecution[] = [];
  const bodies: Record<string, unknown>[] = [];
  const held: ServerResponse[] = [];
  let holding = true;
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'POST' && url.pathname === '/call') {
      let text = '';
      for await (const chunk of req) text += chunk;
      const body = JSON.parse(text) as { agent_id: string; user_data: Record<string, unknown> };
      bodies.push(body);
      const execution: FakeExecution = {
        id: `exec-${executions.length + 1}`,
        status: 'queued',
        agent_id: body.agent_id,
        user_data: body.user_data,
        created_at: new Date().toISOString(),
      };
      executions.push(execution);
      const answer = () =>
        json(200, { message: 'done', status: 'queued', execution_id: execution.id });
      if (holding) held.push(res);
      else answer();
      return;
    }
    const one = /^\/executions\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && one) {
      const found = executions.find((e) => e.id === one[1]);
      return found ? json(200, found) : json(404, { message: 'not found' });
    }
    if (req.method === 'GET' && url.pathname === `/v2/agent/${AGENT}/executions`) {
      return json(200, { data: executions, has_more: false });
    }
    json(404, { message: 'no such route' });
  });
  return {
    server,
    executions,
    bodies,
    heldCount: () => held.length,
    /** From now on, dials are answered at once. */
    answerAtOnce: () => {
      holding = false;
    },
  };
}

function startWorker(bolnaUrl: string): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/index.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: t.url,
      BOLNA_API_URL: bolnaUrl,
      BOLNA_API_KEY: 'bn-test-key-sigkill',
      DISPATCH_LEASE_SECONDS: String(LEASE_SECONDS),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  return { child, output: () => output };
}

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
  const bolna = fakeBolna();
  let url = '';
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    await new Promise<void>((done) => bolna.server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(bolna.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    bolna.server.closeAllConnections();
    await new Promise((done) => bolna.server.close(done));
  });

  it('is succeeded by one that records the accepted calls from the provider, dials none twice, and frees their slots', async () => {
    await idleCallSystem(t.db);
    await setSystemCallLimit(t.db, 10);
    const tenant = await makeTenant(t.db);
    const user = await makeCaller(t.db, tenant, 3);
    const people = await makeContacts(
      t.db,
      tenant.id,
      Array.from({ length: 3 }, (_, i) => ({ name: `K ${i}`, phoneE164: uniquePhone() })),
    );
    const campaign = await makeCampaign(t.db, tenant.id, user.id, {
      contacts: { ids: people.map((p) => p.id) },
      provider: 'bolna',
      agentId: AGENT,
      useContactTimezone: false,
    });
    const rows = () =>
      withTenant(t.db, tenant.id, (tx) =>
        tx
          .select()
          .from(callQueue)
          .where(and(eq(callQueue.tenantId, tenant.id), eq(callQueue.campaignId, campaign.id))),
      );

    const first = startWorker(url);
    children.push(first.child);
    await until('three dials held by the provider', async () => bolna.heldCount() === 3, 45_000);
    expect((await rows()).map((r) => r.status)).toEqual([
      'dispatching',
      'dispatching',
      'dispatching',
    ]);
    first.child.kill('SIGKILL');
    await new Promise((done) => first.child.once('exit', done));
    expect((await slotsInFlight(t.db))[user.id]).toBe(3);

    bolna.answerAtOnce();
    const second = startWorker(url);
    children.push(second.child);
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
      const ended = await recordCallEvent(t.db, tenant.id, 'bolna', {
        id: execution.id,
        status: 'completed',
        agent_id: AGENT,
        conversation_duration: 30,
      });
      expect(ended).toMatchObject({ ok: true, data: { applied: 'finished' } });
    }
    expect((await rows()).map((r) => r.status)).toEqual(['completed', 'completed', 'completed']);
    expect((await slotsInFlight(t.db))[user.id]).toBe(0);
    const [after] = await withTenant(t.db, tenant.id, (tx) =>
      tx.select().from(callCampaigns).where(eq(callCampaigns.id, campaign.id)),
    );
    expect(after?.status).toBe('completed');
    // Still three dials in all: the second worker dialled nothing again.
    await new Promise((r) => setTimeout(r, 500));
    expect(bolna.executions).toHaveLength(3);
    second.child.kill('SIGTERM');
    const code = await new Promise((done) => second.child.once('exit', done));
    expect(code).toBe(0);
    expect(second.output()).toContain('recovered calls');
  }, 90_000);
});
