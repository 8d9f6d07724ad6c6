import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { fail, ok, type Result } from '../api/result';
import type { DbOrTx } from '../db/client';
import { type MembershipRole, memberships, tenants, users } from '../db/schema';
import { withTenant } from '../db/tenant';
import { type PublicTenant, publicTenantColumns, MembershipRole as RoleSchema } from './schemas';

const Uuid = z.uuid();
type WorkspaceRow = { [K in keyof PublicTenant]: PublicTenant[K] } & { role: MembershipRole };

export interface Workspace {
  tenant: PublicTenant;
  role: MembershipRole;
}

/** Adds a user to a tenant, or changes their role there. */
export async function addMember(
  db: DbOrTx,
  tenantId: string,
  userId: string,
  role: MembershipRole,
): Promise<Result<Workspace>> {
  if (!RoleSchema.safeParse(role).success)
    return fail('VALIDATION', 'Role must be owner, admin or member');
  return withTenant(db, tenantId, async (tx) => {
    // Check both ends before writing: a failure is returned, not thrown, so nothing rolls back.
    const [tenant] = await tx
      .select({ id: tenants.id })
      .from(tenants)
      .where(and(eq(tenants.id, tenantId), isNull(tenants.deactivatedAt)));
    if (!tenant) return fail('NOT_FOUND', 'Tenant not found');
    const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId));
    if (!user) return fail('NOT_FOUND', 'User not found');
    await tx
      .insert(memberships)
      .values({ tenantId, userId, role })
      .onConflictDoUpdate({ target: [memberships.tenantId, memberships.userId], set: { role } });
    const workspace = await findWorkspace(tx, tenantId, userId);
    return workspace ? ok(workspace) : fail('NOT_FOUND', 'Tenant not found');
  });
}

/**
 * The active tenants a user belongs to, by name: what /workspaces lists, and
 * what the middleware checks the tenant cookie against on every request. One
 * statement (user_workspaces, migration 0012) instead of a withUser transaction.
 */
export async function listUserWorkspaces(db: DbOrTx, userId: string): Promise<Workspace[]> {
  if (!Uuid.safeParse(userId).success) return [];
  const rows = await db.execute<WorkspaceRow>(
    sql`select id, name, slug, timezone, default_phone_region as "defaultPhoneRegion", role
        from user_workspaces(${userId}::uuid)`,
  );
  return rows.map(({ role, ...tenant }) => ({ tenant, role }));
}

/**
 * The user's role in one tenant, read inside that tenant's RLS scope, or
 * undefined when they are not a member (or the tenant is deactivated). The
 * middleware calls this on every request that carries a tenant cookie.
 */
export function getWorkspace(db: DbOrTx, tenantId: string, userId: string) {
  return withTenant(db, tenantId, (tx) => findWorkspace(tx, tenantId, userId));
}

async function findWorkspace(tx: DbOrTx, tenantId: string, userId: string) {
  const [row] = await tx
    .select({ tenant: publicTenantColumns, role: memberships.role })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(
      and(
        eq(memberships.tenantId, tenantId),
        eq(memberships.userId, userId),
        isNull(tenants.deactivatedAt),
      ),
    );
  return row as Workspace | undefined;
}
