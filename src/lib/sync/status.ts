import { and, desc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { syncRuns } from '../db/schema';
import { withTenant } from '../db/tenant';

export const STALE_AFTER_MS = 2 * 60 * 60 * 1000;

export interface SyncStatus {
  /** When the last successful sync finished (null: never). */
  lastSyncAt: string | null;
  /** The newest run's state, or 'never' before the first. */
  status: 'never' | 'running' | 'success' | 'failed';
  /** True when the last success is older than two hours (or there is none). */
  isStale: boolean;
  /** The newest failed run's message, if the newest run failed. */
  lastError: string | null;
}

/** What /api/sync/status and the dashboard banner show. */
export async function getSyncStatus(
  db: DbOrTx,
  tenantId: string,
  now = new Date(),
): Promise<SyncStatus> {
  return withTenant(db, tenantId, async (tx) => {
    const [latest] = await tx
      .select({ status: syncRuns.status, errorMessage: syncRuns.errorMessage })
      .from(syncRuns)
      .where(
        and(
          eq(syncRuns.tenantId, tenantId),
          inArray(syncRuns.status, ['running', 'success', 'failed']),
        ),
      )
      .orderBy(desc(syncRuns.startedAt))
      .limit(1);
    const [success] = await tx
      .select({ finishedAt: syncRuns.finishedAt })
      .from(syncRuns)
      .where(and(eq(syncRuns.tenantId, tenantId), eq(syncRuns.status, 'success')))
      .orderBy(desc(syncRuns.finishedAt))
      .limit(1);
    const lastSyncAt = success?.finishedAt ?? null;
    return {
      lastSyncAt: lastSyncAt?.toISOString() ?? null,
      status: (latest?.status as SyncStatus['status'] | undefined) ?? 'never',
      isStale: !lastSyncAt || now.getTime() - lastSyncAt.getTime() > STALE_AFTER_MS,
      lastError:
        latest?.status === 'failed' ? (latest.errorMessage ?? 'The last sync failed.') : null,
    };
  });
}
