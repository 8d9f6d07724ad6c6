import { fail, ok, type Result } from '../api/result';
import type { DbOrTx } from '../db/client';
import { withTenant } from '../db/tenant';
import { CONTACT_NOT_FOUND, findContact, parseContactId } from './internal';
import { toContactView } from './to-view';
import type { ContactView } from './types';

/** One of the tenant's contacts; another tenant's id is NOT_FOUND, like a missing one. */
export async function getContact(
  db: DbOrTx,
  tenantId: string,
  rawId: unknown,
): Promise<Result<ContactView>> {
  const id = parseContactId(rawId);
  if (id === null) return fail('NOT_FOUND', CONTACT_NOT_FOUND);
  const row = await withTenant(db, tenantId, (tx) => findContact(tx, tenantId, id));
  return row ? ok(toContactView(row)) : fail('NOT_FOUND', CONTACT_NOT_FOUND);
}
