/**
 * `npm run bench:sync`: one full ClientTether sync of a simulated tenant with
 * 50,000 clients and 20,000 opportunities (the simulator runs as a separate
 * process). Targets: ≥ 5,000 records/s end to end, peak RSS < 300 MB.
 */
import { createClientTetherClient } from '../src/lib/clienttether/client';
import { connectDatabase } from '../src/lib/db/client';
import { generateSecretsKey } from '../src/lib/secrets/seal';
import { runTenantSync } from '../src/lib/sync/run-tenant-sync';
import { createTenant } from '../src/lib/tenants/create-tenant';
import { setClientTetherCredentials } from '../src/lib/tenants/set-clienttether-credentials';
import { benchDatabase, printTable, startProcess } from './helpers';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50_000);
const OPPORTUNITIES = Number(process.env.BENCH_OPPORTUNITIES ?? 20_000);
const TOKEN = 'bench-access-token';
const WEB_KEY = 'CT_00000000000000000000000000bench0';

const database = await benchDatabase();
const simulator = await startProcess('src/cli/clienttether-simulator.ts', [
  '--access-token',
  TOKEN,
  '--tenant',
  `${WEB_KEY}:7:${CLIENTS}:${OPPORTUNITIES}`,
]);
const handle = connectDatabase(database.url, { max: 5 });
try {
  const secretsKey = generateSecretsKey();
  const created = await createTenant(handle.db, { name: 'Bench Franchising', slug: 'bench' });
  if (!created.ok) throw new Error(created.error.message);
  const tenantId = created.data.id;
  await setClientTetherCredentials(handle.db, secretsKey, tenantId, {
    webKey: WEB_KEY,
    accessToken: TOKEN,
  });
  const ctx = {
    db: handle.db,
    sql: handle.sql,
    secretsKey,
    createClient: (credentials: { webKey: string; accessToken: string }) =>
      createClientTetherClient({ baseUrl: String(simulator.info.url), credentials }),
  };

  const baselineRss = process.memoryUsage().rss;
  let peakRss = baselineRss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  const run = async () => {
    const started = performance.now();
    const outcome = await runTenantSync(ctx, tenantId, { trigger: 'manual' });
    const seconds = (performance.now() - started) / 1000;
    if (outcome.status !== 'success')
      throw new Error(`sync ${outcome.status}: ${'error' in outcome ? outcome.error : ''}`);
    return { seconds, fetched: outcome.recordsFetched, updated: outcome.recordsUpdated };
  };
  const first = await run();
  const second = await run(); // nothing changed upstream: the hourly steady state
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);

  const firstRate = Math.round(first.fetched / first.seconds);
  const steadyRate = Math.round(second.fetched / second.seconds);
  const peakMb = Math.round(peakRss / 1024 / 1024);
  console.log(
    `\nClientTether sync: ${CLIENTS.toLocaleString('en-US')} clients, ${OPPORTUNITIES.toLocaleString('en-US')} opportunities\n`,
  );
  printTable([
    [
      'first sync',
      `${first.seconds.toFixed(1)} s, ${first.fetched.toLocaleString('en-US')} records fetched, ${first.updated.toLocaleString('en-US')} written, ${firstRate.toLocaleString('en-US')} records/s`,
    ],
    [
      're-sync (unchanged)',
      `${second.seconds.toFixed(1)} s, ${second.updated.toLocaleString('en-US')} written, ${steadyRate.toLocaleString('en-US')} records/s`,
    ],
    [
      'peak RSS (sync process)',
      `${peakMb} MB (${Math.round(baselineRss / 1048576)} MB before the sync)`,
    ],
    ['targets', '≥ 5,000 records/s, < 300 MB'],
  ]);
  console.log(
    JSON.stringify({
      bench: 'sync',
      records: first.fetched,
      records_per_s: firstRate,
      resync_records_per_s: steadyRate,
      total_s: Number(first.seconds.toFixed(2)),
      peak_rss_mb: peakMb,
    }),
  );
} finally {
  await handle.close();
  await simulator.stop();
  if (process.env.BENCH_KEEP) console.error(`kept ${database.url}`);
  else await database.cleanup();
}
