import { desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { contactImports } from '../../db/schema';
import { withTenant } from '../../db/tenant';
import type { ContactImportView } from '../types';
import { toImportView } from './import-view';

/** The tenant's latest imports, newest first (contact_imports_tenant_created_idx). */
export async function listImports(
  db: DbOrTx,
  tenantId: string,
  options: { limit?: number } = {},
): Promise<ContactImportView[]> {
  const limit = Math.min(Math.max(options.limit ?? 20, 1), 100);
  const rows = await withTenant(db, tenantId, (tx) =>
    tx
      .select()
      .from(contactImports)
      .where(eq(contactImports.tenantId, tenantId))
      .orderBy(desc(contactImports.createdAt))
      .limit(limit),
  );
  return rows.map(toImportView);
}
