import { listTenantsToSync } from './credentials';
import { runTenantSync, type SyncContext, type SyncOutcome } from './run-tenant-sync';

/** The hourly job: every tenant with ClientTether credentials, one after another. */
export async function syncAllTenants(
  ctx: SyncContext,
  log: (line: string) => void,
  now: () => Date = () => new Date(),
) {
  const targets = await listTenantsToSync(ctx.db);
  const summary = { tenants: targets.length, success: 0, failed: 0, skipped: 0, records: 0 };
  for (const tenant of targets) {
    const started = Date.now();
    const outcome: SyncOutcome = await runTenantSync(ctx, tenant.id, { trigger: 'scheduled', now });
    summary[outcome.status] += 1;
    if (outcome.status === 'success') summary.records += outcome.recordsUpdated;
    const detail =
      outcome.status === 'success'
        ? `${outcome.recordsFetched} fetched, ${outcome.recordsUpdated} updated`
        : outcome.status === 'failed'
          ? outcome.error
          : 'another sync was running';
    log(`sync ${tenant.slug}: ${outcome.status} in ${Date.now() - started} ms (${detail})`);
  }
  return summary;
}
