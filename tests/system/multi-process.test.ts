/**
 * Issue 10 §1 and §3's canary sweep, the call path: two built web servers and
 * three workers (child processes, as in production) share one PostgreSQL; a
 * fake Bolna on this process accepts every dial and plays each call out,
 * posting its webhooks to either web server at random, the final one
 * sometimes twice and sometimes followed by a stale `ringing`. Three campaigns
 * in two workspaces run at once under a system limit of 5 and per-user limits
 * of 2, 2 and 3, while each workspace's owner watches its live events on both
 * web servers.
 *
 * Asserted: no cap exceeded (the fake's high-water marks) and the system cap
 * reached, every contact dialled exactly once, every row completed exactly
 * once with counters and slots that agree, each final delivery applied once,
 * each workspace's streams carrying its own campaigns' completion and nothing
 * of the other's, no error logged by any process. Both workspaces are
 * connected to a ClientTether simulator: the three workers' start-up catch-up
 * of the hourly sync (one cron tick) ran once per workspace, and each
 * workspace heard only its own sync.finished. The roll-up job's function, run
 * after the calls, leaves stats_daily equal to counts taken from call_queue.
 *
 * Checklist 28: every secret of the run is a canary (SECRETS_KEY, the
 * deployment's and each workspace's Bolna key, the ClientTether web keys and
 * access token, the webhook path tokens, the passwords of the owners and the
 * admin who sign in, their session tokens). Credentials are set through the
 * web servers, the workers dial and sync with them; then every page and key
 * API of each workspace is fetched on both servers, and no canary may appear
 * in any line either server or any worker printed, any body fetched, or any
 * live event. Bound: all 30 calls end within 60 s of the workers starting.
 */
import { describe, expect, it } from 'vitest';
import { rollupAllTenants } from '../../src/lib/analytics';
import { bolnaKeyId } from '../../src/lib/calls/rate-limit/keys';
import { startClientTetherSimulator } from '../../src/lib/clienttether/simulator';
import { generateSecretsKey } from '../../src/lib/secrets/seal';
import { makeMember, makeUser } from '../factories';
import { slotsInFlight } from '../factories/campaigns';
import { canary, leaksOf } from '../helpers/canaries';
import { useTestDatabase } from '../helpers/db';
import { startFakeBolna } from '../helpers/fake-bolna';
import { HttpClient } from '../helpers/http-client';
import { startWebServer } from '../helpers/server';
import { openEventStream } from '../helpers/sse-client';
import { startWorkerProcess } from '../helpers/worker-process';
import {
  booksOf,
  Captured,
  cookieHeader,
  logsOf,
  openRows,
  rowOf,
  sameBrowserOn,
  seedCallScenario,
  showsCompleted,
  until,
  useProcesses,
  workspacePaths,
} from './harness';
import { statsDailyAgainstRows } from './stats-daily';

const t = useTestDatabase({ max: 4 });
const SYSTEM_LIMIT = 5;

const SECRETS = {
  secretsKey: generateSecretsKey(),
  deploymentBolnaKey: canary('BOLNA-DEPLOYMENT'),
  bolnaKeyA: canary('BOLNA-A'),
  bolnaKeyB: canary('BOLNA-B'),
  ctAccessToken: canary('CT-TOKEN'),
  ctWebKeyA: canary('CT-WEBKEY-A'),
  ctWebKeyB: canary('CT-WEBKEY-B'),
  passwordA: canary('PASSWORD-A'),
  passwordB: canary('PASSWORD-B'),
  adminPassword: canary('PASSWORD-ADMIN'),
  wrongPassword: canary('PASSWORD-WRONG'),
};

describe('two web servers and three workers on one database', () => {
  const run = useProcesses();
  const seen = new Captured();

  it('keep every cap, dial each contact once, end every row once, stream each workspace only its own progress, roll up the raw counts and leak no secret', async () => {
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
    const crm = await startClientTetherSimulator({
      accessToken: SECRETS.ctAccessToken,
      tenants: [
        { webKey: SECRETS.ctWebKeyA, seed: 1, clients: 20, opportunities: 5 },
        { webKey: SECRETS.ctWebKeyB, seed: 2, clients: 20, opportunities: 5 },
      ],
    });
    run.stoppers.push(() => crm.stop());
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
    const env = {
      SECRETS_KEY: SECRETS.secretsKey,
      BOLNA_API_URL: bolna.url,
      BOLNA_API_KEY: SECRETS.deploymentBolnaKey,
      CLIENTTETHER_API_URL: crm.url,
    };
    run.webs.push(...(await Promise.all([startWebServer(t.url, env), startWebServer(t.url, env)])));
    const [one, two] = run.webs.map((w) => w.url) as [string, string];

    // People sign in with canary passwords (one wrong try first), and set every credential
    // through the web servers: each owner the web key, the platform admin the access
    // token and the workspace's own Bolna key (one of them too long: refused, not echoed).
    const admin = await makeUser(t.db, { isPlatformAdmin: true, password: SECRETS.adminPassword });
    const refused = await seen.request(new HttpClient(one), '/api/auth/login', {
      json: { email: admin.email, password: SECRETS.wrongPassword },
    });
    expect(refused.status).toBe(401);
    const adminClient = await seen.signIn(one, admin.email, SECRETS.adminPassword);
    const owners = new Map<string, HttpClient>();
    for (const [tenant, password, webKey, bolnaKey, web] of [
      [tenants.a, SECRETS.passwordA, SECRETS.ctWebKeyA, SECRETS.bolnaKeyA, one],
      [tenants.b, SECRETS.passwordB, SECRETS.ctWebKeyB, SECRETS.bolnaKeyB, two],
    ] as const) {
      const user = await makeUser(t.db, { password });
      await makeMember(t.db, { tenant, user, role: 'owner' });
      const owner = await seen.signIn(web, user.email, password, tenant.id);
      owners.set(tenant.id, owner);
      const keySet = await seen.request(owner, '/api/settings/clienttether', { json: { webKey } });
      expect(keySet.status).toBe(200);
      const tooLong = await seen.request(adminClient, `/api/admin/tenants/${tenant.id}`, {
        method: 'PATCH',
        json: { bolnaApiKey: bolnaKey.repeat(20) },
      });
      expect(tooLong.status).toBe(400);
      const rotated = await seen.request(adminClient, `/api/admin/tenants/${tenant.id}`, {
        method: 'PATCH',
        json: { clienttetherAccessToken: SECRETS.ctAccessToken, bolnaApiKey: bolnaKey },
      });
      expect(rotated.status).toBe(200);
    }
    const ownerOf = (tenantId: string, baseUrl: string) => {
      const owner = owners.get(tenantId);
      if (!owner) throw new Error('no owner signed in');
      return sameBrowserOn(baseUrl, owner);
    };

    // Each workspace's owner watches on both web servers (module warm-up first: see sse-stream.ts).
    for (const web of [one, two]) {
      const warmUp = await seen.request(ownerOf(tenants.a.id, web), '/api/events?campaign=warm-up');
      expect(warmUp.status).toBe(404);
    }
    const watching = [one, two].flatMap((web) =>
      [tenants.a, tenants.b].map((tenant) => {
        const stream = openEventStream(`${web}/api/events`, cookieHeader(ownerOf(tenant.id, web)));
        run.streams.push(stream);
        return { tenant, stream };
      }),
    );
    await until(
      'every stream open',
      async () => watching.every((w) => w.stream.state.status === 200),
      10_000,
    );

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

    // stats_daily = the raw counts, once every call has ended: the roll-up job's own function
    // (worker/jobs/stats-rollup.ts; its 5-minute tick won't come round within the test).
    const rolled = await rollupAllTenants(t.db, new Date());
    expect(rolled.failed).toBe(0);
    const stats = await statsDailyAgainstRows(t.sql);
    // (The fake reports 12 s of conversation per completed call.)
    expect(stats.rawTotal).toMatchObject({
      placed: total,
      attempts: total,
      completed: total,
      connected: total,
      failed: 0,
      cancelled: 0,
      inProgress: 0,
      talkSeconds: 12 * total,
    });
    expect(stats.stored).toEqual(stats.raw);

    // Every main page and key API of each workspace, on both servers, for the sweep below.
    const statuses = new Map<string, number>();
    for (const web of [one, two]) {
      for (const tenant of [tenants.a, tenants.b]) {
        const owner = ownerOf(tenant.id, web);
        const own = campaigns.filter((c) => c.tenant.id === tenant.id).map((c) => c.campaign.id);
        const paths = workspacePaths(own);
        for (const path of paths) {
          statuses.set(`${web} ${tenant.slug} ${path}`, (await seen.request(owner, path)).status);
        }
      }
      for (const path of ['/admin', '/admin/tenants', `/admin/tenants/${tenants.a.id}`]) {
        statuses.set(
          `${web} admin ${path}`,
          (await seen.request(sameBrowserOn(web, adminClient), path)).status,
        );
      }
    }
    expect(Object.fromEntries(statuses)).toEqual(
      Object.fromEntries([...statuses.keys()].map((k) => [k, 200])),
    );

    // The secrets were used, so the sweep looks at a run that handled them: the syncs above
    // succeeded against a simulator that accepts only the canary web keys and token, and the
    // workers dialled with each workspace's own key (its rate-limit bucket is named by its hash).
    const buckets = await t.sql<{ key: string }[]>`select key from provider_rate_buckets`;
    expect(buckets.map((b) => b.key).sort()).toEqual(
      [bolnaKeyId(SECRETS.bolnaKeyA), bolnaKeyId(SECRETS.bolnaKeyB)].sort(),
    );
    const logs = logsOf(run);
    // Both servers logged webhook deliveries (by route, the token masked); workers take none.
    expect(logs.map(([, text]) => text.includes('"path":"/api/webhooks/calls/:token"'))).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
    const leaks = leaksOf(
      { ...SECRETS, webhookToken: [...scenario.tokens.values()], sessionToken: seen.sessionTokens },
      [
        ...logs,
        ...seen.texts,
        ...watching.map(({ stream }, i): [string, string] => [
          `event stream ${i + 1}`,
          JSON.stringify(stream.frames),
        ]),
      ],
    );
    expect(leaks).toEqual([]);

    // Errors (pino level ≥ 50) and the dispatcher's own failure lines, in any process.
    const problem = /"level":[56]0|cycle failed|dials failed|Unhandled|TypeError/;
    for (const [, output] of logs) {
      expect(output.split('\n').filter((l) => problem.test(l))).toEqual([]);
    }
  }, 120_000);
});
