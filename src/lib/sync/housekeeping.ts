import { and, eq, lt } from 'drizzle-orm';
import type postgres from 'postgres';
import type { Database } from '../db/client';
import { ctRawSnapshots, syncRuns, tenants } from '../db/schema';
import { withTenant } from '../db/tenant';
import { withTenantSyncLock } from './lock';
import { closeInterruptedRuns } from './runs';

export const SNAPSHOT_RETENTION_MS = 30 * 86_400_000;

/**
 * On worker start: a run still `running` whose tenant lock is free was left by
 * a crashed process — close it as failed. (A run whose lock is held is live.)
 * The next sync of the tenant does the same (run-tenant-sync.ts), so a run
 * whose dead owner's connection outlived this check cannot block it.
 */
export async function closeAbandonedRuns(
  db: Database,
  sql: postgres.Sql,
  now = new Date(),
): Promise<number> {
  const all = await db.select({ id: tenants.id }).from(tenants);
  let closed = 0;
  for (const { id } of all) {
    // Only tenants with a run marked running need the lock checked. Taking it
    // for every tenant on every start made another process's sync starting at
    // that moment find it held and skip the tenant for the hour (found by the
    // multi-process system test: three workers starting together).
    const [open] = await withTenant(db, id, (tx) =>
      tx
        .select({ id: syncRuns.id })
        .from(syncRuns)
        .where(and(eq(syncRuns.tenantId, id), eq(syncRuns.status, 'running')))
        .limit(1),
    );
    if (!open) continue;
    const result = await withTenantSyncLock(sql, id, () => closeInterruptedRuns(db, id, now));
    if (result.acquired) closed += result.value;
  }
  return closed;
}

/** Raw pages are for replay and debugging, not forever: older than 30 days go. */
export async function pruneRawSnapshots(db: Database, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - SNAPSHOT_RETENTION_MS);
  const all = await db.select({ id: tenants.id }).from(tenants);
  let pruned = 0;
  for (const { id } of all) {
    pruned += await withTenant(db, id, async (tx) => {
      const rows = await tx
        .delete(ctRawSnapshots)
        .where(and(eq(ctRawSnapshots.tenantId, id), lt(ctRawSnapshots.fetchedAt, cutoff)))
        .returning({ id: ctRawSnapshots.id });
      return rows.length;
    });
  }
  return pruned;
}
