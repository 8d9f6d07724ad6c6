/**
 * Issue 10 §1, the call path: two built web servers and three workers (child
 * processes, as in production) share one PostgreSQL; a fake Bolna on this
 * process accepts every dial and plays each call out, posting its webhooks to
 * either web server at random, the final one sometimes twice and sometimes
 * followed by a stale `ringing`. Three campaigns in two workspaces run at once
 * under a system limit of 5 and per-user limits of 2, 2 and 3, while each
 * workspace watches its live events on both web servers.
 *
 * Asserted: no cap exceeded (the fake's high-water marks), every contact
 * dialled exactly once, every row completed exactly once with counters and
 * slots that agree, each final delivery applied once, and each workspace's
 * streams carrying its own campaigns' progress to the end and nothing of the
 * other's. Bound: all 30 calls end within 60 s of the workers starting.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { issueWebhookToken } from '../../src/lib/calls/webhook-token';
import { makeSession, makeTenant } from '../factories';
import {
  idleCallSystem,
  makeCaller,
  makeCampaign,
  setSystemCallLimit,
  slotsInFlight,
} from '../factories/campaigns';
import { makeContacts, uniquePhone } from '../factories/contacts';
import { useTestDatabase } from '../helpers/db';
import { type FakeBolna, startFakeBolna } from '../helpers/fake-bolna';
import { startWebServer, type WebServer } from '../helpers/server';
import { type EventStream, openEventStream } from '../helpers/sse-client';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process';

const t = useTestDatabase({ max: 4 });
const CALLS_PER_CAMPAIGN = 10;
const SYSTEM_LIMIT = 5;

async function until<T>(what: string, probe: () => Promise<T | null | false>, ms: number) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('two web servers and three workers on one database', () => {
  const webs: WebServer[] = [];
  const workers: WorkerProcess[] = [];
  const streams: EventStream[] = [];
  let bolna: FakeBolna | undefined;
  afterAll(async () => {
    for (const s of streams) s.close();
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    await Promise.all(webs.map((w) => w.stop()));
    await bolna?.close();
  });

  it('keep every cap, dial each contact once, end every row once, and stream each workspace only its own progress', async () => {
    await idleCallSystem(t.db);
    await setSystemCallLimit(t.db, SYSTEM_LIMIT);
    const a = await makeTenant(t.db);
    const b = await makeTenant(t.db);
    const callers = [
      { tenant: a, agent: 'agent-a', user: await makeCaller(t.db, a, 2), limit: 2 },
      { tenant: a, agent: 'agent-a', user: await makeCaller(t.db, a, 2), limit: 2 },
      { tenant: b, agent: 'agent-b', user: await makeCaller(t.db, b, 3), limit: 3 },
    ];
    const tokens = new Map([
      ['agent-a', await issueWebhookToken(t.db, a.id)],
      ['agent-b', await issueWebhookToken(t.db, b.id)],
    ]);
    const campaigns: ((typeof callers)[number] & { campaign: { id: string } })[] = [];
    for (const caller of callers) {
      const people = await makeContacts(
        t.db,
        caller.tenant.id,
        Array.from({ length: CALLS_PER_CAMPAIGN }, (_, i) => ({
          name: `S ${i}`,
          phoneE164: uniquePhone(),
        })),
      );
      const campaign = await makeCampaign(t.db, caller.tenant.id, caller.user.id, {
        contacts: { ids: people.map((p) => p.id) },
        provider: 'bolna',
        agentId: caller.agent,
        useContactTimezone: false,
      });
      campaigns.push({ ...caller, campaign });
    }
    const rows = await t.sql<{ tenant_id: string; id: string; user_id: string }[]>`
      select tenant_id, id, user_id from call_queue`;
    const userOfRow = new Map(rows.map((r) => [`${r.tenant_id}:${r.id}`, r.user_id]));

    webs.push(...(await Promise.all([startWebServer(t.url), startWebServer(t.url)])));
    bolna = await startFakeBolna({
      agents: ['agent-a', 'agent-b'],
      play: {
        webhookUrls: (agent) => webs.map((w) => `${w.url}/api/webhooks/calls/${tokens.get(agent)}`),
        durationMs: [150, 700],
        duplicate: 0.3,
        reorder: 0.3,
      },
      // The reference a dial carries is tenant:row:attempt (dial.ts callRefOf).
      keyOf: (ref) => userOfRow.get(ref.split(':').slice(0, 2).join(':')) ?? 'unknown',
    });

    // Each workspace watches on both web servers (module warm-up first: see sse-stream.ts).
    const cookies = new Map<string, string>();
    for (const caller of [callers[0], callers[2]]) {
      if (!caller) continue;
      const { token } = await makeSession(t.db, caller.user.id);
      cookies.set(caller.tenant.id, `sb_session=${token}; sb_tenant=${caller.tenant.id}`);
    }
    for (const web of webs) {
      const warmUp = await fetch(`${web.url}/api/events?campaign=warm-up`, {
        headers: { cookie: cookies.get(a.id) ?? '' },
      });
      expect(warmUp.status).toBe(404);
    }
    const watching = webs.flatMap((web) =>
      [a, b].map((tenant) => {
        const stream = openEventStream(`${web.url}/api/events`, cookies.get(tenant.id) ?? '');
        streams.push(stream);
        return { tenant, stream };
      }),
    );
    await until(
      'every stream open',
      async () => watching.every((w) => w.stream.state.status === 200),
      10_000,
    );

    const env = { BOLNA_API_URL: bolna.url, BOLNA_API_KEY: 'bn-test-key-system' };
    workers.push(...[1, 2, 3].map(() => startWorkerProcess(t.url, env)));
    const total = CALLS_PER_CAMPAIGN * campaigns.length;
    await until(
      'every call to end',
      async () => {
        const [row] = await t.sql<{ done: number }[]>`
          select count(*)::int as done from call_queue where status = 'completed'`;
        return row?.done === total;
      },
      60_000,
    );

    // Caps: the provider never saw more calls at once than the limits allow.
    const high = bolna.highWater();
    // Reached (3 callers could use 7 slots), never exceeded.
    expect(high.total).toBe(SYSTEM_LIMIT);
    for (const caller of callers) {
      expect(high.byKey.get(caller.user.id) ?? 0).toBeLessThanOrEqual(caller.limit);
    }
    // Each contact dialled once; no provider-side retries asked for.
    expect(bolna.executions).toHaveLength(total);
    const refs = bolna.executions.map((e) => String(e.user_data.switchboard_call_id));
    expect(new Set(refs.map((r) => r.split(':').slice(0, 2).join(':'))).size).toBe(total);
    expect(bolna.bodies.filter((body) => 'retry_config' in body)).toEqual([]);
    // Every final delivery answered 2xx; duplicates stored once.
    expect(bolna.delivered().failures).toEqual([]);
    const events = await t.sql<{ n: number }[]>`
      select count(*)::int as n from call_events where status = 'completed'`;
    expect(events[0]?.n).toBe(total);

    // One final state per row; counters, campaigns and slots agree with the rows.
    const states = await t.sql<{ status: string; n: number }[]>`
      select status, count(*)::int as n from call_queue group by status`;
    expect(states).toEqual([{ status: 'completed', n: total }]);
    const books = await t.sql<{ status: string; completed_calls: number; open: number }[]>`
      select status, completed_calls, queued_calls + active_calls as open from call_campaigns`;
    expect(books).toEqual(
      campaigns.map(() => ({ status: 'completed', completed_calls: CALLS_PER_CAMPAIGN, open: 0 })),
    );
    expect((await slotsInFlight(t.db)).system).toBe(0);

    // Live events: each workspace's streams, on either server, saw its own
    // campaigns finish and nothing of the other workspace.
    const idsOf = (tenantId: string) =>
      new Set(campaigns.filter((c) => c.tenant.id === tenantId).map((c) => c.campaign.id));
    await until(
      'every stream to show its campaigns completed',
      async () =>
        watching.every(({ tenant, stream }) =>
          [...idsOf(tenant.id)].every((id) =>
            stream.frames.some((f) => {
              const data = f.data as { campaignId?: string; id?: string; status?: string };
              return (data.campaignId ?? data.id) === id && data.status === 'completed';
            }),
          ),
        ),
      10_000,
    );
    for (const { tenant, stream } of watching) {
      const own = idsOf(tenant.id);
      const foreign = stream.frames.filter((f) => {
        const data = f.data as { campaignId?: string; id?: string };
        const id = data.campaignId ?? data.id;
        return f.event.startsWith('campaign.') && id !== undefined && !own.has(id);
      });
      expect(foreign).toEqual([]);
    }

    // Errors (pino level ≥ 50) and the dispatcher's own failure lines, in any process.
    const problem = /"level":[56]0|cycle failed|dials failed|Unhandled|TypeError/;
    for (const output of [...webs.map((w) => w.logs()), ...workers.map((w) => w.output())]) {
      expect(output.split('\n').filter((l) => problem.test(l))).toEqual([]);
    }
  }, 120_000);
});
