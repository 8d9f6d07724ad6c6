import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { tenants } from '../db/schema';
import { withTenant } from '../db/tenant';

export const AUDIT_RETENTION_DAYS = 30;
export const DELETED_CAMPAIGN_RETENTION_DAYS = 90;
export const ERROR_RETENTION_DAYS = 30;

/**
 * Audit entries are kept 30 days, those of deleted campaigns 90 (and the
 * deleted campaigns themselves go with them), error logs 30 days. Tenant by
 * tenant, each under its own row-level security.
 */
export async function pruneCampaignLogs(
  db: Database,
  now = new Date(),
): Promise<{ audit: number; errors: number; campaigns: number }> {
  const day = 86_400_000;
  const auditCutoff = new Date(now.getTime() - AUDIT_RETENTION_DAYS * day).toISOString();
  const deletedCutoff = new Date(
    now.getTime() - DELETED_CAMPAIGN_RETENTION_DAYS * day,
  ).toISOString();
  const errorCutoff = new Date(now.getTime() - ERROR_RETENTION_DAYS * day).toISOString();
  const all = await db.select({ id: tenants.id }).from(tenants);
  const totals = { audit: 0, errors: 0, campaigns: 0 };
  for (const { id } of all) {
    await withTenant(db, id, async (tx) => {
      const [audit] = await tx.execute<{ n: number }>(sql`
        with gone as (
          delete from campaign_audit_logs a
          where a.tenant_id = ${id} and a.created_at < ${auditCutoff}::timestamptz
            and not exists (
              select 1 from call_campaigns k
              where k.tenant_id = a.tenant_id and k.id = a.campaign_id and k.deleted_at is not null
                and k.deleted_at >= ${deletedCutoff}::timestamptz)
          returning 1
        ) select count(*)::int as n from gone`);
      const [errors] = await tx.execute<{ n: number }>(sql`
        with gone as (
          delete from campaign_error_logs
          where tenant_id = ${id} and created_at < ${errorCutoff}::timestamptz
          returning 1
        ) select count(*)::int as n from gone`);
      const [campaigns] = await tx.execute<{ n: number }>(sql`
        with gone as (
          delete from call_campaigns
          where tenant_id = ${id} and deleted_at < ${deletedCutoff}::timestamptz
          returning 1
        ) select count(*)::int as n from gone`);
      totals.audit += audit?.n ?? 0;
      totals.errors += errors?.n ?? 0;
      totals.campaigns += campaigns?.n ?? 0;
    });
  }
  return totals;
}
