import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx, Transaction } from './client';

/**
 * The restricted role tenant work runs as. It owns no table, is not a
 * superuser and cannot bypass RLS; in production the app logs in as it, and
 * `SET LOCAL ROLE` makes a superuser connection (tests, embedded) behave the same.
 */
export const APP_ROLE = 'switchboard_app';

/** A transaction bound to one tenant: every tenant-table query inside it sees only that tenant. */
export type TenantTx = Transaction & { readonly __tenant: unique symbol };

const Uuid = z.uuid();

async function scoped<T>(
  db: DbOrTx,
  setting: 'app.tenant_id' | 'app.user_id',
  id: string,
  fn: (tx: Transaction) => Promise<T>,
): Promise<T> {
  if (!Uuid.safeParse(id).success) throw new Error(`${setting} must be a uuid`);
  return db.transaction(async (tx) => {
    const [row] = await tx.execute<{ current: string | null }>(
      sql`select current_setting(${setting}, true) as current`,
    );
    const current = row?.current || null;
    if (current && current !== id) {
      // Reusing an outer transaction is fine; switching its tenant midway is not.
      throw new Error(`${setting} is already set to another value in this transaction`);
    }
    const [set] = await tx.execute<{ value: string }>(
      sql`select set_config(${setting}, ${id}, true) as value`,
    );
    if (set?.value !== id) throw new Error(`could not set ${setting}`);
    await tx.execute(sql.raw(`set local role ${APP_ROLE}`));
    return fn(tx);
  });
}

/**
 * Runs `fn` in a transaction scoped to `tenantId` (row-level security does the
 * filtering). Given an outer transaction it nests as a savepoint, so writes
 * stay atomic with the caller's.
 */
export function withTenant<T>(
  db: DbOrTx,
  tenantId: string,
  fn: (tx: TenantTx) => Promise<T>,
): Promise<T> {
  return scoped(db, 'app.tenant_id', tenantId, (tx) => fn(tx as TenantTx));
}

/** Runs `fn` as the app role with only the user set: for reads of a user's own rows across tenants. */
export function withUser<T>(db: DbOrTx, userId: string, fn: (tx: Transaction) => Promise<T>) {
  return scoped(db, 'app.user_id', userId, fn);
}
