/**
 * `npm run bench:pages`: one tenant with 200,000 leads, 50,000 opportunities,
 * 500,000 notes and 10,000 activities (plus 50 smaller tenants), the built
 * server, each page and API requested 200 times by 8 concurrent clients.
 * Targets: page p95 < 150 ms, API p95 < 80 ms, notes search p95 < 100 ms.
 */
import { sql } from 'drizzle-orm';
import { createSession } from '../src/lib/auth/sessions';
import { encodeNotesCursor } from '../src/lib/dashboard';
import { connectDatabase } from '../src/lib/db/client';
import { buildIfStale } from '../src/lib/launcher/build';
import { createTenant } from '../src/lib/tenants/create-tenant';
import { addMember } from '../src/lib/tenants/memberships';
import { createUser } from '../src/lib/users/create-user';
import { startWebServer } from '../tests/helpers/server';
import { benchDatabase, printTable, root, unwrap } from './helpers';
import { seedCrm } from './seed-crm';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const CONCURRENCY = 8;
const BIG = { leads: 200_000, opportunities: 50_000, notes: 500_000, activities: 10_000 };
const SMALL = { leads: 2_000, opportunities: 500, notes: 5_000, activities: 100 };
const ROUTES = [
  ['page', '/dashboard'],
  ['page', '/leads?range=30'],
  ['page', '/leads?range=all'],
  ['page', '/pipeline'],
  ['page', '/hot-list'],
  ['page', '/hot-list?sort=candidate&dir=asc&page=40'],
  ['page', '/notes'],
  ['page', '/notes?search=territory%20houston'],
  ['page', '/schedule'],
  ['api', '/api/dashboard/leads?range=90'],
  ['api', '/api/dashboard/pipeline'],
  ['api', '/api/dashboard/hot-list?page=3'],
  // A deep page: the cursor of note 400,000 (NOTES_400K), as 8,000 "Load more" clicks would reach.
  ['api', '/api/dashboard/notes?after=NOTES_400K'],
  ['api', '/api/dashboard/notes?search=liquid%20capital'],
  ['api', '/api/dashboard/schedule'],
] as const;

const database = await benchDatabase();
const handle = connectDatabase(database.url, { max: 4 });
const seedStarted = performance.now();
const tenant = unwrap(await createTenant(handle.db, { name: 'Big Franchise Co', slug: 'big' }));
await seedCrm(handle.db, tenant.id, BIG);
for (let i = 0; i < 50; i++) {
  const other = unwrap(await createTenant(handle.db, { name: `Other ${i}`, slug: `other-${i}` }));
  await seedCrm(handle.db, other.id, SMALL);
}
const user = unwrap(
  await createUser(handle.db, {
    email: 'bench@example.test',
    name: 'Bench',
    password: 'bench-password',
  }),
);
unwrap(await addMember(handle.db, tenant.id, user.id, 'owner'));
const { token } = await createSession(handle.db, user.id);
const [deep] = await handle.db.execute<{ noted_at: string | null; ct_id: string }>(sql`
  select to_json(noted_at) #>> '{}' as noted_at, ct_id from ct_notes
  where tenant_id = ${tenant.id} and deleted_at is null
  order by noted_at desc nulls last, ct_id offset 399999 limit 1`);
if (!deep) throw new Error('bench: the big tenant has fewer than 400,000 notes');
const after = encodeNotesCursor({ notedAt: deep.noted_at, id: deep.ct_id });
const seedSeconds = (performance.now() - seedStarted) / 1000;

await buildIfStale(root, { quiet: true });
const server = await startWebServer(database.url);
const cookie = `sb_session=${token}; sb_tenant=${tenant.id}`;

async function measure(path: string) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const client = async () => {
    while (next < REQUESTS) {
      next++;
      const t0 = performance.now();
      const response = await fetch(`${server.url}${path}`, { headers: { cookie } });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, client));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  return { p50: pct(50), p95: pct(95), p99: pct(99), rps: REQUESTS / seconds };
}

const results: Record<
  string,
  { kind: string; p50: number; p95: number; p99: number; rps: number }
> = {};
try {
  const url = (path: string) => path.replace('NOTES_400K', after);
  for (const [, path] of ROUTES) await measure(url(path)); // warm-up pass
  for (const [kind, path] of ROUTES) results[path] = { kind, ...(await measure(url(path))) };
} finally {
  await server.stop();
  await handle.close();
  await database.cleanup();
}

console.log(
  `\nPages and APIs: 1 tenant with ${BIG.leads.toLocaleString('en-US')} leads, ${BIG.notes.toLocaleString('en-US')} notes (+50 tenants); ${REQUESTS} requests × ${CONCURRENCY} concurrent (seeded in ${seedSeconds.toFixed(0)} s)\n`,
);
const f = (ms: number) => `${ms.toFixed(1)} ms`;
printTable([
  ['route', 'p50 / p95 / p99 · req/s'],
  ...Object.entries(results).map(([path, r]): [string, string] => [
    `${r.kind.padEnd(4)} ${path}`,
    `${f(r.p50)} / ${f(r.p95)} / ${f(r.p99)} · ${r.rps.toFixed(0)}`,
  ]),
]);
const worst = (kind: string, filter = (_: string) => true) =>
  Math.max(
    ...Object.entries(results)
      .filter(([p, r]) => r.kind === kind && filter(p))
      .map(([, r]) => r.p95),
  );
const figures = {
  bench: 'pages',
  page_p95_ms: Number(worst('page').toFixed(1)),
  api_p95_ms: Number(worst('api').toFixed(1)),
  notes_search_p95_ms: Number(
    Math.max(
      worst('page', (p) => p.includes('search')),
      worst('api', (p) => p.includes('search')),
    ).toFixed(1),
  ),
};
console.log(`\ntargets: page p95 < 150 ms, API p95 < 80 ms, notes search p95 < 100 ms`);
console.log(JSON.stringify(figures));
