/**
 * `npm run bench:import`: a generated contacts CSV (mixed phone formats, 2 %
 * invalid, 5 % duplicates) uploaded through the real endpoint of the built
 * server, timed until the import completes, with the server's peak RSS.
 * Runs 100,000 rows then 1,000,000 rows, each on a fresh server process, and
 * the raw floor: the same file through `COPY FROM STDIN` into a bare copy of the
 * contacts table (same keys and indexes).
 * Targets: ≥ 40,000 rows/s end to end, peak server RSS < 250 MB, and the 1M
 * run's RSS within 20 % of the 100k run's.
 */
import { createReadStream, rmSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createSession } from '../src/lib/auth/sessions';
import { connectDatabase } from '../src/lib/db/client';
import { buildIfStale } from '../src/lib/launcher/build';
import { createTenant } from '../src/lib/tenants/create-tenant';
import { addMember } from '../src/lib/tenants/memberships';
import { createUser } from '../src/lib/users/create-user';
import { startWebServer } from '../tests/helpers/server';
import { benchDatabase, printTable, root, unwrap } from './helpers';
import { writeContactsCsv } from './import-data';
import { importCsv } from './import-upload';
import { rssMb } from './proc';

const SIZES = (process.env.BENCH_IMPORT_ROWS ?? '100000,1000000').split(',').map(Number);

const database = await benchDatabase();
const handle = connectDatabase(database.url, { max: 2 });
const user = unwrap(
  await createUser(handle.db, {
    email: 'bench@example.test',
    name: 'Bench',
    password: 'bench-password',
  }),
);
await buildIfStale(root, { quiet: true });

interface Run {
  rows: number;
  megabytes: number;
  seconds: number;
  rowsPerSecond: number;
  peakRssMb: number;
  counts: Record<string, number | null>;
  floorRowsPerSecond: number;
}
const runs: Run[] = [];

for (const [index, rows] of SIZES.entries()) {
  const file = join(tmpdir(), `sb-bench-import-${rows}.csv`);
  await writeContactsCsv(file, rows);
  const bytes = (await stat(file)).size;

  // The floor: the same bytes straight into a bare copy of the contacts table
  // (same keys and indexes; the phone index not unique, as the file repeats
  // phones) by COPY, with no parsing, validation or merge.
  await handle.sql.unsafe(`drop table if exists import_floor;
    create table import_floor (
      tenant_id uuid not null default '00000000-0000-4000-8000-000000000000', id bigint generated always as identity,
      name text, phone text, email text, company text, timezone text, notes text, city text,
      primary key (tenant_id, id));
    create index on import_floor (tenant_id, phone);
    create index on import_floor (tenant_id, (lower(name) collate "C"), id);
    create index on import_floor (tenant_id, (lower(company) collate "C"), id);
    create index on import_floor (tenant_id, (lower(email) collate "C"), id);`);
  const floorStarted = performance.now();
  const copy =
    await handle.sql`copy import_floor (name, phone, email, company, timezone, notes, city)
    from stdin (format csv, header true)`.writable();
  await pipeline(createReadStream(file), copy);
  const floorSeconds = (performance.now() - floorStarted) / 1000;

  const tenant = unwrap(
    await createTenant(handle.db, { name: `Bench ${rows}`, slug: `bench-${index}` }),
  );
  unwrap(await addMember(handle.db, tenant.id, user.id, 'owner'));
  const { token } = await createSession(handle.db, user.id);
  const server = await startWebServer(database.url);
  const headers = { cookie: `sb_session=${token}; sb_tenant=${tenant.id}`, origin: server.url };
  try {
    const run = await importCsv(server.url, headers, file);
    const view = run.view;
    if (view.status !== 'completed') throw new Error(`import failed: ${view.errorMessage}`);
    const { seconds, acceptedAfter: accepted } = run;
    runs.push({
      rows,
      megabytes: Math.round((bytes / 1024 / 1024) * 10) / 10,
      seconds: Math.round(seconds * 10) / 10,
      rowsPerSecond: Math.round(rows / seconds),
      peakRssMb: rssMb(server.pid).peak,
      counts: {
        accepted_after_s: Math.round(accepted * 10) / 10,
        inserted: view.inserted as number,
        duplicates: view.duplicates as number,
        invalid: view.invalid as number,
      },
      floorRowsPerSecond: Math.round(rows / floorSeconds),
    });
  } finally {
    await server.stop();
    rmSync(file, { force: true });
  }
}

for (const run of runs) {
  console.log(`\n${run.rows.toLocaleString('en-US')} rows (${run.megabytes} MB)`);
  printTable([
    [
      'end to end',
      `${run.seconds} s → ${run.rowsPerSecond.toLocaleString('en-US')} rows/s (target ≥ 40,000)`,
    ],
    ['upload accepted after', `${run.counts.accepted_after_s} s`],
    [
      'inserted / duplicates / invalid',
      `${run.counts.inserted} / ${run.counts.duplicates} / ${run.counts.invalid}`,
    ],
    ['server peak RSS', `${run.peakRssMb} MB (target < 250)`],
    [
      'raw floor (COPY FROM STDIN, bare copy of the table)',
      `${run.floorRowsPerSecond.toLocaleString('en-US')} rows/s`,
    ],
    ['ratio to the floor', `${Math.round((run.rowsPerSecond / run.floorRowsPerSecond) * 100)} %`],
  ]);
}
const big = runs.at(-1);
const small = runs[0];
const rssGrowth =
  big && small && big !== small ? Math.round((big.peakRssMb / small.peakRssMb - 1) * 100) : 0;
if (big && small && big !== small)
  console.log(
    `\npeak RSS ${big.rows} rows vs ${small.rows} rows: ${rssGrowth >= 0 ? '+' : ''}${rssGrowth} % (target within 20 %)`,
  );

await handle.close();
await database.cleanup();
console.log(
  JSON.stringify({
    bench: 'import',
    rows: big?.rows,
    rows_per_s: big?.rowsPerSecond,
    seconds: big?.seconds,
    peak_rss_mb: big?.peakRssMb,
    peak_rss_small_mb: small?.peakRssMb,
    rss_growth_pct: rssGrowth,
    floor_rows_per_s: big?.floorRowsPerSecond,
    ratio_to_floor: big
      ? Math.round((big.rowsPerSecond / big.floorRowsPerSecond) * 100) / 100
      : null,
  }),
);
