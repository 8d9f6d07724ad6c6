import { and, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { type SyncTrigger, syncRuns } from '../db/schema';
import { withTenant } from '../db/tenant';

export type SyncRun = typeof syncRuns.$inferSelect;

/** Opens the run row. Fails with a unique violation if the tenant already has a running one. */
export async function openRun(db: DbOrTx, tenantId: string, trigger: SyncTrigger, now: Date) {
  return withTenant(db, tenantId, async (tx) => {
    const [run] = await tx
      .insert(syncRuns)
      .values({ tenantId, trigger, status: 'running', startedAt: now })
      .returning();
    if (!run) throw new Error('sync run insert returned nothing');
    return run;
  });
}

/** Records that a sync was asked for while another one held the tenant. */
export async function recordSkippedRun(
  db: DbOrTx,
  tenantId: string,
  trigger: SyncTrigger,
  now: Date,
  reason = 'Another sync of this workspace was already running.',
) {
  return withTenant(db, tenantId, async (tx) => {
    const [run] = await tx
      .insert(syncRuns)
      .values({
        tenantId,
        trigger,
        status: 'skipped',
        startedAt: now,
        finishedAt: now,
        errorMessage: reason,
      })
      .returning();
    return run as SyncRun;
  });
}

export async function closeRun(
  db: DbOrTx,
  tenantId: string,
  runId: string,
  outcome:
    | { status: 'success'; recordsFetched: number; recordsUpdated: number }
    | { status: 'failed'; recordsFetched: number; errorMessage: string },
  now: Date,
) {
  return withTenant(db, tenantId, async (tx) => {
    const [run] = await tx
      .update(syncRuns)
      .set({ ...outcome, finishedAt: now })
      .where(and(eq(syncRuns.tenantId, tenantId), eq(syncRuns.id, runId)))
      .returning();
    return run as SyncRun;
  });
}

/** The newest runs of a tenant, newest first. */
export function listRecentRuns(db: DbOrTx, tenantId: string, limit = 10) {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select()
      .from(syncRuns)
      .where(eq(syncRuns.tenantId, tenantId))
      .orderBy(desc(syncRuns.startedAt))
      .limit(limit),
  );
}

/** Count of manual runs started since `since`: the trigger's rate limit reads it. */
export async function countManualRunsSince(db: DbOrTx, tenantId: string, since: Date) {
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .select({
        n: sql<number>`count(*)::int`,
        oldest: sql<string | null>`min(${syncRuns.startedAt})`,
      })
      .from(syncRuns)
      .where(
        and(
          eq(syncRuns.tenantId, tenantId),
          eq(syncRuns.trigger, 'manual'),
          sql`${syncRuns.status} <> 'skipped'`,
          sql`${syncRuns.startedAt} > ${since.toISOString()}::timestamptz`,
        ),
      );
    return { count: row?.n ?? 0, oldest: row?.oldest ? new Date(row.oldest) : null };
  });
}
