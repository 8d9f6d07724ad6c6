import { and, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { contactImports, type ImportMode } from '../../db/schema';
import { withTenant } from '../../db/tenant';

/** The job row for an upload that has started arriving. */
export async function createImport(
  db: DbOrTx,
  tenantId: string,
  input: { fileName: string; mode: ImportMode; createdBy: string | null },
): Promise<string> {
  const [row] = await withTenant(db, tenantId, (tx) =>
    tx
      .insert(contactImports)
      .values({ tenantId, fileName: input.fileName, mode: input.mode, createdBy: input.createdBy })
      .returning({ id: contactImports.id }),
  );
  if (!row) throw new Error('contact import was not created');
  return row.id;
}

/** The upload has arrived and passed its checks: the rows can be processed. */
export function markReceived(
  db: DbOrTx,
  tenantId: string,
  importId: string,
  received: { size: number; dataRows: number; details: Record<string, unknown> },
): Promise<unknown> {
  return withTenant(db, tenantId, (tx) =>
    tx
      .update(contactImports)
      .set({
        fileSize: received.size,
        totalRows: received.dataRows,
        details: received.details,
        heartbeatAt: new Date(),
      })
      .where(and(eq(contactImports.tenantId, tenantId), eq(contactImports.id, importId))),
  );
}

export function markRunning(db: DbOrTx, tenantId: string, importId: string): Promise<unknown> {
  const now = new Date();
  return withTenant(db, tenantId, (tx) =>
    tx
      .update(contactImports)
      .set({ status: 'running', startedAt: now, heartbeatAt: now })
      .where(and(eq(contactImports.tenantId, tenantId), eq(contactImports.id, importId))),
  );
}

/** Completed: the total becomes what was actually read (quoted newlines can fool a line count). */
export function markCompleted(db: DbOrTx, tenantId: string, importId: string): Promise<unknown> {
  return withTenant(db, tenantId, (tx) =>
    tx
      .update(contactImports)
      .set({ status: 'completed', finishedAt: new Date(), totalRows: contactImports.processedRows })
      .where(and(eq(contactImports.tenantId, tenantId), eq(contactImports.id, importId))),
  );
}

/** Failed with a readable, row-data-free reason. Only a pending or running import can fail. */
export function markFailed(
  db: DbOrTx,
  tenantId: string,
  importId: string,
  message: string,
): Promise<unknown> {
  return withTenant(db, tenantId, (tx) =>
    tx
      .update(contactImports)
      .set({ status: 'failed', finishedAt: new Date(), errorMessage: message })
      .where(
        and(
          eq(contactImports.tenantId, tenantId),
          eq(contactImports.id, importId),
          inArray(contactImports.status, ['pending', 'running']),
        ),
      ),
  );
}
