import { listTenantsToSync } from './credentials';
import { withSyncTickLock } from './lock';
import { runTenantSync, type SyncContext, type SyncOutcome } from './run-tenant-sync';
import { tickDoneFor } from './runs';

export type SyncAllSummary = {
  tenants: number;
  success: number;
  failed: number;
  skipped: number;
  /** Called off by ctx.signal (at most one: the loop stops there and leaves the rest). */
  interrupted: number;
  /** Already synced for this tick (by a run of it that another process began). */
  done: number;
  records: number;
};

/**
 * The hourly job: every tenant with ClientTether credentials, one after
 * another. Given the cron `tick` it runs, it holds the tick lock (lock.ts) and
 * passes over tenants this tick has already synced, so a resumed tick
 * (resumeSyncTick) and this one never sync a tenant twice.
 */
export async function syncAllTenants(
  ctx: SyncContext,
  log: (line: string) => void,
  now: () => Date = () => new Date(),
  tick?: Date,
): Promise<SyncAllSummary> {
  if (!tick) return syncEach(ctx, log, now);
  const locked = await withSyncTickLock(ctx.sql, 'run', () => syncEach(ctx, log, now, tick));
  if (!locked.acquired) throw new Error('the shared tick lock is always granted');
  return locked.value;
}

/**
 * At worker start, when another process had claimed this hour's tick: if none
 * is running a tick any more (that one died mid-way, e.g. SIGKILLed), sync the
 * tenants it did not finish, now rather than at the next tick. Null when a
 * tick is still running somewhere or nothing was left.
 */
export async function resumeSyncTick(
  ctx: SyncContext,
  log: (line: string) => void,
  tick: Date,
  now: () => Date = () => new Date(),
): Promise<SyncAllSummary | null> {
  const locked = await withSyncTickLock(ctx.sql, 'resume', () => syncEach(ctx, log, now, tick));
  if (!locked.acquired || locked.value.tenants === locked.value.done) return null;
  return locked.value;
}

async function syncEach(
  ctx: SyncContext,
  log: (line: string) => void,
  now: () => Date,
  tick?: Date,
): Promise<SyncAllSummary> {
  const targets = await listTenantsToSync(ctx.db);
  const summary = {
    tenants: targets.length,
    success: 0,
    failed: 0,
    skipped: 0,
    interrupted: 0,
    done: 0,
    records: 0,
  };
  for (const tenant of targets) {
    // A stopping worker starts no new tenant: the tick's next runner (resumeSyncTick) has them.
    if (ctx.signal?.aborted) break;
    if (tick && (await tickDoneFor(ctx.db, tenant.id, tick))) {
      summary.done += 1;
      continue;
    }
    const started = Date.now();
    const outcome: SyncOutcome = await runTenantSync(ctx, tenant.id, { trigger: 'scheduled', now });
    summary[outcome.status] += 1;
    if (outcome.status === 'success') summary.records += outcome.recordsUpdated;
    log(
      `sync ${tenant.slug}: ${outcome.status} in ${Date.now() - started} ms (${detail(outcome)})`,
    );
  }
  return summary;
}

function detail(outcome: SyncOutcome): string {
  switch (outcome.status) {
    case 'success':
      return `${outcome.recordsFetched} fetched, ${outcome.recordsUpdated} updated`;
    case 'failed':
      return outcome.error;
    case 'interrupted':
      return 'called off: the worker is stopping; the next worker syncs it again';
    case 'skipped':
      return 'another sync was running';
  }
}
