/**
 * `npm run bench:analytics`: a tenant with two years of calls (5,000,000
 * queue rows, ~6,850 a day, seeded with generate_series), plus five smaller
 * tenants. Measures the roll-up (one day; a month's and the full two years'
 * backfill; a worker tick) and /dashboard through the built server with one
 * month of history and again with 24. Targets: one day's roll-up < 2 s,
 * dashboard p95 < 100 ms whatever the history's size.
 */
import { sql } from 'drizzle-orm';
import { addDays, backfillTenant, rollupDays, rollupTenant } from '../src/lib/analytics';
import { createSession } from '../src/lib/auth/sessions';
import { connectDatabase, type Database } from '../src/lib/db/client';
import { buildIfStale } from '../src/lib/launcher/build';
import { createTenant } from '../src/lib/tenants/create-tenant';
import { addMember } from '../src/lib/tenants/memberships';
import { createUser } from '../src/lib/users/create-user';
import { startWebServer } from '../tests/helpers/server';
import { benchDatabase, printTable, root } from './helpers';

const ROWS = Number(process.env.BENCH_ROWS ?? 5_000_000);
const DAYS = 730;
const PER_DAY = Math.ceil(ROWS / DAYS);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const CONCURRENCY = 8;
const ZONE = 'America/New_York';
const PAGES = ['/dashboard', '/dashboard?range=90d&granularity=week'];

const unwrap = <T>(r: { ok: true; data: T } | { ok: false; error: { message: string } }) => {
  if (!r.ok) throw new Error(r.error.message);
  return r.data;
};
const seconds = (since: number) => (performance.now() - since) / 1000;
const localToday = (now: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(now);

const database = await benchDatabase();
const handle = connectDatabase(database.url, { max: 4 });
const db = handle.db;

/**
 * Calls of days [first, last] (offsets from the first of DAYS) in one
 * statement: dialled 08:00–20:00 local, outcomes in fixed shares
 * (hashint8 stands in for randomness, so runs are repeatable).
 */
async function seedCalls(
  tenantId: string,
  userId: string,
  start: string,
  first: number,
  last: number,
  perDay: number,
) {
  const [campaign] = await db.execute<{ id: string }>(sql`
    insert into call_campaigns (tenant_id, name, status, agent_id, window_days, window_start_minute,
      window_end_minute, timezone, created_by, started_at, finished_at)
    values (${tenantId}, ${`Days ${first}–${last}`}, 'completed', 'agent-bench', '{0,1,2,3,4,5,6}',
      480, 1200, ${ZONE}, ${userId}, now(), now())
    returning id`);
  await db.execute(sql`
    insert into call_queue (tenant_id, campaign_id, user_id, phone_e164, timezone, scheduled_at,
      status, outcome, dialled_at, finished_at, duration_seconds, attempt, created_at, updated_at)
    select ${tenantId}, ${campaign?.id}, ${userId}, '+1555' || lpad((g % 10000000)::text, 7, '0'), ${ZONE},
      x.at, s.status, s.outcome, case when s.dialled then x.at end,
      x.at + make_interval(secs => x.dur), case when s.status = 'completed' then x.dur end,
      1 + (x.r % 3), x.at, x.at + make_interval(secs => x.dur)
    from generate_series(${first * perDay}::bigint, ${(last + 1) * perDay - 1}::bigint) g
    cross join lateral (
      select ((${start}::date + (g / ${perDay})::int)::timestamp + interval '8 hours'
               + make_interval(secs => abs(hashint8(g)) % 43200)) at time zone ${ZONE} as at,
             abs(hashint8(g * 7)) % 100 as r, 20 + abs(hashint8(g * 13)) % 600 as dur) x
    cross join lateral (
      select * from (values
        (x.r < 45 or x.r >= 90, 'completed', 'completed'),
        (x.r >= 45 and x.r < 55, 'completed', 'voicemail'),
        (x.r >= 55 and x.r < 70, 'failed', 'no_answer'),
        (x.r >= 70 and x.r < 80, 'failed', 'busy'),
        (x.r >= 80 and x.r < 85, 'failed', 'failed'),
        (x.r >= 85 and x.r < 87, 'failed', 'invalid_number'),
        (x.r >= 87 and x.r < 90, 'cancelled', 'canceled')) v(hit, status, outcome)
      where v.hit) o
    cross join lateral (select o.status, o.outcome, o.outcome <> 'invalid_number' as dialled) s`);
}

/** Provider reports (with a cost) for the completed calls since `from`, leads per day, a pipeline. */
async function seedAround(tenantId: string, start: string, from: string) {
  await db.execute(sql`
    insert into call_events (tenant_id, provider, execution_id, status, raw, received_at)
    select tenant_id, 'simulated', 'bench-' || id, 'completed',
      jsonb_build_object('id', 'bench-' || id, 'status', 'completed',
        'total_cost', round((abs(hashint8(id)) % 500) / 1000.0, 3)), finished_at
    from call_queue
    where tenant_id = ${tenantId} and status = 'completed'
      and dialled_at >= ${from}::date::timestamp at time zone ${ZONE}`);
  await db.execute(sql`
    insert into lead_daily_counts (tenant_id, run_id, day, source, stage, leads)
    select ${tenantId}, gen_random_uuid(), ${start}::date + d, src, 'New Lead', abs(hashint8(d * 3 + i)) % 20
    from generate_series(0, ${DAYS - 1}) d, unnest(array['Web', 'Referral', 'Expo']) with ordinality s(src, i)
    on conflict do nothing`);
  await db.execute(sql`
    insert into pipeline_stage_counts (tenant_id, run_id, stage, stage_order, likelihood,
      opportunities, total_value, weighted_value)
    values (${tenantId}, gen_random_uuid(), 'Discovery Day', 1, 40, 120, 4800000, 1920000),
           (${tenantId}, gen_random_uuid(), 'Signed', 2, 100, 30, 1500000, 1500000)
    on conflict do nothing`);
}

async function vacuum() {
  await handle.sql.unsafe(
    'vacuum (analyze) call_queue, call_events, stats_daily, stats_rollup_state',
  );
}

async function measure(url: string, cookie: string, path: string) {
  const latencies: number[] = [];
  let next = 0;
  const client = async () => {
    while (next < REQUESTS) {
      next++;
      const t0 = performance.now();
      const response = await fetch(`${url}${path}`, { headers: { cookie } });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, client));
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  return { p50: pct(50), p95: pct(95), p99: pct(99) };
}

async function measurePages(url: string, cookie: string) {
  for (const path of PAGES) await measure(url, cookie, path); // warm-up pass
  const out: Record<string, { p50: number; p95: number; p99: number }> = {};
  for (const path of PAGES) out[path] = await measure(url, cookie, path);
  return out;
}

async function count(database: Database, tenantId: string) {
  const [row] = await database.execute<{ n: number }>(
    sql`select count(*)::int as n from call_queue where tenant_id = ${tenantId}`,
  );
  return row?.n ?? 0;
}

/** Seeds, rolls up and measures; the database is dropped afterwards whatever happens. */
async function run() {
  const now = new Date();
  const today = localToday(now);
  const start = addDays(today, -(DAYS - 1));
  const tenant = unwrap(
    await createTenant(db, { name: 'Two Years Co', slug: 'two-years', timezone: ZONE }),
  );
  const user = unwrap(
    await createUser(db, {
      email: 'bench@example.test',
      name: 'Bench',
      password: 'bench-password',
    }),
  );
  unwrap(await addMember(db, tenant.id, user.id, 'owner'));
  const { token } = await createSession(db, user.id);
  const cookie = `sb_session=${token}; sb_tenant=${tenant.id}`;

  // Phase 1: the latest month only (plus five smaller tenants sharing the table).
  let t0 = performance.now();
  await seedCalls(tenant.id, user.id, start, DAYS - 30, DAYS - 1, PER_DAY);
  for (let i = 0; i < 5; i++) {
    const other = unwrap(
      await createTenant(db, { name: `Other ${i}`, slug: `other-${i}`, timezone: 'UTC' }),
    );
    const member = unwrap(
      await createUser(db, { email: `o${i}@example.test`, name: 'O', password: 'bench-password' }),
    );
    unwrap(await addMember(db, other.id, member.id, 'owner'));
    await seedCalls(other.id, member.id, start, DAYS - 60, DAYS - 1, 333);
  }
  await seedAround(tenant.id, start, addDays(today, -29));
  await vacuum();
  const seedMonth = seconds(t0);
  t0 = performance.now();
  await backfillTenant(db, tenant.id, addDays(today, -29), now);
  const backfillMonth = seconds(t0);

  await buildIfStale(root, { quiet: true });
  const server = await startWebServer(database.url);
  let month: Awaited<ReturnType<typeof measurePages>> = {};
  let years: Awaited<ReturnType<typeof measurePages>> = {};
  let seedYears = 0;
  let backfillYears = 0;
  let backfillDays = 0;
  const oneDay: number[] = [];
  let tick = 0;
  let rows = 0;
  try {
    month = await measurePages(server.url, cookie);

    // Phase 2: the 23 months before it, then the whole history rolled up again.
    t0 = performance.now();
    for (let first = 0; first < DAYS - 30; first += 60) {
      await seedCalls(tenant.id, user.id, start, first, Math.min(first + 59, DAYS - 31), PER_DAY);
    }
    await vacuum();
    seedYears = seconds(t0);
    rows = await count(db, tenant.id);
    t0 = performance.now();
    backfillDays = (await backfillTenant(db, tenant.id, start, now)).days;
    backfillYears = seconds(t0);
    for (const back of [100, 200, 300, 400, 500]) {
      const day = addDays(today, -back);
      const t1 = performance.now();
      await rollupDays(db, tenant.id, day, day, now);
      oneDay.push(seconds(t1));
    }
    const t2 = performance.now();
    await rollupTenant(db, tenant.id, now);
    tick = seconds(t2);
    await vacuum();
    years = await measurePages(server.url, cookie);
  } finally {
    await server.stop();
  }
  return {
    rows,
    oneDay,
    tick,
    seedMonth,
    seedYears,
    backfillMonth,
    backfillYears,
    backfillDays,
    month,
    years,
  };
}

let results: Awaited<ReturnType<typeof run>>;
try {
  results = await run();
} finally {
  await handle.close();
  await database.cleanup();
}
const {
  rows,
  oneDay,
  tick,
  seedMonth,
  seedYears,
  backfillMonth,
  backfillYears,
  backfillDays,
  month,
  years,
} = results;
oneDay.sort((a, b) => a - b);
const f = (ms: number) => `${ms.toFixed(1)} ms`;
const s = (v: number) => `${v.toFixed(2)} s`;
console.log(
  `\nAnalytics: 1 tenant with ${rows.toLocaleString('en-US')} call rows over ${DAYS} days (${PER_DAY.toLocaleString('en-US')}/day, ${ZONE}) + 5 tenants × 20,000; /dashboard ${REQUESTS} requests × ${CONCURRENCY} concurrent\n`,
);
printTable([
  ['measure', 'value'],
  ['seed: latest month + other tenants', s(seedMonth)],
  ['seed: 23 older months', s(seedYears)],
  ['roll-up: one day (median / max of 5)', `${s(oneDay[2] ?? 0)} / ${s(oneDay.at(-1) ?? 0)}`],
  ['roll-up: worker tick (today + yesterday + dirty)', s(tick)],
  ['backfill: 30 days', s(backfillMonth)],
  [`backfill: ${backfillDays} days (full history)`, s(backfillYears)],
  ...PAGES.flatMap((path): [string, string][] => [
    [
      `${path} @ 1 month  p50 / p95 / p99`,
      `${f(month[path]?.p50 ?? 0)} / ${f(month[path]?.p95 ?? 0)} / ${f(month[path]?.p99 ?? 0)}`,
    ],
    [
      `${path} @ 24 months p50 / p95 / p99`,
      `${f(years[path]?.p50 ?? 0)} / ${f(years[path]?.p95 ?? 0)} / ${f(years[path]?.p99 ?? 0)}`,
    ],
  ]),
]);
const worst = (r: typeof month) => Math.max(...Object.values(r).map((x) => x.p95));
console.log("\ntargets: one day's roll-up < 2 s; /dashboard p95 < 100 ms at 1 and at 24 months");
console.log(
  JSON.stringify({
    bench: 'analytics',
    call_rows: rows,
    rollup_one_day_s: Number((oneDay[2] ?? 0).toFixed(3)),
    rollup_one_day_max_s: Number((oneDay.at(-1) ?? 0).toFixed(3)),
    rollup_tick_s: Number(tick.toFixed(3)),
    backfill_30d_s: Number(backfillMonth.toFixed(2)),
    backfill_full_s: Number(backfillYears.toFixed(2)),
    backfill_full_days: backfillDays,
    dashboard_p95_ms_1_month: Number(worst(month).toFixed(1)),
    dashboard_p95_ms_24_months: Number(worst(years).toFixed(1)),
  }),
);
