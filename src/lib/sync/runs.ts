import { and, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { type SyncTrigger, syncRuns } from '../db/schema';
import { withTenant } from '../db/tenant';

export type SyncRun = typeof syncRuns.$inferSelect;

/** A run closed because the process running it stopped: not a sync that ran and failed. */
export const INTERRUPTED_MESSAGE =
  'The sync was interrupted (its worker stopped) and did not finish.';

/**
 * Closes the tenant's runs still marked `running` as interrupted. Only for a
 * caller holding the tenant's sync lock (lock.ts): every sync holds it for its
 * whole run, so a `running` row seen under it belongs to a process that died.
 */
export async function closeInterruptedRuns(db: DbOrTx, tenantId: string, now: Date) {
  return withTenant(db, tenantId, async (tx) => {
    const rows = await tx
      .update(syncRuns)
      .set({ status: 'failed', finishedAt: now, errorMessage: INTERRUPTED_MESSAGE })
      .where(and(eq(syncRuns.tenantId, tenantId), eq(syncRuns.status, 'running')))
      .returning({ id: syncRuns.id });
    return rows.length;
  });
}

/**
 * Whether the hourly tick at `tick` has dealt with the tenant: a scheduled run
 * started since then that ended, other than interrupted (a failure or a skip
 * counts as dealt with: the next tick tries again, as it always has). One
 * still `running` is not: when this is asked, no tick runner is alive.
 */
export async function tickDoneFor(db: DbOrTx, tenantId: string, tick: Date): Promise<boolean> {
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .select({ id: syncRuns.id })
      .from(syncRuns)
      .where(
        and(
          eq(syncRuns.tenantId, tenantId),
          eq(syncRuns.trigger, 'scheduled'),
          sql`${syncRuns.startedAt} >= ${tick.toISOString()}::timestamptz`,
          sql`${syncRuns.status} <> 'running'`,
          sql`(${syncRuns.status} <> 'failed' or ${syncRuns.errorMessage} is distinct from ${INTERRUPTED_MESSAGE})`,
        ),
      )
      .limit(1);
    return row !== undefined;
  });
}

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
