import { and, asc, desc, eq, gt, lt, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { ok, type Result } from '../api/result';
import type { DbOrTx } from '../db/client';
import { contacts } from '../db/schema';
import { withTenant } from '../db/tenant';
import { looksLikePhone, phonePrefixes, searchCondition } from './contact-search';
import { type ContactCursor, decodeCursor, encodeCursor } from './cursor';
import { readPhoneRegion } from './phone-region';
import { CONTACTS_PAGE_SIZE, type ContactSort, type ContactSortDirection } from './schemas';
import { type ContactRow, toContactView } from './to-view';
import type { ContactView } from './types';

/** Counting stops here: beyond it a page says "more than 10,000", which costs no more than page 1. */
export const CONTACT_COUNT_CAP = 10_000;

export interface ListContactsOptions {
  search?: string;
  sort?: ContactSort;
  dir?: ContactSortDirection;
  /** The previous page's `nextCursor`. */
  after?: string;
  limit?: number;
}

export interface ContactList {
  items: ContactView[];
  /** Pass as `after` for the next page; null on the last page. */
  nextCursor: string | null;
  sort: ContactSort;
  dir: ContactSortDirection;
  /** Contacts matching, when at most CONTACT_COUNT_CAP; otherwise absent and `totalExceeds` is set. */
  total?: number;
  totalExceeds?: number;
}

const SORT_KEYS = { name: contacts.nameKey, company: contacts.companyKey, created: null } as const;

/**
 * One page of the tenant's contacts by keyset: `(sort key, id)` after the
 * cursor, read in order from (tenant_id, name_key, id), its company sibling or
 * the primary key (tenant_id, id), so page 10,000 costs what page 1 does.
 * Keys compare with plain leakproof operators, which RLS lets an index use.
 */
export async function listContacts(
  db: DbOrTx,
  tenantId: string,
  q: ListContactsOptions = {},
): Promise<Result<ContactList>> {
  const sort = q.sort ?? 'name';
  const dir = q.dir ?? 'asc';
  const limit = Math.min(
    CONTACTS_PAGE_SIZE.max,
    Math.max(1, Math.trunc(q.limit ?? CONTACTS_PAGE_SIZE.default)),
  );
  let cursor: ContactCursor | null = null;
  if (q.after) {
    const decoded = decodeCursor(q.after, sort, dir);
    if (!decoded.ok) return decoded;
    cursor = decoded.data;
  }
  // Postgres text can't hold NUL: a search with one would be a query error, not "no match".
  const search = q.search?.replaceAll('\u0000', '').trim() ?? '';
  return withTenant(db, tenantId, async (tx) => {
    const matching = search ? await searchFor(tx, tenantId, search) : undefined;
    const where = and(eq(contacts.tenantId, tenantId), matching);
    const key = SORT_KEYS[sort];
    const order = dir === 'asc' ? asc : desc;
    const rows = await tx
      .select()
      .from(contacts)
      .where(and(where, cursor ? after(key, dir, cursor) : undefined))
      .orderBy(...(key ? [order(key), order(contacts.id)] : [order(contacts.id)]))
      .limit(limit + 1);
    const [count] = await tx.select({ n: sql<number>`count(*)::int` }).from(
      tx
        .select({ one: sql`1` })
        .from(contacts)
        .where(where)
        .limit(CONTACT_COUNT_CAP + 1)
        .as('capped'),
    );
    const n = count?.n ?? 0;
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return ok({
      items: page.map(toContactView),
      nextCursor:
        rows.length > limit && last ? encodeCursor(sort, dir, cursorOf(last, sort)) : null,
      sort,
      dir,
      ...(n > CONTACT_COUNT_CAP ? { totalExceeds: CONTACT_COUNT_CAP } : { total: n }),
    });
  });
}

/** Rows after the cursor in the page's order, as one row comparison the index can start from. */
function after(key: AnyPgColumn | null, dir: ContactSortDirection, c: ContactCursor) {
  if (!key) return dir === 'asc' ? gt(contacts.id, c.id) : lt(contacts.id, c.id);
  const op = sql.raw(dir === 'asc' ? '>' : '<');
  // No COLLATE on the parameters: the comparison must use the column's collation, the index's.
  return sql`(${key}, ${contacts.id}) ${op} (${c.key}, ${c.id}::bigint)`;
}

function cursorOf(row: ContactRow, sort: ContactSort): ContactCursor {
  const key = sort === 'name' ? row.nameKey : sort === 'company' ? row.companyKey : null;
  return { key: sort === 'created' ? null : (key ?? ''), id: row.id };
}

/** The search as index ranges; lowercased by Postgres so it matches the generated keys exactly. */
async function searchFor(tx: DbOrTx, tenantId: string, search: string) {
  const [row] = await tx.execute<{ lowered: string }>(sql`select lower(${search}) as lowered`);
  const phones = looksLikePhone(search)
    ? phonePrefixes(search, await readPhoneRegion(tx, tenantId))
    : [];
  return searchCondition(row?.lowered ?? '', phones);
}
