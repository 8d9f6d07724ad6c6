/**
 * Issue 10 §1, the call path: two built web servers and three workers (child
 * processes, as in production) share one PostgreSQL; a fake Bolna on this
 * process accepts every dial and plays each call out, posting its webhooks to
 * either web server at random, the final one sometimes twice and sometimes
 * followed by a stale `ringing`. Three campaigns in two workspaces run at once
 * under a system limit of 5 and per-user limits of 2, 2 and 3, while each
 * workspace watches its live events on both web servers.
 *
 * Asserted: no cap exceeded (the fake's high-water marks) and the system cap
 * reached, every contact dialled exactly once, every row completed exactly
 * once with counters and slots that agree, each final delivery applied once,
 * each workspace's streams carrying its own campaigns' completion and nothing
 * of the other's, no error logged by any process. Both workspaces are
 * connected to a ClientTether simulator: the three workers' start-up catch-up
 * of the hourly sync (one cron tick) ran once per workspace, and each
 * workspace heard only its own sync.finished. Bound: all 30 calls end within
 * 60 s of the workers starting.
 */
import { describe, expect, it } from 'vitest';
import { startClientTetherSimulator } from '../../src/lib/clienttether/simulator';
import { makeSession } from '../factories';
import { slotsInFlight } from '../factories/campaigns';
import {
  connectTenant,
  newWebKey,
  SIM_ACCESS_TOKEN,
  TEST_SECRETS_KEY,
} from '../helpers/clienttether';
import { useTestDatabase } from '../helpers/db';
import { startFakeBolna } from '../helpers/fake-bolna';
import { startWebServer } from '../helpers/server';
import { openEventStream } from '../helpers/sse-client';
import { startWorkerProcess } from '../helpers/worker-process';
import {
  booksOf,
  openRows,
  rowOf,
  seedCallScenario,
  showsCompleted,
  until,
  useProcesses,
} from './harness';

const t = useTestDatabase({ max: 4 });
const SYSTEM_LIMIT = 5;

describe('two web servers and three workers on one database', () => {
  const run = useProcesses();

  it('keep every cap, dial each contact once, end every row once, and stream each workspace only its own progress', async () => {
    const scenario = await seedCallScenario(t.db, t.sql, {
      systemLimit: SYSTEM_LIMIT,
      callers: [
        { workspace: 'a', limit: 2 },
        { workspace: 'a', limit: 2 },
        { workspace: 'b', limit: 3 },
      ],
      callsPerCampaign: 10,
    });
    const { tenants, campaigns, total } = scenario;
    const webKeys = { a: newWebKey(), b: newWebKey() };
    const crm = await startClientTetherSimulator({
      accessToken: SIM_ACCESS_TOKEN,
      tenants: [
        { webKey: webKeys.a, seed: 1, clients: 20, opportunities: 5 },
        { webKey: webKeys.b, seed: 2, clients: 20, opportunities: 5 },
      ],
    });
    run.stoppers.push(() => crm.stop());
    await connectTenant(t.db, tenants.a.id, webKeys.a);
    await connectTenant(t.db, tenants.b.id, webKeys.b);
    run.webs.push(...(await Promise.all([startWebServer(t.url), startWebServer(t.url)])));
    const bolna = await startFakeBolna({
      agents: ['agent-a', 'agent-b'],
      play: {
        webhookUrls: scenario.webhookUrls(() => run.webs.map((w) => w.url)),
        durationMs: [150, 700],
        duplicate: 0.3,
        reorder: 0.3,
      },
      keyOf: scenario.userOfRef,
    });
    run.bolna = bolna;

    // Each workspace watches on both web servers (module warm-up first: see sse-stream.ts).
    const cookies = new Map<string, string>();
    for (const tenant of [tenants.a, tenants.b]) {
      const caller = campaigns.find((c) => c.tenant.id === tenant.id);
      const { token } = await makeSession(t.db, caller?.user.id ?? '');
      cookies.set(tenant.id, `sb_session=${token}; sb_tenant=${tenant.id}`);
    }
    for (const web of run.webs) {
      const warmUp = await fetch(`${web.url}/api/events?campaign=warm-up`, {
        headers: { cookie: cookies.get(tenants.a.id) ?? '' },
      });
      expect(warmUp.status).toBe(404);
    }
    const watching = run.webs.flatMap((web) =>
      [tenants.a, tenants.b].map((tenant) => {
        const stream = openEventStream(`${web.url}/api/events`, cookies.get(tenant.id) ?? '');
        run.streams.push(stream);
        return { tenant, stream };
      }),
    );
    await until(
      'every stream open',
      async () => watching.every((w) => w.stream.state.status === 200),
      10_000,
    );

    const env = {
      BOLNA_API_URL: bolna.url,
      BOLNA_API_KEY: 'bn-test-key-system',
      CLIENTTETHER_API_URL: crm.url,
      SECRETS_KEY: TEST_SECRETS_KEY,
    };
    run.workers.push(...[1, 2, 3].map(() => startWorkerProcess(t.url, env)));
    await until('every call to end', async () => (await openRows(t.sql)) === 0, 60_000);

    // Caps: the provider saw the system cap reached (3 callers could use 7 slots), never exceeded.
    const high = bolna.highWater();
    expect(high.total).toBe(SYSTEM_LIMIT);
    for (const c of campaigns) {
      expect(high.byKey.get(c.user.id) ?? 0).toBeLessThanOrEqual(c.limit);
    }
    // Each contact dialled once; no provider-side retries asked for.
    expect(bolna.executions).toHaveLength(total);
    const refs = bolna.executions.map((e) => String(e.user_data.switchboard_call_id));
    expect(new Set(refs.map(rowOf)).size).toBe(total);
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
    expect(await booksOf(t.sql)).toEqual(campaigns.map(() => ({ open: 0, agree: true })));
    const finished = await t.sql<{ status: string }[]>`select status from call_campaigns`;
    expect(finished.map((c) => c.status)).toEqual(campaigns.map(() => 'completed'));
    expect((await slotsInFlight(t.db)).system).toBe(0);

    // Live events: each workspace's streams, on either server, saw its own
    // campaigns finish and nothing of the other workspace.
    const idsOf = (tenantId: string) =>
      campaigns.filter((c) => c.tenant.id === tenantId).map((c) => c.campaign.id);
    await until(
      'every stream to show its campaigns completed',
      async () =>
        watching.every(({ tenant, stream }) =>
          idsOf(tenant.id).every((id) => showsCompleted(stream.frames, id)),
        ),
      10_000,
    );
    for (const { tenant, stream } of watching) {
      const own = new Set(idsOf(tenant.id));
      const foreign = stream.frames.filter((f) => {
        const data = f.data as { campaignId?: string; id?: string };
        const id = data.campaignId ?? data.id;
        return f.event.startsWith('campaign.') && id !== undefined && !own.has(id);
      });
      expect(foreign).toEqual([]);
    }

    // The hourly sync's tick: three workers caught it up at start, one ran it per workspace.
    // (A second run of the same tick would show as another row: 'skipped' or a second success.)
    await until(
      'the syncs to finish',
      async () => {
        const now = await t.sql<{ status: string }[]>`select status from sync_runs`;
        return now.length >= 2 && now.every((r) => r.status !== 'running');
      },
      30_000,
    );
    await new Promise((r) => setTimeout(r, 1_000)); // a late duplicate would be here by now
    const runs = await t.sql<{ tenant_id: string; id: string; status: string }[]>`
      select tenant_id, id, status from sync_runs`;
    expect(runs.map((r) => [r.tenant_id, r.status]).sort()).toEqual(
      [
        [tenants.a.id, 'success'],
        [tenants.b.id, 'success'],
      ].sort(),
    );
    const runOf = new Map(runs.map((r) => [r.id, r.tenant_id]));
    await until(
      'each workspace to hear its sync finish',
      async () =>
        watching.every(({ tenant, stream }) =>
          stream.frames.some(
            (f) =>
              f.event === 'sync.finished' &&
              runOf.get((f.data as { runId: string }).runId) === tenant.id,
          ),
        ),
      10_000,
    );
    for (const { tenant, stream } of watching) {
      const foreignSyncs = stream.frames.filter(
        (f) =>
          f.event === 'sync.finished' &&
          runOf.get((f.data as { runId: string }).runId) !== tenant.id,
      );
      expect(foreignSyncs).toEqual([]);
    }

    // Errors (pino level ≥ 50) and the dispatcher's own failure lines, in any process.
    const problem = /"level":[56]0|cycle failed|dials failed|Unhandled|TypeError/;
    for (const output of [
      ...run.webs.map((w) => w.logs()),
      ...run.workers.map((w) => w.output()),
    ]) {
      expect(output.split('\n').filter((l) => problem.test(l))).toEqual([]);
    }
  }, 120_000);
});
