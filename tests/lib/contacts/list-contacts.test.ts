import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CONTACT_SORT_DIRECTIONS,
  CONTACT_SORTS,
  type ContactSort,
  type ContactSortDirection,
  encodeCursor,
  type ListContactsOptions,
  listContacts,
  setPhoneRegion,
} from '../../../src/lib/contacts';
import {
  digitsUpperBound,
  phonePrefixes,
  prefixUpperBound,
} from '../../../src/lib/contacts/contact-search';
import * as schema from '../../../src/lib/db/schema';
import type { PublicTenant } from '../../../src/lib/tenants/schemas';
import { makeTenant } from '../../factories';
import { type ContactOverrides, makeContacts } from '../../factories/contacts';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();

async function list(tenantId: string, q: ListContactsOptions) {
  const result = await listContacts(t.db, tenantId, q);
  if (!result.ok) throw new Error(result.error.message);
  return result.data;
}

/** Every page, following nextCursor; the ids in the order served. */
async function walk(tenantId: string, q: ListContactsOptions) {
  const ids: number[] = [];
  let after: string | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await list(tenantId, { ...q, after });
    ids.push(...page.items.map((c) => c.id));
    if (!page.nextCursor) return ids;
    expect(page.items).toHaveLength(q.limit ?? 50);
    after = page.nextCursor;
  }
  throw new Error('too many pages');
}

/** The order Postgres itself gives, from the generated keys. */
async function expectedOrder(tenantId: string, sort: ContactSort, dir: ContactSortDirection) {
  const key = { name: 'name_key', company: 'company_key', created: null }[sort];
  const d = sql.raw(dir);
  const order = key ? sql`${sql.raw(key)} collate "C" ${d}, id ${d}` : sql`id ${d}`;
  const rows = await t.db.execute<{ id: string }>(
    sql`select id from contacts where tenant_id = ${tenantId} order by ${order}`,
  );
  return rows.map((r) => Number(r.id));
}

const PEOPLE: ContactOverrides[] = [
  {
    name: 'Ada Lovelace',
    company: 'Analytical Engines',
    email: 'ada@engines.example',
    phoneE164: '+14155550101',
  },
  { name: 'ada lovelace', company: 'analytical engines', phoneE164: '+14155550102' },
  { name: 'ADA', company: null, phoneE164: '+14155550103' },
  { name: 'Same', company: 'Same Co', phoneE164: '+12125550104' },
  { name: 'Same', company: 'Same Co', phoneE164: '+12125550105' },
  { name: 'Same', company: 'Same Co', phoneE164: '+12125550106' },
  { name: 'Same', company: null, phoneE164: '+12125550107' },
  {
    name: 'Émile Zola',
    company: 'Éditions',
    email: 'emile@zola.example',
    phoneE164: '+33142680000',
  },
  { name: 'Zoë', company: 'Zed', phoneE164: '+442079460108' },
  { name: '', company: '', phoneE164: '+442079460109' },
  { name: 'Grace Hopper', company: 'Navy', email: 'grace@navy.example', phoneE164: '+16465550110' },
  { name: "Dan O'Brien", company: 'a_b Ltd', phoneE164: '+16465550111' },
  { name: 'axb', company: '100% Co', phoneE164: '+16465550112' },
  { name: 'zzz', company: 'Alpha', phoneE164: '+19995550113' },
];

let mine: PublicTenant;
let theirs: PublicTenant;
beforeAll(async () => {
  mine = await makeTenant(t.db);
  theirs = await makeTenant(t.db);
  await makeContacts(t.db, mine.id, PEOPLE);
  await makeContacts(t.db, theirs.id, [
    { name: 'Ada Theirs', company: 'Analytical Theirs', phoneE164: '+14155550101' },
    { name: 'Same', company: 'Same Co', email: 'same@theirs.example', phoneE164: '+12125550199' },
  ]);
});

describe('listContacts paging', () => {
  for (const sort of CONTACT_SORTS) {
    for (const dir of CONTACT_SORT_DIRECTIONS) {
      it(`serves every contact exactly once, in order, by ${sort} ${dir} (ties by id)`, async () => {
        const expected = await expectedOrder(mine.id, sort, dir);
        expect(expected).toHaveLength(PEOPLE.length);
        for (const limit of [1, 2, 3, 5, 100]) {
          expect(await walk(mine.id, { sort, dir, limit }), `limit ${limit}`).toEqual(expected);
        }
      });
    }
  }

  it('reads names case-insensitively, blanks first in ascending order', async () => {
    const page = await list(mine.id, { sort: 'name', dir: 'asc', limit: 4 });
    expect(page.items.map((c) => c.name)).toEqual(['', 'ADA', 'Ada Lovelace', 'ada lovelace']);
    expect(page.total).toBe(PEOPLE.length);
  });

  it('ends with a null cursor and counts what matches', async () => {
    const page = await list(mine.id, { limit: 100 });
    expect(page.nextCursor).toBeNull();
    expect(page).toMatchObject({ total: PEOPLE.length, sort: 'name', dir: 'asc' });
    expect(page.totalExceeds).toBeUndefined();
  });

  it("never shows another workspace's contacts", async () => {
    const all = await list(mine.id, { limit: 100 });
    expect(all.items.map((c) => c.name)).not.toContain('Ada Theirs');
    for (const search of ['ada', 'same', 'analytical', '415', '+1212555019']) {
      const found = await list(theirs.id, { search, limit: 100 });
      const names = found.items.map((c) => c.name);
      expect(
        names.every((n) => ['Ada Theirs', 'Same'].includes(n)),
        search,
      ).toBe(true);
    }
  });

  it.each([
    ['garbage', 'not a cursor!'],
    ['base64 of junk', Buffer.from('{oops').toString('base64url')],
    ['another sort', encodeCursor('company', 'asc', { key: 'a', id: 1 })],
    ['another direction', encodeCursor('name', 'desc', { key: 'a', id: 1 })],
    ['a text id', Buffer.from(JSON.stringify(['name', 'asc', 'a', '1'])).toString('base64url')],
    [
      'a NUL in the key',
      Buffer.from(JSON.stringify(['name', 'asc', 'a\u0000', 1])).toString('base64url'),
    ],
    ['a huge id', Buffer.from(JSON.stringify(['name', 'asc', 'a', 2 ** 60])).toString('base64url')],
    ['a key for the created order', encodeCursor('created', 'asc', { key: 'a', id: 1 })],
  ])('refuses a forged cursor (%s) as VALIDATION', async (_, after) => {
    const result = await listContacts(t.db, mine.id, { sort: 'name', dir: 'asc', after });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', fields: { after: expect.any(String) } },
    });
  });

  it('accepts any key in a well-formed cursor (it is only compared)', async () => {
    const after = encodeCursor('name', 'asc', { key: "'; drop table contacts; --", id: 0 });
    const page = await list(mine.id, { sort: 'name', dir: 'asc', after, limit: 100 });
    expect(page.items.length).toBeGreaterThan(0);
  });
});

describe('listContacts search', () => {
  const names = async (search: string, q: ListContactsOptions = {}) =>
    (await list(mine.id, { search, limit: 100, ...q })).items.map((c) => c.name).sort();

  it('matches a name, company or email prefix, ignoring case', async () => {
    expect(await names('ada')).toEqual(['ADA', 'Ada Lovelace', 'ada lovelace']);
    expect(await names('ADA LOVE')).toEqual(['Ada Lovelace', 'ada lovelace']);
    expect(await names('analytical')).toEqual(['Ada Lovelace', 'ada lovelace']);
    expect(await names('grace@navy')).toEqual(['Grace Hopper']);
    expect(await names('émile')).toEqual(['Émile Zola']);
    expect(await names('ÉDITIONS')).toEqual(['Émile Zola']);
    expect(await names('lovelace')).toEqual([]);
    expect(await names('  zo ')).toEqual(['Zoë']);
  });

  it('takes LIKE wildcards and quotes literally', async () => {
    expect(await names('a_b')).toEqual(["Dan O'Brien"]);
    expect(await names('100%')).toEqual(['axb']);
    expect(await names("dan o'b")).toEqual(["Dan O'Brien"]);
    expect(await names('%')).toEqual([]);
    expect(await names('gr\u0000ace')).toEqual(['Grace Hopper']);
  });

  it('finds numbers from the digits typed, with or without the country code', async () => {
    expect(await names('415')).toEqual(['ADA', 'Ada Lovelace', 'ada lovelace']);
    expect(await names('(415) 555-0101')).toEqual(['Ada Lovelace']);
    expect(await names('1 415 555')).toEqual(['ADA', 'Ada Lovelace', 'ada lovelace']);
    expect(await names('+44 20 7946')).toEqual(['', 'Zoë']);
    expect(await names('+33')).toEqual(['Émile Zola']);
    expect(await names('999')).toEqual(['zzz']);
    expect(await names('646-555-011')).toEqual(["Dan O'Brien", 'Grace Hopper', 'axb']);
  });

  it("reads typed national numbers in the workspace's region", async () => {
    const gb = await makeTenant(t.db);
    await setPhoneRegion(t.db, gb.id, { region: 'GB' });
    await makeContacts(t.db, gb.id, [
      { name: 'London', phoneE164: '+442079460001' },
      { name: 'Boston', phoneE164: '+16175550001' },
    ]);
    const found = async (search: string) =>
      (await list(gb.id, { search })).items.map((c) => c.name);
    expect(await found('020 7946')).toEqual(['London']);
    expect(await found('+1 617')).toEqual(['Boston']);
  });

  it('pages through matches with the cursor, and counts them', async () => {
    for (const sort of CONTACT_SORTS) {
      const all = await list(mine.id, { search: 'same', sort, limit: 100 });
      expect(all.total).toBe(4);
      expect(await walk(mine.id, { search: 'same', sort, limit: 1 })).toEqual(
        all.items.map((c) => c.id),
      );
    }
  });

  it('computes range bounds by code point', () => {
    expect(prefixUpperBound('abc')).toBe('abd');
    expect(prefixUpperBound('az')).toBe('a{');
    expect(prefixUpperBound('é')).toBe('ê');
    expect(prefixUpperBound('a\u{10ffff}')).toBe('b');
    expect(prefixUpperBound('\u{10ffff}')).toBeNull();
    expect(prefixUpperBound('a\ud7ff')).toBe('a\ue000');
    expect(digitsUpperBound('+1415')).toBe('+1416');
    expect(digitsUpperBound('+1419')).toBe('+142');
    expect(digitsUpperBound('+99')).toBeNull();
    expect(phonePrefixes('415', 'US')).toEqual(['+415', '+1415']);
    expect(phonePrefixes('020 79', 'GB')).toEqual(['+442079']);
    expect(phonePrefixes('+44 20', 'US')).toEqual(['+4420']);
    expect(phonePrefixes('ada', 'US')).toEqual([]);
  });
});

/**
 * Runs listContacts on a connection with auto_explain reporting every
 * statement (with actual row counts), as the app role inside withTenant.
 * Returns the plan of the page query (the one with an ORDER BY).
 */
async function explainedPage(tenantId: string, q: ListContactsOptions) {
  const notices: string[] = [];
  const connection = postgres(t.url, {
    max: 1,
    onnotice: (notice) => notices.push(String(notice.message)),
  });
  try {
    await connection.unsafe(`load 'auto_explain'`);
    await connection.unsafe(`set auto_explain.log_min_duration = 0;
      set auto_explain.log_analyze = on; set auto_explain.log_level = 'notice'`);
    const result = await listContacts(drizzle(connection, { schema }), tenantId, q);
    if (!result.ok) throw new Error(result.error.message);
    const plans = notices.filter((n) => /order by/i.test(n));
    expect(plans).toHaveLength(1);
    return { page: result.data, plan: plans[0] ?? '' };
  } finally {
    await connection.end({ timeout: 5 });
  }
}

/** The cursor a client holds after reading `n` rows (page 181 at 50 a page). */
async function cursorAt(tenantId: string, sort: ContactSort, dir: ContactSortDirection, n: number) {
  const key = { name: 'name_key', company: 'company_key', created: null }[sort];
  const d = sql.raw(dir);
  const [row] = await t.db.execute<{ id: string; key: string | null }>(
    sql`select id, ${key ? sql.raw(key) : sql`null`} as key from contacts where tenant_id = ${tenantId}
      order by ${key ? sql`${sql.raw(key)} ${d}, id ${d}` : sql`id ${d}`} offset ${n - 1} limit 1`,
  );
  if (!row) throw new Error('no row there');
  return encodeCursor(sort, dir, { key: row.key, id: Number(row.id) });
}

const INDEX = {
  name: 'contacts_tenant_name_idx',
  company: 'contacts_tenant_company_idx',
  created: 'contacts_tenant_id_id_pk',
};

describe('listContacts plans at volume', () => {
  let big: PublicTenant;
  beforeAll(async () => {
    big = await makeTenant(t.db);
    const specs: ContactOverrides[] = Array.from({ length: 12_000 }, (_, i) => ({
      name: `Person ${String(i % 3000).padStart(4, '0')}`,
      company: i % 7 === 0 ? null : `Company ${i % 500}`,
      email: `p${i}@example.test`,
      phoneE164: `+1303${String(5_000_000 + i)}`,
    }));
    await makeContacts(t.db, big.id, specs);
    await makeContacts(
      t.db,
      theirs.id,
      Array.from({ length: 3000 }, (_, i) => ({
        name: `Other ${i}`,
        phoneE164: `+1720${5_000_000 + i}`,
      })),
    );
    await t.db.execute(sql`analyze contacts`);
  }, 120_000);

  for (const sort of CONTACT_SORTS) {
    for (const dir of CONTACT_SORT_DIRECTIONS) {
      it(`reads ${sort} ${dir} from ${INDEX[sort]} with no Sort, a deep page as cheaply as the first`, async () => {
        const first = await explainedPage(big.id, { sort, dir, limit: 50 });
        const after = await cursorAt(big.id, sort, dir, 9000);
        const deep = await explainedPage(big.id, { sort, dir, after, limit: 50 });
        expect(deep.page.items).toHaveLength(50);
        for (const { plan } of [first, deep]) {
          expect(plan).toMatch(new RegExp(`Index Scan(?: Backward)? using ${INDEX[sort]}`));
          expect(plan).not.toMatch(/\bSort\b|Seq Scan|Bitmap|Rows Removed/);
          // The index yields exactly the page plus one row: nothing before the cursor is read.
          const scanned = /Index Scan.*\n?.*actual time=[\d.]+\.\.[\d.]+ rows=([\d.]+)/.exec(plan);
          expect(Number(scanned?.[1])).toBe(51);
        }
        // The cursor is where the index scan starts, not a filter on what it reads.
        expect(deep.plan).toMatch(
          sort === 'created'
            ? /Index Cond: .*\(id [<>] /
            : /Index Cond: .*ROW\(\w+_key, id\) [<>] ROW\(/,
        );
      }, 60_000);
    }
  }

  it('counts up to 10,000 and then says "more than"', async () => {
    const page = await list(big.id, { limit: 1 });
    expect(page.total).toBeUndefined();
    expect(page.totalExceeds).toBe(10_000);
    expect((await list(big.id, { search: 'person 000', limit: 1 })).total).toBe(40);
  });

  it('searches through the key and phone indexes, not a scan of the workspace', async () => {
    for (const search of ['person 0042', '303 500 01', 'p1234@']) {
      const { page, plan } = await explainedPage(big.id, { search, limit: 50 });
      expect(page.items.length, search).toBeGreaterThan(0);
      expect(plan, search).not.toMatch(/Seq Scan/);
      expect(plan, search).toMatch(/contacts_tenant_(name|company|email)_idx/);
    }
  }, 60_000);
});
