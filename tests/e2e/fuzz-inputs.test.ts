/**
 * Hostile input over real HTTP (issue 10 item 3), with fast-check and bounded
 * runs: random JSON at every JSON endpoint, and random bytes, CSV shapes, huge
 * fields and deep quoting at the contact import. Never a 500, never a crash,
 * and a refused request writes nothing (the database is fingerprinted around it).
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSecretsKey } from '../../src/lib/secrets/seal';
import { makeMember, makePlatformAdmin, makeSession, makeTenant } from '../factories';
import { useTestDatabase } from '../helpers/db';
import { HttpClient } from '../helpers/http-client';
import { useWebServer } from '../helpers/server';
import { discoverRoutes } from './route-inventory.map';

const t = useTestDatabase();
const server = useWebServer(() => t.url, { SECRETS_KEY: generateSecretsKey() });
const clients = {} as { owner: HttpClient; admin: HttpClient };
let tenantId: string;

beforeAll(async () => {
  const tenant = await makeTenant(t.db);
  tenantId = tenant.id;
  const { user } = await makeMember(t.db, { tenant, role: 'owner' });
  clients.owner = new HttpClient(server.url);
  clients.owner.cookies.set('sb_session', (await makeSession(t.db, user.id)).token);
  clients.owner.cookies.set('sb_tenant', tenant.id);
  clients.admin = new HttpClient(server.url);
  clients.admin.cookies.set(
    'sb_session',
    (await makeSession(t.db, (await makePlatformAdmin(t.db)).id)).token,
  );
});

/** One hash per table of everything in it (sessions aside: signing in is not a write we judge). */
async function fingerprint(): Promise<string> {
  const tables = await t.db.execute<{ name: string }>(sql`
    select quote_ident(tablename) as name from pg_tables
    where schemaname = 'public' and tablename <> 'sessions' order by tablename`);
  const parts = tables.map(
    (r) => `select md5(coalesce(string_agg(x::text, ',' order by x::text), '')) from ${r.name} x`,
  );
  const [row] = await t.db.execute<{ h: string }>(
    sql.raw(`select md5(string_agg(h, '')) as h from (${parts.join(' union all ')}) s(h)`),
  );
  return row?.h ?? '';
}

/** Random JSON, and objects whose every value has a type no schema here expects. */
const hostileJson = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.dictionary(
    fc.constantFrom(
      'name',
      'email',
      'phone',
      'role',
      'limit',
      'webKey',
      'contactIds',
      'token',
      'window',
      'ids',
      'action',
      'password',
      'tenantId',
      'slug',
    ),
    fc.oneof(
      fc.constant(null),
      fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
      fc.object({ maxDepth: 2 }),
      fc.double(),
      fc.boolean(),
      fc.string({ maxLength: 3 }),
      fc.constant('x'.repeat(10_000)),
    ),
  ),
);

describe('every JSON endpoint, given random JSON', () => {
  const targets = discoverRoutes().files.flatMap((route) =>
    route.body !== 'json' || route.params.length > 0
      ? []
      : route.methods
          .filter((m) => m === 'POST' || m === 'PATCH' || m === 'PUT')
          .map((method) => ({ route, method })),
  );

  it('covers the JSON endpoints', () => {
    expect(targets.length).toBeGreaterThanOrEqual(20);
  });

  it('answers 4xx with a Result and writes nothing', async () => {
    const problems: string[] = [];
    for (const { route, method } of targets) {
      const client = route.access === 'platform-admin' ? clients.admin : clients.owner;
      await fc.assert(
        fc.asyncProperty(hostileJson, async (body) => {
          const before = await fingerprint();
          const response = await client.request(route.pattern, {
            method,
            body: JSON.stringify(body),
            headers: { 'content-type': 'application/json' },
          });
          const text = await response.text();
          const after = await fingerprint();
          // A random value may happen to be valid (an empty profile update); then writing is right.
          if (response.status >= 200 && response.status < 300) return;
          const result = JSON.parse(text);
          const fine =
            response.status >= 400 &&
            response.status < 500 &&
            result.ok === false &&
            before === after;
          if (!fine)
            problems.push(
              `${method} ${route.pattern} ${JSON.stringify(body).slice(0, 200)} → ${response.status} ${text.slice(0, 200)} wrote: ${before !== after}`,
            );
        }),
        { numRuns: 6, seed: 10 },
      );
    }
    expect(problems).toEqual([]);
  });
});

async function contactCount(): Promise<number> {
  const [row] = await t.db.execute<{ n: number }>(
    sql`select count(*)::int as n from contacts where tenant_id = ${tenantId}`,
  );
  return row?.n ?? 0;
}

async function upload(bytes: Uint8Array) {
  const form = new FormData();
  form.append('mode', 'skip');
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'text/csv' }), 'fuzz.csv');
  return clients.owner.request('/api/contacts/import', { method: 'POST', body: form });
}

async function finished(id: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const body = await (await clients.owner.request(`/api/contacts/imports/${id}`)).json();
    const view = body.data.import;
    if (view.status === 'completed' || view.status === 'failed') return view;
    if (Date.now() > deadline) throw new Error(`import ${id} did not finish`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const field = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('+12025550123', '(202) 555-0199', '+442071838750', '', '=cmd|', "'+1202555"),
  // Deep quoting: runs of quotes, quoted delimiters and newlines.
  fc.integer({ min: 1, max: 200 }).map((n) => `${'"'.repeat(n)}a,b\n${'"'.repeat(n)}`),
);
const csvShape = fc
  .tuple(
    fc.constantFrom(
      'name,phone',
      'phone',
      'Name;Phone;Email',
      'name\tphone',
      '"name","phone","notes"',
      'nope',
    ),
    fc.array(fc.array(field, { minLength: 0, maxLength: 5 }), { maxLength: 30 }),
    fc.constantFrom(',', ';', '\t'),
    fc.constantFrom('\n', '\r\n', '\r'),
  )
  .map(([header, rows, sep, eol]) =>
    new TextEncoder().encode(
      [header, ...rows.map((r) => r.map((f) => (f.includes('"') ? f : `"${f}"`)).join(sep))].join(
        eol,
      ),
    ),
  );
const hugeField = fc
  .integer({ min: 60_000, max: 140_000 })
  .map((n) => new TextEncoder().encode(`name,phone\n"${'x'.repeat(n)}",+12025550123\n`));
const randomBytes = fc.uint8Array({ minLength: 0, maxLength: 4096 });

describe('the CSV import, given hostile files', () => {
  it('answers 202/4xx, never 500, and writes exactly what the import reports', async () => {
    const problems: string[] = [];
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(fc.oneof(randomBytes, csvShape, csvShape, hugeField), async (bytes) => {
        const before = await contactCount();
        const response = await upload(bytes);
        const body = await response.json();
        statuses.add(response.status);
        if (response.status === 202) {
          const view = await finished(body.data.import.id);
          const added = (await contactCount()) - before;
          const expected = view.status === 'completed' ? view.inserted : 0;
          if (added !== expected)
            problems.push(`202 ${view.status}: ${added} contacts written, import says ${expected}`);
        } else if (![400, 413, 415].includes(response.status) || body.ok !== false) {
          problems.push(`${response.status} ${JSON.stringify(body).slice(0, 200)}`);
        } else if ((await contactCount()) !== before) {
          problems.push(`${response.status} yet contacts were written`);
        }
      }),
      { numRuns: 30, seed: 42 },
    );
    expect(problems).toEqual([]);
    // The generators reach both sides: files imported and files refused.
    expect(statuses).toContain(202);
    expect([...statuses].some((s) => s >= 400)).toBe(true);
    expect((await fetch(new URL('/api/health', server.url))).status).toBe(200);
    expect(server.logs()).not.toMatch(/"level":50/);
  });
});
