/**
 * `npm run bench:events`: 1,000 concurrent SSE clients (BENCH_CLIENTS) across
 * 20 tenants (BENCH_TENANTS) on one built web server process, while calls
 * finish at 200 a second (BENCH_CALLS_PER_SECOND): every 50 ms the driver
 * marks queue rows completed, spread over one running campaign per tenant,
 * and touches the real coalescing emitter for each call, as the dispatcher
 * does; the emitter turns that into at most one NOTIFY per campaign a second.
 * Half the clients watch the whole workspace, half `?campaign=` theirs.
 *
 * Measured over BENCH_SECONDS (30) after a warm-up (BENCH_WARMUP, 3 s):
 * delivery latency from the moment the emitter issued the NOTIFY (its
 * onFlush; the payload carries ids only) to the client parsing the event,
 * each event matched to the latest NOTIFY of its campaign before it; the
 * server's CPU (/proc) and RSS; events delivered to a client of another
 * tenant (must be 0). Targets: p95 < 250 ms, RSS < 400 MB, 0 cross-tenant.
 * Prints a table, then one JSON line.
 */
import { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSession } from '../src/lib/auth/sessions';
import { connectDatabase } from '../src/lib/db/client';
import { createCoalescingEmitter } from '../src/lib/events/coalescing-emitter';
import { buildIfStale } from '../src/lib/launcher/build';
import { startWebServer } from '../tests/helpers/server';
import { processCpuSeconds, summarise } from './dispatch-stats';
import { benchDatabase, printTable, root } from './helpers';
import { rssMb } from './proc';
import { openSseClient } from './sse-client';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const CLIENTS = env('BENCH_CLIENTS', 1000);
const TENANTS = env('BENCH_TENANTS', 20);
const CALLS_PER_SECOND = env('BENCH_CALLS_PER_SECOND', 200);
const SECONDS = env('BENCH_SECONDS', 30);
const WARMUP = env('BENCH_WARMUP', 3);
const TICK_MS = 50;
const ROWS_PER_CAMPAIGN = Math.ceil(((SECONDS + WARMUP + 10) * CALLS_PER_SECOND) / TENANTS) + 100;

const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
const database = await benchDatabase();
const handle = connectDatabase(database.url, { max: 4 });
const { sql } = handle;

interface Tenant {
  id: string;
  campaignId: string;
  cookie: string;
}

/** Tenants, a member each, and one running campaign of queued calls per tenant (SQL as the owner: fast). */
async function seed(): Promise<Tenant[]> {
  const tenants: Tenant[] = [];
  for (let i = 0; i < TENANTS; i++) {
    const [row] = await sql<{ tenant: string; user: string; campaign: string }[]>`
      with t as (insert into tenants (name, slug) values (${`Bench ${i}`}, ${`bench-events-${i}`}) returning id),
           u as (insert into users (email, name, password_hash)
                 values (${`bench-events-${i}@example.test`}, ${`Bench ${i}`}, 'x') returning id),
           m as (insert into memberships (user_id, tenant_id, role) select u.id, t.id, 'member' from t, u),
           c as (insert into call_campaigns (tenant_id, name, agent_id, window_days, window_start_minute,
                   window_end_minute, timezone, created_by, status, started_at)
                 select t.id, 'Bench campaign', 'agent', '{0,1,2,3,4,5,6}', 0, 1440, 'UTC', u.id, 'running', now()
                 from t, u returning id)
      select t.id as tenant, u.id as user, c.id as campaign from t, u, c`;
    if (!row) throw new Error('seed failed');
    await sql`
      insert into call_queue (tenant_id, campaign_id, user_id, phone_e164, contact_name, timezone, scheduled_at)
      select ${row.tenant}, ${row.campaign}, ${row.user}, '+1555' || lpad(g::text, 7, '0'), 'Contact ' || g, 'UTC', now()
      from generate_series(1, ${ROWS_PER_CAMPAIGN}) g`;
    await sql`
      insert into campaign_error_logs (tenant_id, campaign_id, attempt, category, message)
      select ${row.tenant}, ${row.campaign}, 1, 'provider', 'The number did not answer (no_answer)'
      from generate_series(1, 5)`;
    const { token } = await createSession(handle.db, row.user);
    tenants.push({
      id: row.tenant,
      campaignId: row.campaign,
      cookie: `sb_session=${token}; sb_tenant=${row.tenant}`,
    });
  }
  await sql`vacuum analyze call_queue`;
  return tenants;
}

interface Receipt {
  campaignId: string;
  at: number;
}

/** One client of `tenant`: records each campaign.progress receipt, flags a foreign one. */
function openClient(
  url: string,
  tenant: Tenant,
  watchCampaign: boolean,
  sink: { receipts: Receipt[]; crossTenant: number; recording: boolean; failures: number },
) {
  const path = watchCampaign ? `/api/events?campaign=${tenant.campaignId}` : '/api/events';
  return openSseClient(`${url}${path}`, {
    agent,
    cookie: tenant.cookie,
    readyOn: ({ event }) => event === 'campaign.progress',
    onEvent: ({ event, data, at }) => {
      const parsed = data as { campaignId?: string; id?: string };
      const campaignId = parsed.campaignId ?? parsed.id ?? '';
      if (campaignId !== tenant.campaignId) sink.crossTenant += 1;
      if (event === 'campaign.progress' && sink.recording) sink.receipts.push({ campaignId, at });
    },
    onFail: (reason) => {
      sink.failures += 1;
      console.error(`client failed: ${reason}`);
    },
  });
}

const tenants = await seed();
await buildIfStale(root, { quiet: true });
const server = await startWebServer(database.url);
const sink = { receipts: [] as Receipt[], crossTenant: 0, recording: false, failures: 0 };
const flushes = new Map<string, number[]>();
const emitter = createCoalescingEmitter(sql, {
  intervalMs: 1000,
  onFlush: (notices) => {
    const at = Date.now();
    for (const n of notices) flushes.get(n.id)?.push(at);
  },
});
for (const t of tenants) flushes.set(t.campaignId, []);

try {
  // The route's module watches responses from when it loads: load it before the crowd arrives.
  await fetch(`${server.url}/api/events?campaign=warm-up`, {
    headers: { cookie: tenants[0]?.cookie ?? '' },
  });
  const connectStarted = performance.now();
  const clients: ReturnType<typeof openClient>[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const tenant = tenants[i % TENANTS] as Tenant;
    clients.push(openClient(server.url, tenant, i % 2 === 1, sink));
    if (i % 50 === 49) await Promise.all(clients.slice(-50).map((c) => c.ready));
  }
  await Promise.all(clients.map((c) => c.ready));
  const connectSeconds = (performance.now() - connectStarted) / 1000;
  const afterConnect = rssMb(server.pid);

  // The driver: each tick completes this tick's share of calls, spread over the campaigns.
  let running = true;
  let completed = 0;
  let next = 0;
  const driver = (async () => {
    let carry = 0;
    while (running) {
      const started = Date.now();
      carry += (CALLS_PER_SECOND * TICK_MS) / 1000;
      const calls = Math.floor(carry);
      carry -= calls;
      const picked = Array.from({ length: calls }, () => tenants[next++ % TENANTS] as Tenant);
      const ids = picked.map((t) => t.campaignId);
      // Any queued rows of each picked campaign (call_queue_campaign_status_idx), as calls ending.
      await sql`
        update call_queue q set status = 'completed', outcome = 'completed', finished_at = now(),
          dialled_at = now(), updated_at = now()
        from (select k.tenant_id, x.id
              from (select c, count(*)::int as n from unnest(${ids}::uuid[]) c group by c) w
              join call_campaigns k on k.id = w.c
              cross join lateral (select id from call_queue q3
                where q3.tenant_id = k.tenant_id and q3.campaign_id = w.c and q3.status = 'queued'
                limit w.n) x) pick
        where q.tenant_id = pick.tenant_id and q.id = pick.id`;
      completed += calls;
      for (const t of picked) emitter.touch(t.id, 'campaign.progress', t.campaignId);
      await sleep(Math.max(0, TICK_MS - (Date.now() - started)));
    }
  })();

  await sleep(WARMUP * 1000);
  sink.recording = true;
  const cpuBefore = processCpuSeconds(server.pid) ?? 0;
  const windowStarted = Date.now();
  await sleep(SECONDS * 1000);
  sink.recording = false;
  const windowSeconds = (Date.now() - windowStarted) / 1000;
  const cpuPct = (((processCpuSeconds(server.pid) ?? 0) - cpuBefore) / windowSeconds) * 100;
  running = false;
  await driver;
  await emitter.stop();
  const rss = rssMb(server.pid);

  // Each receipt against the latest NOTIFY of its campaign issued before it.
  const latencies: number[] = [];
  let unmatched = 0;
  for (const r of sink.receipts) {
    const times = flushes.get(r.campaignId) ?? [];
    let lo = 0;
    let hi = times.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((times[mid] as number) <= r.at) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found === -1) unmatched += 1;
    else latencies.push(r.at - (times[found] as number));
  }
  const s = summarise(latencies);
  const notifies = [...flushes.values()].reduce((n, f) => n + f.length, 0);
  const round = (n: number) => Math.round(n * 10) / 10;

  for (const c of clients) c.close();
  printTable([
    ['event source', 'coalescing emitter (1 s), driven at the call rate (not the dispatcher)'],
    ['clients / tenants', `${CLIENTS} / ${TENANTS} (half watch one campaign)`],
    ['connected in', `${round(connectSeconds)} s (each with its snapshot)`],
    ['calls completed', `${completed} (${round(completed / (windowSeconds + WARMUP))}/s)`],
    ['NOTIFYs issued', `${notifies} (${round(notifies / (windowSeconds + WARMUP))}/s)`],
    ['events delivered', `${s.n} in ${round(windowSeconds)} s (${round(s.n / windowSeconds)}/s)`],
    [
      'NOTIFY → client ms',
      `p50 ${round(s.p50)}  p95 ${round(s.p95)}  p99 ${round(s.p99)}  max ${round(s.max)}`,
    ],
    ['server CPU', `${round(cpuPct)} % of one core`],
    [
      'server RSS',
      `${rss.now} MB now, ${rss.peak} MB peak (${afterConnect.now} MB once connected)`,
    ],
    ['cross-tenant deliveries', String(sink.crossTenant)],
    ['client failures / unmatched', `${sink.failures} / ${unmatched}`],
  ]);
  console.log(
    JSON.stringify({
      bench: 'events',
      source: 'coalescing-emitter',
      clients: CLIENTS,
      tenants: TENANTS,
      calls_per_s: CALLS_PER_SECOND,
      events: s.n,
      p50_ms: round(s.p50),
      p95_ms: round(s.p95),
      p99_ms: round(s.p99),
      rss_mb: rss.now,
      peak_rss_mb: rss.peak,
      cpu_pct: round(cpuPct),
      cross_tenant: sink.crossTenant,
    }),
  );
} finally {
  await server.stop();
  await handle.close();
  if (process.env.BENCH_KEEP !== '1') await database.cleanup();
}
