import { asc, count, eq, ilike, or } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { type MembershipRole, memberships, tenants, users } from '../db/schema';
import { withUser } from '../db/tenant';
import type { ListQuery } from './schemas';

export const USERS_PAGE_SIZE = 25;

export interface UserMembership {
  tenantId: string;
  tenantName: string;
  role: MembershipRole;
  tenantActive: boolean;
}

export interface AdminUserRow {
  id: string;
  name: string;
  email: string;
  isPlatformAdmin: boolean;
  callLimit: number;
  deactivatedAt: Date | null;
  createdAt: Date;
  memberships: UserMembership[];
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Users by name with their memberships. Memberships sit behind row-level
 * security, readable across tenants only as their own user (withUser), so
 * each listed user's are read in that user's scope — one small read per row
 * of a 25-row page.
 */
export async function listUsers(db: DbOrTx, query: ListQuery) {
  const where = query.q
    ? or(
        ilike(users.name, `%${escapeLike(query.q)}%`),
        ilike(users.email, `%${escapeLike(query.q)}%`),
      )
    : undefined;
  const [rows, [totals]] = await Promise.all([
    db
      .select({
        id: users.id,
        name: users.name,
        email: users.email,
        isPlatformAdmin: users.isPlatformAdmin,
        callLimit: users.concurrentCallsLimit,
        deactivatedAt: users.deactivatedAt,
        createdAt: users.createdAt,
      })
      .from(users)
      .where(where)
      .orderBy(asc(users.name), asc(users.id))
      .limit(USERS_PAGE_SIZE)
      .offset((query.page - 1) * USERS_PAGE_SIZE),
    db.select({ total: count() }).from(users).where(where),
  ]);
  const withMemberships: AdminUserRow[] = [];
  for (const row of rows) {
    withMemberships.push({ ...row, memberships: await userMemberships(db, row.id) });
  }
  return {
    rows: withMemberships,
    total: totals?.total ?? 0,
    page: query.page,
    pageSize: USERS_PAGE_SIZE,
  };
}

export function userMemberships(db: DbOrTx, userId: string): Promise<UserMembership[]> {
  return withUser(db, userId, async (tx) => {
    const rows = await tx
      .select({
        tenantId: tenants.id,
        tenantName: tenants.name,
        role: memberships.role,
        deactivatedAt: tenants.deactivatedAt,
      })
      .from(memberships)
      .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
      .where(eq(memberships.userId, userId))
      .orderBy(asc(tenants.name));
    return rows.map(({ deactivatedAt, ...m }) => ({ ...m, tenantActive: deactivatedAt === null }));
  });
}
