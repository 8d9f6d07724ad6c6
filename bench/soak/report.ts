/** What the soak prints: a line per minute, then tables, the targets with pass/fail, and one JSON line. */
import { summarise } from '../dispatch-stats';
import { printTable } from '../helpers';
import {
  BASELINE_FACTOR,
  BASELINES,
  IMPORT_BASELINE_ROWS_PER_S,
  IMPORT_BASELINE_SOURCE,
  MINUTES,
  ROUTES,
  RSS_REFERENCE_MINUTE,
} from './config';
import type { CampaignProgress, SyncFigures } from './figures';
import type { ImportOutcome } from './imports';
import type { Recorder } from './recorder';
import type { Sample } from './sample';
import type { StreamStats } from './streams';

const f0 = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
const r1 = (n: number) => (Number.isFinite(n) ? Math.round(n * 10) / 10 : null);
const short = (route: string) => route.replace(/^GET /, '').replace(/\?.*$/, (q) => q.slice(0, 14));

export interface MinuteView {
  minute: number;
  sample: Sample;
  /** V8 heap in use after a full collection, MB, per process (SOAK_HEAP=1). */
  heap: Record<string, number | null>;
  campaign: CampaignProgress | null;
  syncsEnded: number;
}

export function printMinute(recorder: Recorder, streams: StreamStats, view: MinuteView) {
  const { requests, errors } = recorder.totals([view.minute]);
  const routes = recorder.byRoute([view.minute]);
  const s = view.sample;
  const events = summarise(streams.latencies.get(view.minute) ?? []);
  const c = view.campaign;
  console.log(
    `min ${String(view.minute).padStart(2)} │ ${(requests / 60).toFixed(1)} req/s │ errors ${errors}/${requests} │ ` +
      `web ${s.web.rssMb} MB ${s.web.cpuPct}% │ worker ${s.worker.rssMb} MB ${s.worker.cpuPct}% │ ` +
      `pg ${s.postgres.rssMb} MB ${s.postgres.cpuPct}% (${s.postgres.backends} backends) │ machine ${s.machinePct}% │ ` +
      `calls ${c ? `${f0(c.dials)} dialled, ${f0(c.inFlight)} live, ${f0(c.ended)} ended` : '–'} │ ` +
      `events p95 ${f0(events.p95)} ms (${events.n}) │ streams ${streams.open} │ syncs ${view.syncsEnded}${heapOf(view)}`,
  );
  const p95s = [...routes]
    .filter(([name]) => name.startsWith('GET /') && !name.includes('/api/events'))
    .map(([name, r]) => `${short(name)} ${f0(r.p95)}`);
  console.log(`       p95 ms: ${p95s.join(' · ')}`);
}

const heapOf = (m: MinuteView) => {
  const entries = Object.entries(m.heap);
  return entries.length
    ? `  heap after GC: ${entries.map(([k, v]) => `${k} ${v} MB`).join(', ')}`
    : '';
};

export interface Outcome {
  minutes: MinuteView[];
  imports: ImportOutcome[];
  campaign: CampaignProgress | null;
  syncs: SyncFigures;
  streams: StreamStats;
  /** Error lines each process logged during the run (its shutdown excluded). */
  loggedErrors: Record<string, { count: number; first: string[] }>;
  /** What the database's backends were busy with (pg-activity.ts). */
  activity: { what: string; mean: number; longestSeconds: number }[];
  exits: Record<string, string | null>;
}

/** The final tables, the verdicts and the JSON line. */
export function printReport(recorder: Recorder, o: Outcome) {
  const routes = recorder.byRoute();
  const { requests, errors } = recorder.totals();
  const errorRate = requests ? errors / requests : 0;
  const verdicts: [string, boolean, string][] = [];

  console.log(`\nRoutes over ${MINUTES} minutes (limit = ${BASELINE_FACTOR} × the baseline p95)`);
  const rows: [string, string][] = [
    ['route', 'requests  errors  p50  p95  max ms │ baseline → limit'],
  ];
  let routesPass = true;
  for (const [name, r] of routes) {
    const baseline = ROUTES.find((x) => x.name === name)?.baseline;
    const limit = baseline ? baseline.p95 * BASELINE_FACTOR : null;
    const pass = limit === null || r.p95 <= limit;
    if (!pass) routesPass = false;
    rows.push([
      name,
      `${f0(r.requests)}  ${r.errors}  ${f0(r.p50)}  ${f0(r.p95)}  ${f0(r.max)} │ ` +
        (limit === null
          ? 'no baseline'
          : `${baseline?.p95} → ${f0(limit)} ${pass ? 'ok' : 'OVER'}`),
    ]);
  }
  printTable(rows);

  console.log('\nProcesses by minute (RSS MB, CPU % of one core; PostgreSQL: PSS of its backends)');
  printTable([
    ['minute', 'web            worker         postgres       bench          machine'],
    ...o.minutes.map((m): [string, string] => [
      String(m.minute),
      [
        m.sample.web,
        m.sample.worker,
        m.sample.postgres,
        m.sample.bench,
        { machine: m.sample.machinePct },
      ]
        .map((p) => ('machine' in p ? `${p.machine}%` : `${p.rssMb} MB ${p.cpuPct}%`.padEnd(15)))
        .join('') + heapOf(m),
    ]),
  ]);
  console.log('\nDatabase backends, mean busy per sample (wait event, statement; longest seen)');
  for (const a of o.activity)
    console.log(
      `  ${a.mean.toFixed(2).padStart(5)}  ${a.what}  (${a.longestSeconds.toFixed(1)} s)`,
    );

  const at = (minute: number) => o.minutes.find((m) => m.minute === minute)?.sample;
  const first = at(RSS_REFERENCE_MINUTE);
  const last = at(MINUTES);
  const growth = (pick: (s: Sample) => number) =>
    first && last ? r1((100 * (pick(last) - pick(first))) / Math.max(1, pick(first))) : null;
  const rssGrowth = {
    web: growth((s) => s.web.rssMb),
    worker: growth((s) => s.worker.rssMb),
    postgres: growth((s) => s.postgres.rssMb),
  };

  const events = summarise([...o.streams.latencies.values()].flat());
  const eventLimit = BASELINES.eventDelivery.p95 * BASELINE_FACTOR;
  const importFloor = IMPORT_BASELINE_ROWS_PER_S / BASELINE_FACTOR;
  const importRates = o.imports.map((i) => (i.run ? Math.round(i.rows / i.run.seconds) : 0));
  console.log('\nWork done');
  printTable([
    [
      'imports',
      o.imports
        .map((i, n) =>
          i.run
            ? `#${n + 1} at ${i.startedAtS} s: ${f0(i.rows)} rows in ${i.run.seconds.toFixed(1)} s = ${f0(importRates[n] ?? 0)} rows/s (accepted after ${i.run.acceptedAfter.toFixed(1)} s; ${i.run.view.inserted} inserted, ${i.run.view.duplicates} duplicates, ${i.run.view.invalid} invalid)`
            : `#${n + 1}: ${i.error}`,
        )
        .join('; '),
    ],
    [
      'campaign',
      o.campaign
        ? `${f0(o.campaign.rows)} rows: ${f0(o.campaign.dials)} dials, ${f0(o.campaign.ended)} ended, ${f0(o.campaign.inFlight)} in flight, ${f0(o.campaign.queued)} queued; counters ${o.campaign.booksAgree ? 'agree with rows' : 'DISAGREE with rows'}`
        : 'not created',
    ],
    [
      'syncs (every 2 min)',
      `${o.syncs.runs} runs: ${o.syncs.succeeded} ok, ${o.syncs.failed} failed, ${o.syncs.skipped} skipped; ${f0(o.syncs.records)} records; mean ${o.syncs.meanSeconds.toFixed(1)} s, max ${o.syncs.maxSeconds.toFixed(1)} s`,
    ],
    [
      'SSE',
      `${o.streams.open} open at the end; delivered ${Object.entries(o.streams.delivered)
        .map(([k, v]) => `${k} ${f0(v)}`)
        .join(
          ', ',
        )}; NOTIFY → client p50 ${f0(events.p50)} / p95 ${f0(events.p95)} ms (${f0(events.n)}); ${o.streams.failures} failures; ${o.streams.crossTenant} cross-tenant`,
    ],
    [
      'logged errors',
      Object.entries(o.loggedErrors)
        .map(([name, e]) => `${name} ${e.count}`)
        .join(', '),
    ],
    [
      'exits',
      Object.entries(o.exits)
        .map(([name, e]) => `${name} ${e ?? 'running until stopped'}`)
        .join(', '),
    ],
  ]);
  for (const [name, e] of Object.entries(o.loggedErrors))
    for (const line of e.first) console.log(`  ${name}: ${line}`);
  for (const line of recorder.failures) console.log(`  failed: ${line}`);

  const logged = Object.values(o.loggedErrors).reduce((n, e) => n + e.count, 0);
  verdicts.push(['error rate 0', errors === 0, `${errors} of ${requests}`]);
  verdicts.push(['no error logged by web or worker', logged === 0, `${logged} lines`]);
  verdicts.push([
    `route p95 ≤ ${BASELINE_FACTOR} × single-feature baseline`,
    routesPass,
    'table above',
  ]);
  verdicts.push([
    `SSE NOTIFY → client p95 ≤ ${eventLimit} ms`,
    events.n > 0 && events.p95 <= eventLimit,
    `${f0(events.p95)} ms; ${BASELINES.eventDelivery.source}`,
  ]);
  verdicts.push([
    `imports ≥ ${f0(importFloor)} rows/s`,
    importRates.length > 0 && importRates.every((r) => r >= importFloor),
    `${importRates.map(f0).join(', ')}; ${IMPORT_BASELINE_SOURCE}`,
  ]);
  for (const name of ['web', 'worker'] as const) {
    const g = rssGrowth[name];
    verdicts.push([
      `${name} RSS minute ${MINUTES} within 10 % of minute ${RSS_REFERENCE_MINUTE}`,
      g !== null && Math.abs(g) <= 10,
      `${first?.[name].rssMb} → ${last?.[name].rssMb} MB (${g} %)`,
    ]);
  }
  console.log('\nTargets');
  printTable(verdicts.map(([k, pass, why]) => [k, `${pass ? 'PASS' : 'FAIL'}  ${why}`]));
  console.log('\nBaselines');
  for (const b of Object.values(BASELINES)) console.log(`  ${b.p95} ms: ${b.source}`);

  const rss = (name: 'web' | 'worker' | 'postgres') => ({
    [`min${RSS_REFERENCE_MINUTE}`]: first?.[name].rssMb ?? null,
    [`min${MINUTES}`]: last?.[name].rssMb ?? null,
  });
  console.log(
    JSON.stringify({
      bench: 'soak',
      minutes: MINUTES,
      requests,
      errors,
      error_rate: Math.round(errorRate * 1e6) / 1e6,
      requests_per_s: r1(requests / (MINUTES * 60)),
      p95_ms: Object.fromEntries([...routes].map(([name, r]) => [name, r1(r.p95)])),
      events_p95_ms: r1(events.p95),
      import_rows_per_s: importRates,
      calls: o.campaign && { dials: o.campaign.dials, ended: o.campaign.ended },
      syncs: { runs: o.syncs.runs, failed: o.syncs.failed },
      rss_mb: { web: rss('web'), worker: rss('worker'), postgres: rss('postgres') },
      rss_growth_pct: rssGrowth,
      ...(o.minutes[0] && Object.keys(o.minutes[0].heap).length
        ? {
            heap_after_gc_mb: Object.fromEntries(o.minutes.map((m) => [`min${m.minute}`, m.heap])),
          }
        : {}),
      logged_errors: Object.fromEntries(
        Object.entries(o.loggedErrors).map(([k, v]) => [k, v.count]),
      ),
      pass: Object.fromEntries(verdicts.map(([k, pass]) => [k, pass])),
    }),
  );
}
