import { ok, type Result } from '../api/result';
import type { DbOrTx } from '../db/client';
import { deleteContacts } from './delete-contacts';
import { parseInput } from './internal';
import { optOutContacts } from './opt-out-contacts';
import { type BulkAction, BulkContactsInput } from './schemas';

export interface BulkResult {
  action: BulkAction;
  /** Contacts deleted, or opted out by this request (ones already opted out don't count). */
  affected: number;
}

/** `{ action: 'delete' | 'opt_out', ids }` over up to 1,000 of the tenant's contacts. */
export async function bulkContacts(
  db: DbOrTx,
  tenantId: string,
  input: unknown,
): Promise<Result<BulkResult>> {
  const parsed = parseInput(BulkContactsInput, input);
  if (!parsed.ok) return parsed;
  const { action, ids } = parsed.data;
  const affected =
    action === 'delete'
      ? await deleteContacts(db, tenantId, ids)
      : await optOutContacts(db, tenantId, ids);
  return ok({ action, affected });
}
