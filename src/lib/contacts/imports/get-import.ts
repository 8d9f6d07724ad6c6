import { and, eq } from 'drizzle-orm';
import { fail, ok, type Result } from '../../api/result';
import type { DbOrTx } from '../../db/client';
import { contactImports } from '../../db/schema';
import { withTenant } from '../../db/tenant';
import type { ContactImportView } from '../types';
import { toImportView } from './import-view';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One import of the tenant; a foreign or unknown id is NOT_FOUND alike. */
export async function getImport(
  db: DbOrTx,
  tenantId: string,
  importId: string,
): Promise<Result<ContactImportView>> {
  if (!UUID.test(importId)) return fail('NOT_FOUND', 'No such import');
  const [row] = await withTenant(db, tenantId, (tx) =>
    tx
      .select()
      .from(contactImports)
      .where(and(eq(contactImports.tenantId, tenantId), eq(contactImports.id, importId))),
  );
  return row ? ok(toImportView(row)) : fail('NOT_FOUND', 'No such import');
}
