import { and, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { contacts } from '../db/schema';
import { withTenant } from '../db/tenant';

/** Deletes the tenant's contacts among `ids` (other tenants' ids match nothing); returns how many. */
export async function deleteContacts(db: DbOrTx, tenantId: string, ids: number[]): Promise<number> {
  if (!ids.length) return 0;
  const deleted = await withTenant(db, tenantId, (tx) =>
    tx
      .delete(contacts)
      .where(and(eq(contacts.tenantId, tenantId), inArray(contacts.id, ids)))
      .returning({ id: contacts.id }),
  );
  return deleted.length;
}
