/**
 * `npm run bench:soak`: SOAK_MINUTES (10) of mixed traffic on the built web
 * server and a real worker process, sharing one fresh database:
 *  - 50 users across 10 workspaces sign in and browse the dashboards,
 *    contacts, campaigns and their APIs, thinking 1–3 s between views;
 *  - 500 SSE clients on /api/events, spread over those users;
 *  - two CSV imports of 200,000 rows through the upload endpoint (at 10 % and
 *    50 % of the run);
 *  - a campaign of 50,000 calls, created through the API at the start and
 *    dialled by the worker against the call simulator (the `simulated`
 *    provider, ~30 s calls), with slots set so it spreads over the run;
 *  - the hourly ClientTether sync of all ten workspaces compressed to every
 *    2 minutes (CLIENTTETHER_SYNC_SCHEDULE) against the ClientTether simulator,
 *    whose data changes every minute.
 * Prints each minute's requests/s, errors, p95 per route, RSS and CPU of the
 * web server, the worker and the database's backends; then the tables, the
 * targets (error rate 0; each route's p95 within 1.5× its single-feature
 * benchmark, soak/config.ts names them; RSS at the last minute within 10 % of
 * minute 2) and one JSON line. Knobs: soak/config.ts. Logs are kept in the
 * directory printed at the start.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import postgres from 'postgres';
import { connectDatabase } from '../src/lib/db/client';
import { buildIfStale } from '../src/lib/launcher/build';
import { generateSecretsKey } from '../src/lib/secrets/seal';
import { benchDatabase, root, startProcess } from './helpers';
import { sampleActivity } from './pg-activity';
import { browse, type SignedIn, signIn } from './soak/browse';
import { createSoakCampaign } from './soak/campaign';
import * as C from './soak/config';
import { campaignProgress, syncFigures } from './soak/figures';
import { connectHeapProbe, type HeapProbe } from './soak/heap';
import { runImports, writeImportFiles } from './soak/imports';
import { startWeb, startWorker } from './soak/processes';
import { Recorder } from './soak/recorder';
import { type MinuteView, printMinute, printReport } from './soak/report';
import { BENCH_APPLICATION_NAME, createSampler } from './soak/sample';
import { CT_ACCESS_TOKEN, seedSoak } from './soak/seed';
import { openStreams } from './soak/streams';

const logDir = mkdtempSync(join(tmpdir(), 'switchboard-soak-'));
const log = (line: string) => console.log(`soak | ${line}`);
log(
  `${C.MINUTES} min; ${C.TENANTS * C.USERS_PER_TENANT} users, ${C.SSE_CLIENTS} SSE clients, 2 × ${C.IMPORT_ROWS.toLocaleString('en-US')}-row imports, ` +
    `${C.CAMPAIGN_CALLS.toLocaleString('en-US')} calls on ${C.CALL_SLOTS} slots, sync '${C.SYNC_SCHEDULE}'; logs in ${logDir}`,
);

const database = await benchDatabase();
const handle = connectDatabase(database.url, { max: 4 });
const bench = { connection: { application_name: BENCH_APPLICATION_NAME }, onnotice: () => {} };
const admin = postgres(database.url, { max: 2, ...bench });
const listener = postgres(database.url, { max: 1, ...bench });
const secretsKey = generateSecretsKey();
const tenants = await seedSoak(handle.db, {
  tenants: C.TENANTS,
  usersPerTenant: C.USERS_PER_TENANT,
  secretsKey,
  campaignContacts: C.CAMPAIGN_CALLS,
  callSlots: C.CALL_SLOTS,
});
const csv = await writeImportFiles(C.IMPORT_ROWS, C.IMPORT_AT.length, logDir);
await buildIfStale(root, { quiet: true });
const clienttether = await startProcess('src/cli/clienttether-simulator.ts', [
  '--access-token',
  CT_ACCESS_TOKEN,
  '--evolve-every-ms',
  String(C.CT_EVOLVE_MS),
  ...tenants.flatMap((t, i) => [
    '--tenant',
    `${t.webKey}:${i + 1}:${C.CT_CLIENTS}:${C.CT_OPPORTUNITIES}`,
  ]),
]);
const env = {
  DATABASE_URL: database.url,
  SECRETS_KEY: secretsKey,
  CLIENTTETHER_API_URL: String(clienttether.info.url),
  CLIENTTETHER_SYNC_SCHEDULE: C.SYNC_SCHEDULE,
};
const web = await startWeb(env, logDir, C.HEAP);
const worker = startWorker(env, logDir, C.HEAP);
const probes: Record<string, HeapProbe> = {};
for (const p of [web, worker]) {
  const url = await p.inspectorUrl;
  if (url) probes[p.name] = await connectHeapProbe(url);
}
const recorder = new Recorder();
let running = true;
let streams: Awaited<ReturnType<typeof openStreams>> | null = null;
let activity: ReturnType<typeof sampleActivity> | null = null;

try {
  // The worker catches up on this period's sync at start: the dashboards have data before the run.
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    const [row] = await admin<{ n: number }[]>`
      select count(distinct tenant_id)::int as n from sync_runs where status = 'success'`;
    if ((row?.n ?? 0) >= C.TENANTS) break;
    if (worker.exit() !== null || Date.now() > deadline)
      throw new Error(`the first syncs did not finish; see ${worker.logFile}`);
    await sleep(1_000);
  }
  log('first sync of every workspace done');

  const users: SignedIn[] = [];
  for (const t of tenants)
    for (const u of t.users) users.push(await signIn(web.url, u, t.id, recorder));
  const tenantIds = tenants.map((t) => t.id);
  streams = await openStreams(web.url, users, C.SSE_CLIENTS, tenantIds, listener, recorder);
  log(`${users.length} users signed in, ${streams.stats.open} streams open; the run starts`);

  const sampler = createSampler(admin, { web: web.pid, worker: worker.pid });
  activity = sampleActivity(admin, { everyMs: 250, excludeApplication: BENCH_APPLICATION_NAME });
  await sampler.reset();
  recorder.start();
  const startedAt = new Date();
  const owners = users.filter((u) => u.owner);
  const campaignId = await createSoakCampaign(web.url, owners[0] as SignedIn, recorder);
  const browsing = users.map((u) =>
    browse(
      web.url,
      u,
      () => (u.tenantIndex === 0 ? campaignId : null),
      recorder,
      () => running,
    ),
  );
  const runMs = C.MINUTES * 60_000;
  const imports = runImports(
    web.url,
    csv.files,
    owners.slice(1),
    C.IMPORT_AT.map((f) => f * runMs),
    C.IMPORT_ROWS,
    recorder,
  );

  const minutes: MinuteView[] = [];
  const runStart = performance.now();
  let syncsBefore = 0;
  for (let minute = 1; minute <= C.MINUTES; minute++) {
    await sleep(Math.max(0, runStart + minute * 60_000 - performance.now()));
    const sample = await sampler.sample();
    const syncs = await syncFigures(admin, startedAt);
    const heap: Record<string, number | null> = {};
    for (const [name, probe] of Object.entries(probes)) heap[name] = await probe.afterGc();
    const view: MinuteView = {
      minute,
      sample,
      heap,
      campaign: await campaignProgress(admin, campaignId),
      syncsEnded: syncs.runs - syncsBefore,
    };
    syncsBefore = syncs.runs;
    minutes.push(view);
    printMinute(recorder, streams.stats, view);
    if (web.exit() !== null || worker.exit() !== null) {
      log(`a process exited: web ${web.exit()}, worker ${worker.exit()}`);
      break;
    }
  }
  running = false;
  await Promise.all(browsing);
  const importOutcomes = await imports;
  streams.close();
  await activity.stop();
  const snapshot = (e: { count: number; first: string[] }) => ({ ...e, first: [...e.first] });
  printReport(recorder, {
    minutes,
    imports: importOutcomes,
    campaign: await campaignProgress(admin, campaignId),
    syncs: await syncFigures(admin, startedAt),
    streams: streams.stats,
    loggedErrors: { web: snapshot(web.errors), worker: snapshot(worker.errors) },
    activity: activity.top(10),
    exits: { web: web.exit(), worker: worker.exit() },
  });
} finally {
  running = false;
  streams?.close();
  await activity?.stop();
  for (const probe of Object.values(probes)) probe.close();
  await worker.stop();
  await web.stop();
  await clienttether.stop();
  csv.remove();
  await listener.end({ timeout: 5 });
  await admin.end({ timeout: 5 });
  await handle.close();
  if (process.env.BENCH_KEEP) console.error(`kept ${database.url}`);
  else await database.cleanup();
}
