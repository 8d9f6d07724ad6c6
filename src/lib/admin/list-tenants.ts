import { asc, count, ilike, or } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { tenants } from '../db/schema';
import type { ListQuery } from './schemas';

export const TENANTS_PAGE_SIZE = 25;

export interface TenantListRow {
  id: string;
  name: string;
  slug: string;
  timezone: string;
  deactivatedAt: Date | null;
  createdAt: Date;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Tenants by name, searched by name or slug (substring, any case). Never the sealed columns. */
export async function listTenants(db: DbOrTx, query: ListQuery) {
  const where = query.q
    ? or(
        ilike(tenants.name, `%${escapeLike(query.q)}%`),
        ilike(tenants.slug, `%${escapeLike(query.q)}%`),
      )
    : undefined;
  const [rows, [totals]] = await Promise.all([
    db
      .select({
        id: tenants.id,
        name: tenants.name,
        slug: tenants.slug,
        timezone: tenants.timezone,
        deactivatedAt: tenants.deactivatedAt,
        createdAt: tenants.createdAt,
      })
      .from(tenants)
      .where(where)
      .orderBy(asc(tenants.name), asc(tenants.id))
      .limit(TENANTS_PAGE_SIZE)
      .offset((query.page - 1) * TENANTS_PAGE_SIZE),
    db.select({ total: count() }).from(tenants).where(where),
  ]);
  return {
    rows: rows as TenantListRow[],
    total: totals?.total ?? 0,
    page: query.page,
    pageSize: TENANTS_PAGE_SIZE,
  };
}
