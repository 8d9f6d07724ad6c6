import { and, eq } from 'drizzle-orm';
import { fail, ok, type Result } from '../api/result';
import type { DbOrTx } from '../db/client';
import { contacts } from '../db/schema';
import { withTenant } from '../db/tenant';
import { CONTACT_NOT_FOUND, parseContactId } from './internal';

/** Deletes one of the tenant's contacts; another tenant's id is NOT_FOUND and stays untouched. */
export async function deleteContact(
  db: DbOrTx,
  tenantId: string,
  rawId: unknown,
): Promise<Result<{ id: number }>> {
  const id = parseContactId(rawId);
  if (id === null) return fail('NOT_FOUND', CONTACT_NOT_FOUND);
  const deleted = await withTenant(db, tenantId, (tx) =>
    tx
      .delete(contacts)
      .where(and(eq(contacts.tenantId, tenantId), eq(contacts.id, id)))
      .returning({ id: contacts.id }),
  );
  return deleted.length ? ok({ id }) : fail('NOT_FOUND', CONTACT_NOT_FOUND);
}
