import { type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { pgPolicy } from 'drizzle-orm/pg-core';

/**
 * The tenant of the current transaction, set by `withTenant` with
 * `set_config(…, true)`. `nullif` makes "no context" read as NULL, so a query
 * that forgot its tenant matches nothing instead of erroring or matching all.
 */
export const currentTenantId: SQL = sql`nullif(current_setting('app.tenant_id', true), '')::uuid`;

/** The signed-in user, set by `withUser` for the few cross-tenant reads a user may make. */
export const currentUserId: SQL = sql`nullif(current_setting('app.user_id', true), '')::uuid`;

/** The one policy every tenant table carries: read and write only the current tenant's rows. */
export function tenantIsolationPolicy(tenantId: AnyPgColumn) {
  return pgPolicy('tenant_isolation', {
    for: 'all',
    using: sql`${tenantId} = ${currentTenantId}`,
    withCheck: sql`${tenantId} = ${currentTenantId}`,
  });
}
