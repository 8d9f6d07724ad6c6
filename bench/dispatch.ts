/**
 * `npm run bench:dispatch`: 100 callers (limit 5 each) across 10 tenants,
 * 1,000 running campaigns (all-day UTC window), 1,000,000 due queue rows
 * (priorities mixed), system limit 500. The real dispatcher loop
 * (`startDispatcher`, on its own pool as in the worker) runs for
 * BENCH_SECONDS (60) against a provider that accepts every call at once and
 * completes it 0–2 s later through `recordCallEvent`, the webhook route's own
 * function, run in-process on a worker thread with its own pool (the web
 * server's part, so the dispatcher's event loop is measured alone).
 *
 * Measured after a warm-up: calls placed/s; slot freed (the completion
 * webhook's commit) → next call placed for that user (each placement matched
 * to the earliest unmatched freeing before it), p50/p95; calls in flight
 * sampled from the rows every 20 ms against both limits; claim_due_calls'
 * latency and size; CPU of the dispatcher's thread, the webhook thread and the
 * database's backends (/proc); afterwards, that slots, counters and rows agree
 * and no row was dialled twice. Targets: ≥ 500 calls/s, slot→call p95 <
 * 200 ms, 0 violations. Prints a table, then one JSON line.
 *
 * Knobs: BENCH_SECONDS (60), BENCH_WARMUP (5), BENCH_DISPATCHERS (1; more run
 * side by side, each on its own pool), BENCH_CALL_MS ("0-2000"),
 * BENCH_USER_LIMIT (5), BENCH_SYSTEM_LIMIT (500), BENCH_ROWS (1000000),
 * BENCH_POOL (5 per dispatcher, as the worker), BENCH_WEBHOOK_POOL (10),
 * BENCH_WEBHOOK_THREAD=0 (webhooks on the dispatcher's event loop),
 * BENCH_EXPLAIN=1 (EXPLAIN ANALYZE of the claim's query mid-run, rolled back),
 * BENCH_STATEMENTS=1 (pg_stat_statements over the window; the server must
 * preload it), BENCH_KEEP=1 (keep the database).
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import postgres from 'postgres';
import { type Dispatcher, startDispatcher } from '../src/lib/calls/dispatch/dispatcher';
import type { CallProvider, ExecutionSnapshot } from '../src/lib/calls/providers/types';
import { connectDatabase } from '../src/lib/db/client';
import { explainClaim } from './dispatch-explain';
import { seedDispatchBench } from './dispatch-seed';
import {
  childrenOf,
  cpuBetween,
  cpuOf,
  machineTicks,
  matchFreesToPlacements,
  parentOf,
  type Stamp,
  summarise,
  threadCpuSeconds,
} from './dispatch-stats';
import { type CompleteCall, type Completed, completeCall } from './dispatch-webhooks';
import { benchDatabase, printTable } from './helpers';
import { sampleActivity } from './pg-activity';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SECONDS = env('BENCH_SECONDS', 60);
const WARMUP = Math.min(env('BENCH_WARMUP', 5), SECONDS / 2);
const DISPATCHERS = env('BENCH_DISPATCHERS', 1);
const [CALL_MIN_MS, CALL_MAX_MS] = (process.env.BENCH_CALL_MS ?? '0-2000')
  .split('-')
  .map(Number) as [number, number];
const USER_LIMIT = env('BENCH_USER_LIMIT', 5);
const SYSTEM_LIMIT = env('BENCH_SYSTEM_LIMIT', 500);
const ROWS = env('BENCH_ROWS', 1_000_000);
// BENCH_USERS=1 BENCH_CAMPAIGNS=1 BENCH_USER_LIMIT=500: one campaign takes every slot, so every
// claim and webhook meets on that campaign's row and that user's slots.
const USERS = env('BENCH_USERS', 100);
const CAMPAIGNS = env('BENCH_CAMPAIGNS', 1_000);
const TENANTS = Math.min(10, USERS);
const POOL = env('BENCH_POOL', 5);
const WEBHOOK_POOL = env('BENCH_WEBHOOK_POOL', 10);
const SAMPLE_MS = 20;

const database = await benchDatabase();
const admin = postgres(database.url, { max: 1, onnotice: () => {} });
const seed = await seedDispatchBench(admin, {
  tenants: TENANTS,
  users: USERS,
  campaigns: CAMPAIGNS,
  rows: ROWS,
  userLimit: USER_LIMIT,
  systemLimit: SYSTEM_LIMIT,
});
const userIndex = new Map(seed.userIds.map((id, i) => [id, i]));

// ---- what the run records -------------------------------------------------
const placements: Stamp[] = [];
const frees: (Stamp & { received: number })[] = [];
const dialsPerRow = new Map<number, number>();
const webhookMs: number[] = [];
const webhookApplied: Record<string, number> = {};
let webhookErrors = 0;
let firstWebhookError = '';
let pendingCompletions = 0;
const claims: { t: number; ms: number; rows: number; dispatcher: number }[] = [];
const otherCalls: Record<string, number[]> = {};
const logLines: string[] = [];
let cyclesFailed = 0;

// ---- the webhook side: a worker thread with its own pool (the web server) ----
// BENCH_WEBHOOK_THREAD=0 runs it on the dispatcher's own event loop instead.
const webhookThread = process.env.BENCH_WEBHOOK_THREAD !== '0';
const toLocal = (wallMs: number) => wallMs - performance.timeOrigin;

function onCompleted(done: Completed) {
  pendingCompletions -= 1;
  if (done.error !== null || done.applied === null) {
    webhookErrors += 1;
    firstWebhookError ||= done.error ?? 'no result';
    return;
  }
  const user = seed.userOfRow(done.rowId);
  const received = toLocal(done.received);
  const committed = toLocal(done.committed);
  webhookMs.push(committed - received);
  webhookApplied[done.applied] = (webhookApplied[done.applied] ?? 0) + 1;
  // 'stored': it beat our record of the dial; the dialler frees the slot when it records the
  // dial, a little after `received`, so taking `received` overstates the slot→call latency.
  if (done.applied === 'finished') frees.push({ user, t: committed, received });
  else if (done.applied === 'stored') frees.push({ user, t: received, received });
}

let webhookTid: number | null = null;
const inline = webhookThread ? null : connectDatabase(database.url, { max: WEBHOOK_POOL });
const worker = webhookThread
  ? new Worker(new URL('./dispatch-webhooks.ts', import.meta.url), {
      workerData: { role: 'webhooks', url: database.url, pool: WEBHOOK_POOL },
    })
  : null;
if (worker) {
  const ready = new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (message: Completed | { type: 'ready'; tid: number }) => {
      if (message.type === 'ready') {
        webhookTid = message.tid;
        resolve();
      } else onCompleted(message);
    });
  });
  await ready;
}

function completeLater(call: CompleteCall) {
  pendingCompletions += 1;
  if (worker) worker.postMessage(call);
  else if (inline) {
    const db = inline.db;
    setTimeout(() => void completeCall(db, call).then(onCompleted), call.delayMs);
  }
}

const executions = new Map<string, ExecutionSnapshot>();
const provider: CallProvider = {
  name: 'simulated',
  async placeCall(input) {
    const t = performance.now();
    const [tenantId = '', id = '0', attempt = '0'] = input.callRef.split(':');
    const rowId = Number(id);
    placements.push({ user: seed.userOfRow(rowId), t });
    dialsPerRow.set(rowId, (dialsPerRow.get(rowId) ?? 0) + 1);
    const executionId = `bench-${rowId}-${attempt}`;
    executions.set(input.callRef, {
      executionId,
      status: 'in-progress',
      durationSeconds: null,
      raw: { id: executionId, status: 'in-progress' },
    });
    completeLater({
      type: 'call',
      tenantId,
      rowId,
      executionId,
      delayMs: CALL_MIN_MS + Math.random() * (CALL_MAX_MS - CALL_MIN_MS),
    });
    return { ok: true, executionId };
  },
  async getExecution(executionId) {
    for (const e of executions.values())
      if (e.executionId === executionId) return { ok: true, execution: e };
    return { ok: true, execution: null };
  },
  async findExecutionByRef(_agentId, callRef) {
    return { ok: true, execution: executions.get(callRef) ?? null };
  },
  async stopCall() {
    return { ok: false, message: 'not supported by the bench provider' };
  },
};

/** The dispatcher's own `sql`, timing the calls to the dispatch functions (claim_due_calls, …). */
function timed(sql: postgres.Sql, dispatcher: number): postgres.Sql {
  return new Proxy(sql, {
    apply(target, thisArg, args: unknown[]) {
      const strings = args[0];
      const fn = Array.isArray(strings) ? /from\s+(\w+)\(/.exec(strings.join('$'))?.[1] : null;
      const query = Reflect.apply(target, thisArg, args) as Promise<unknown[]>;
      if (!fn) return query;
      const t0 = performance.now();
      return query.then((rows) => {
        const ms = performance.now() - t0;
        if (fn === 'claim_due_calls')
          claims.push({ t: performance.now(), ms, rows: rows.length, dispatcher });
        else {
          const list = otherCalls[fn] ?? [];
          list.push(ms);
          otherCalls[fn] = list;
        }
        return rows;
      });
    },
  });
}

// ---- sampling in-flight calls from the rows ---------------------------------
const sampler = postgres(database.url, { max: 1, onnotice: () => {} });
const samples: { t: number; total: number; maxUser: number; slots: number }[] = [];
const violations = { system: 0, user: 0, worstSystem: 0, worstUser: 0 };
let sampling = true;
const sampling$ = (async () => {
  while (sampling) {
    const rows = await sampler<{ user_id: string; n: number }[]>`
      select x.user_id::text as user_id, count(*)::int as n
      from (select user_id from call_queue where status = 'dispatching'
            union all
            select user_id from call_queue where status = 'in_progress') x
      group by x.user_id
      union all
      select 'slots', (select coalesce(sum(in_flight), 0)::int from call_slots)`;
    const t = performance.now();
    let total = 0;
    let maxUser = 0;
    let slots = 0;
    for (const r of rows) {
      if (r.user_id === 'slots') {
        slots = r.n;
        continue;
      }
      total += r.n;
      maxUser = Math.max(maxUser, r.n);
      if (r.n > USER_LIMIT && userIndex.has(r.user_id)) {
        violations.user += 1;
        violations.worstUser = Math.max(violations.worstUser, r.n);
      }
    }
    if (total > SYSTEM_LIMIT) {
      violations.system += 1;
      violations.worstSystem = Math.max(violations.worstSystem, total);
    }
    samples.push({ t, total, maxUser, slots });
    await sleep(SAMPLE_MS);
  }
})();

// ---- what the backends are doing (wait events), every 50 ms ----------------
const activity = sampleActivity(admin, {
  exclude: "from call_queue where status = 'dispatching'",
});

// ---- CPU readings -----------------------------------------------------------
const embedded = !process.env.DATABASE_URL;
async function backendPids(): Promise<number[]> {
  const rows = await admin<{ pid: number }[]>`
    select pid from pg_stat_activity where datname = current_database()`;
  return rows.map((r) => Number(r.pid));
}
async function clusterPids(): Promise<number[]> {
  if (!embedded) return [];
  const [row] = await admin<{ pid: number }[]>`select pg_backend_pid() as pid`;
  const postmaster = parentOf(Number(row?.pid));
  return postmaster ? [postmaster, ...childrenOf(postmaster)] : [];
}

// ---- the run ----------------------------------------------------------------
const pools = Array.from({ length: DISPATCHERS }, () =>
  connectDatabase(database.url, { max: POOL }),
);
const runStart = performance.now();
const dispatchers: Dispatcher[] = await Promise.all(
  pools.map((pool, i) =>
    startDispatcher({
      db: pool.db,
      sql: timed(pool.sql, i),
      providerFor: async () => provider,
      log: (line) => {
        if (line.startsWith('dispatch cycle failed')) cyclesFailed += 1;
        if (!line.startsWith('dispatch {')) logLines.push(`[${i}] ${line}`);
      },
    }),
  ),
);
await sleep(Math.max(0, WARMUP * 1000 - (performance.now() - runStart)));
const windowStart = performance.now();
const backendsStart = cpuOf([...(await backendPids()), ...(await clusterPids())]);
const backendPidsStart = new Set(await backendPids());
const cpuWindowStart = process.cpuUsage();
const mainThreadStart = threadCpuSeconds(process.pid) ?? 0;
const webhookThreadStart = webhookTid ? (threadCpuSeconds(webhookTid) ?? 0) : 0;
const eluWindowStart = performance.eventLoopUtilization();
const machineWindowStart = machineTicks();
// BENCH_STATEMENTS=1 (a server with pg_stat_statements preloaded): statement costs over the window.
const statements = process.env.BENCH_STATEMENTS === '1';
if (statements) {
  await admin`create extension if not exists pg_stat_statements`;
  await admin`select pg_stat_statements_reset()`;
}
let explained: string | null = null;
if (process.env.BENCH_EXPLAIN) {
  await sleep(((SECONDS - WARMUP) * 1000) / 2);
  explained = await explainClaim(database.url);
}
await sleep(Math.max(0, runStart + SECONDS * 1000 - performance.now()));
const windowEnd = performance.now();
const [roundTrips] = statements
  ? await admin<{ n: number }[]>`
      select coalesce(sum(calls), 0)::int as n from pg_stat_statements
      where toplevel and dbid = (select oid from pg_database where datname = current_database())`
  : [];
const statementCosts = statements
  ? await admin<{ calls: number; total_ms: number; mean_ms: number; query: string }[]>`
      select calls::int, total_exec_time::float8 as total_ms, mean_exec_time::float8 as mean_ms,
             left(regexp_replace(query, '\\s+', ' ', 'g'), 90) as query
      from pg_stat_statements
      where dbid = (select oid from pg_database where datname = current_database())
      order by total_exec_time desc limit 25`
  : [];
const endBackends = await backendPids();
const endCluster = await clusterPids();
const backendsEnd = cpuOf([...endBackends, ...backendPidsStart]);
const clusterEnd = cpuOf(endCluster);
const cpuWindow = process.cpuUsage(cpuWindowStart);
const mainThreadCores =
  ((threadCpuSeconds(process.pid) ?? 0) - mainThreadStart) /
  ((performance.now() - windowStart) / 1000);
const webhookThreadCores = webhookTid
  ? ((threadCpuSeconds(webhookTid) ?? 0) - webhookThreadStart) /
    ((performance.now() - windowStart) / 1000)
  : null;
const eluWindow = performance.eventLoopUtilization(eluWindowStart);
const machineWindowEnd = machineTicks();
const cyclesRun = dispatchers.map((d) => d.cycles());

await Promise.all(dispatchers.map((d) => d.stop()));
const drainStarted = performance.now();
while (pendingCompletions > 0 && performance.now() - drainStarted < 30_000) await sleep(20);
sampling = false;
await sampling$;
await activity.stop();

// ---- after the run: the books must balance ----------------------------------
const [books] = await admin<
  {
    open_rows: number;
    slots_held: number;
    queued_rows: number;
    queued_counted: number;
    active_counted: number;
    completed_rows: number;
    completed_counted: number;
  }[]
>`
  select
    (select count(*)::int from call_queue where status in ('dispatching', 'in_progress')) as open_rows,
    (select coalesce(sum(in_flight), 0)::int from call_slots) as slots_held,
    (select count(*)::int from call_queue where status = 'queued') as queued_rows,
    (select sum(queued_calls)::int from call_campaigns) as queued_counted,
    (select sum(active_calls)::int from call_campaigns) as active_counted,
    (select count(*)::int from call_queue where status = 'completed') as completed_rows,
    (select sum(completed_calls)::int from call_campaigns) as completed_counted`;

const seconds = (windowEnd - windowStart) / 1000;
const inWindow = (t: number) => t >= windowStart && t <= windowEnd;
const placed = placements.filter((p) => inWindow(p.t)).length;
const completed = frees.filter((f) => inWindow(f.t)).length;
const perSecond = new Map<number, number>();
for (const p of placements)
  if (inWindow(p.t)) {
    const s = Math.floor((p.t - windowStart) / 1000);
    perSecond.set(s, (perSecond.get(s) ?? 0) + 1);
  }
const secondRates = summarise(
  Array.from({ length: Math.floor(seconds) }, (_, s) => perSecond.get(s) ?? 0),
);
// Latency of pairs whose freeing fell in the measured window.
const pairLatencies = (byUser: boolean) => {
  const windowFrees = frees.filter((f) => inWindow(f.t));
  const windowPlacements = placements.filter((p) => p.t >= windowStart);
  return matchFreesToPlacements(windowFrees, windowPlacements, byUser);
};
const slotUser = pairLatencies(true);
const slotSystem = pairLatencies(false);
// The freed slot is the user's while the users' limits bind (they add up to no more than the
// system's); otherwise it is the system's, and the next call may be anyone's.
const userBound = USERS * USER_LIMIT <= SYSTEM_LIMIT;
const slot = summarise((userBound ? slotUser : slotSystem).latencies);
const slotOther = summarise((userBound ? slotSystem : slotUser).latencies);
const windowClaims = claims.filter((c) => inWindow(c.t));
const claimMs = summarise(windowClaims.map((c) => c.ms));
const claimRows = summarise(windowClaims.map((c) => c.rows));
const emptyClaims = windowClaims.filter((c) => c.rows === 0).length;
const windowSamples = samples.filter((s) => inWindow(s.t));
const inFlight = summarise(windowSamples.map((s) => s.total));
const peakTotal = Math.max(0, ...samples.map((s) => s.total));
const peakUser = Math.max(0, ...samples.map((s) => s.maxUser));
const webhook = summarise(webhookMs);
const doubleDials = [...dialsPerRow.values()].filter((n) => n > 1).length;
const benchCores = (cpuWindow.user + cpuWindow.system) / 1e6 / seconds;
const backendCores = cpuBetween(backendsStart, backendsEnd) / seconds;
const clusterCores = embedded ? cpuBetween(backendsStart, clusterEnd) / seconds : null;
const machineBusy =
  (machineWindowEnd.busy - machineWindowStart.busy) /
  Math.max(1, machineWindowEnd.total - machineWindowStart.total);
const holdSeconds = completed > 0 ? inFlight.mean / (completed / seconds) : Number.NaN;
const limitViolations = violations.system + violations.user;
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');
const f0 = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');

console.log(
  `\nDispatch: ${USERS} users (limit ${USER_LIMIT}) in ${TENANTS} tenants, ${CAMPAIGNS.toLocaleString('en-US')} campaigns, ${ROWS.toLocaleString('en-US')} queued rows, system limit ${SYSTEM_LIMIT}; ` +
    `${DISPATCHERS} dispatcher(s) (pool ${POOL} each), webhooks on a pool of ${WEBHOOK_POOL}; calls ${CALL_MIN_MS}–${CALL_MAX_MS} ms; ` +
    `${seconds.toFixed(0)} s measured after ${WARMUP} s warm-up; ${embedded ? 'embedded PostgreSQL' : 'DATABASE_URL server'} (seeded in ${seed.seconds.toFixed(0)} s)\n`,
);
printTable([
  [
    'calls placed/s',
    `${f0(placed / seconds)} (per second: min ${f0(secondRates.min)}, median ${f0(secondRates.p50)}, max ${f0(secondRates.max)}); ${placed.toLocaleString('en-US')} calls`,
  ],
  ['calls completed/s', f0(completed / seconds)],
  [
    `slot freed → next call (${userBound ? "that user's" : 'any user'})`,
    `p50 ${f1(slot.p50)} / p95 ${f1(slot.p95)} / p99 ${f1(slot.p99)} / max ${f1(slot.max)} ms (${slot.n.toLocaleString('en-US')} pairs)`,
  ],
  [
    `  matched ${userBound ? 'across the system' : 'per user'} instead`,
    `p50 ${f1(slotOther.p50)} / p95 ${f1(slotOther.p95)} / p99 ${f1(slotOther.p99)} ms`,
  ],
  [
    'in flight (rows, every 20 ms)',
    `peak ${peakTotal} / ${SYSTEM_LIMIT} system, peak ${peakUser} / ${USER_LIMIT} per user; mean ${f0(inFlight.mean)} (${f0((100 * inFlight.mean) / SYSTEM_LIMIT)} % of the system limit); ${samples.length.toLocaleString('en-US')} samples`,
  ],
  [
    'limit violations',
    `${limitViolations} (system ${violations.system}, user ${violations.user}; worst ${violations.worstSystem} / ${violations.worstUser})`,
  ],
  [
    'slot held (Little: in flight ÷ completions/s)',
    `${f0(holdSeconds * 1000)} ms → ceiling ${f0(SYSTEM_LIMIT / holdSeconds)} calls/s at this hold time; calls alone average ${f0((CALL_MIN_MS + CALL_MAX_MS) / 2)} ms`,
  ],
  [
    'claim_due_calls',
    `p50 ${f1(claimMs.p50)} / p95 ${f1(claimMs.p95)} / p99 ${f1(claimMs.p99)} / max ${f1(claimMs.max)} ms; ${windowClaims.length.toLocaleString('en-US')} claims, ${f1(windowClaims.length / seconds)}/s`,
  ],
  [
    'claimed per cycle',
    `mean ${f1(claimRows.mean)}, p50 ${f0(claimRows.p50)}, max ${f0(claimRows.max)}; ${emptyClaims} empty; cycles ${cyclesRun.join(' + ')}`,
  ],
  [
    'webhook (recordCallEvent)',
    `p50 ${f1(webhook.p50)} / p95 ${f1(webhook.p95)} ms; ${Object.entries(webhookApplied)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}; errors ${webhookErrors}${firstWebhookError ? ` (${firstWebhookError})` : ''}`,
  ],
  ...Object.entries(otherCalls).map(([fn, ms]): [string, string] => {
    const s = summarise(ms);
    return [fn, `${s.n} calls, p50 ${f1(s.p50)} / max ${f1(s.max)} ms`];
  }),
  [
    'CPU (cores, over the window)',
    `bench process ${benchCores.toFixed(2)}: dispatcher thread ${mainThreadCores.toFixed(2)} (event loop ${(100 * eluWindow.utilization).toFixed(0)} % busy)` +
      (webhookThreadCores !== null
        ? `, webhook thread ${webhookThreadCores.toFixed(2)}`
        : ', webhooks on the same thread') +
      '; ' +
      `PostgreSQL backends of this database ${backendCores.toFixed(2)}` +
      (clusterCores !== null ? `, whole cluster ${clusterCores.toFixed(2)}` : '') +
      `; machine ${(100 * machineBusy).toFixed(0)} % busy of 2 cores`,
  ],
  [
    'afterwards',
    `open rows ${books?.open_rows}, slots held ${books?.slots_held}; queued ${books?.queued_rows} rows / ${books?.queued_counted} counted; ` +
      `active counted ${books?.active_counted}; completed ${books?.completed_rows} rows / ${books?.completed_counted} counted; double dials ${doubleDials}; ` +
      `failed cycles ${cyclesFailed}; placements with no freed slot before them ${matchFreesToPlacements(frees, placements, userBound).unmatchedPlacements} (the initial fill: ${Math.min(USERS * USER_LIMIT, SYSTEM_LIMIT)})`,
  ],
]);
for (const line of logLines.slice(0, 10)) console.log(`  log: ${line}`);
console.log('\nactive backends, mean count per 50 ms sample (wait event, query):');
for (const { what, mean } of activity.top(12))
  console.log(`  ${mean.toFixed(2).padStart(6)}  ${what}`);
if (statementCosts.length > 0) {
  const placedNow = placements.filter((p) => inWindow(p.t)).length || 1;
  console.log(
    `\nstatements over the window (pg_stat_statements): ${f1((roundTrips?.n ?? 0) / placedNow)} top-level statements per call placed, the bench's samplers included; per statement, nested ones too: calls per call placed, total ms, mean ms`,
  );
  for (const r of statementCosts)
    console.log(
      `  ${(r.calls / placedNow).toFixed(2).padStart(6)} ${r.total_ms.toFixed(0).padStart(7)} ${r.mean_ms.toFixed(3).padStart(8)}  ${r.query}`,
    );
}
if (explained) console.log(`\nclaim under load (EXPLAIN ANALYZE, rolled back):\n${explained}`);
console.log('\ntargets: ≥ 500 calls placed/s, slot freed → next call p95 < 200 ms, 0 violations');

const figures = {
  bench: 'dispatch',
  dispatchers: DISPATCHERS,
  call_ms: `${CALL_MIN_MS}-${CALL_MAX_MS}`,
  seconds: Number(seconds.toFixed(1)),
  calls_per_s: Math.round(placed / seconds),
  completions_per_s: Math.round(completed / seconds),
  slot_to_call_p50_ms: Number(f1(slot.p50)),
  slot_to_call_p95_ms: Number(f1(slot.p95)),
  slot_to_call_p99_ms: Number(f1(slot.p99)),
  peak_in_flight: peakTotal,
  system_limit: SYSTEM_LIMIT,
  peak_user_in_flight: peakUser,
  user_limit: USER_LIMIT,
  mean_in_flight: Math.round(inFlight.mean),
  limit_violations: limitViolations,
  double_dials: doubleDials,
  slot_hold_ms: Math.round(holdSeconds * 1000),
  claim_p50_ms: Number(f1(claimMs.p50)),
  claim_p95_ms: Number(f1(claimMs.p95)),
  claims_per_cycle: Number(f1(claimRows.mean)),
  webhook_p95_ms: Number(f1(webhook.p95)),
  bench_cpu_cores: Number(benchCores.toFixed(2)),
  dispatcher_thread_cpu_cores: Number(mainThreadCores.toFixed(2)),
  webhook_thread_cpu_cores:
    webhookThreadCores === null ? null : Number(webhookThreadCores.toFixed(2)),
  event_loop_busy: Number(eluWindow.utilization.toFixed(2)),
  pg_backend_cpu_cores: Number(backendCores.toFixed(2)),
  machine_busy: Number(machineBusy.toFixed(2)),
  books_balance:
    books?.open_rows === 0 &&
    books.slots_held === 0 &&
    books.queued_rows === books.queued_counted &&
    books.active_counted === 0 &&
    books.completed_rows === books.completed_counted,
};

await Promise.all(pools.map((p) => p.close()));
if (worker) {
  worker.postMessage({ type: 'close' });
  await new Promise((resolve) => worker.once('exit', resolve));
}
await inline?.close();
await sampler.end({ timeout: 5 });
await admin.end({ timeout: 5 });
if (process.env.BENCH_KEEP) console.error(`kept ${database.url}`);
else await database.cleanup();
console.log(JSON.stringify(figures));
