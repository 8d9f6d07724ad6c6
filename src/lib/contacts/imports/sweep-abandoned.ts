import { and, eq, inArray, lt } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { contactImports, tenants } from '../../db/schema';
import { withTenant } from '../../db/tenant';
import { emitLiveEvent } from '../../events/emit';

/** A processing import moves its heartbeat at least every chunk; 10 minutes of silence means its process died. */
export const IMPORT_ABANDONED_AFTER_MS = 10 * 60_000;

/**
 * Fails imports left `pending` or `running` by a process that stopped (crash,
 * deploy). Committed chunks stay: re-running the file finishes the job,
 * because imports skip or update contacts that already exist.
 */
export async function sweepAbandonedImports(db: Database, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - IMPORT_ABANDONED_AFTER_MS);
  const all = await db.select({ id: tenants.id }).from(tenants);
  let swept = 0;
  for (const { id } of all) {
    swept += await withTenant(db, id, async (tx) => {
      const rows = await tx
        .update(contactImports)
        .set({
          status: 'failed',
          finishedAt: now,
          errorMessage:
            'The import was interrupted (the server restarted) and did not finish. Rows counted as imported are saved; upload the file again to finish.',
        })
        .where(
          and(
            eq(contactImports.tenantId, id),
            inArray(contactImports.status, ['pending', 'running']),
            lt(contactImports.heartbeatAt, cutoff),
          ),
        )
        .returning({ id: contactImports.id });
      // Delivered on commit: a page still showing the import sees it end.
      for (const row of rows) {
        await emitLiveEvent(tx, { tenantId: id, type: 'import.progress', id: row.id });
      }
      return rows.length;
    });
  }
  return swept;
}
