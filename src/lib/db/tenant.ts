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
    // One round trip: read what was set, bind the id, and drop to the app role
    // (set_config('role', …, true) is SET LOCAL ROLE). A mismatch throws, and
    // the transaction rolls the settings back with it.
    const [row] = await tx.execute<{ previous: string | null; value: string; role: string }>(
      sql`select before.previous,
                 set_config(${setting}, ${id}, true) as value,
                 set_config('role', ${APP_ROLE}, true) as role
          from (select current_setting(${setting}, true) as previous offset 0) before`,
    );
    const previous = row?.previous || null;
    if (previous && previous !== id) {
      // Reusing an outer transaction is fine; switching its tenant midway is not.
      throw new Error(`${setting} is already set to another value in this transaction`);
    }
    if (row?.value !== id) throw new Error(`could not set ${setting}`);
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
