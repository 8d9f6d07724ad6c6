import { and, asc, eq } from 'drizzle-orm';
import { fail, ok, type Result } from '../../api/result';
import type { DbOrTx } from '../../db/client';
import { contactImportErrors } from '../../db/schema';
import { withTenant } from '../../db/tenant';
import { csvLine } from './csv-cells';
import { getImport } from './get-import';

/**
 * The rejected rows of an import as a CSV download: line, reason, message and
 * the row as it was read. Formula-safe (csv-cells), so opening it in a
 * spreadsheet cannot run anything a hostile upload slipped into a cell.
 */
export async function buildErrorReport(
  db: DbOrTx,
  tenantId: string,
  importId: string,
): Promise<Result<{ fileName: string; csv: string }>> {
  const found = await getImport(db, tenantId, importId);
  if (!found.ok) return found;
  const rows = await withTenant(db, tenantId, (tx) =>
    tx
      .select()
      .from(contactImportErrors)
      .where(
        and(eq(contactImportErrors.tenantId, tenantId), eq(contactImportErrors.importId, importId)),
      )
      .orderBy(asc(contactImportErrors.line)),
  );
  if (rows.length === 0 && found.data.errorCount === 0) {
    return fail('NOT_FOUND', 'This import has no rejected rows');
  }
  let csv = csvLine(['line', 'reason', 'message', 'row']);
  for (const row of rows) csv += csvLine([row.line, row.reason, row.message, row.rawRow]);
  if (found.data.errorCount > rows.length) {
    csv += csvLine([
      '',
      'NOT_LISTED',
      `${found.data.errorCount - rows.length} more rejected rows are not listed`,
      '',
    ]);
  }
  const base = found.data.fileName.replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '-') || 'import';
  return ok({ fileName: `${base}-errors.csv`, csv });
}
