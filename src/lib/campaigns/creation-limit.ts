import { sql } from 'drizzle-orm';
import type { TenantTx } from '../db/tenant';

export const CAMPAIGNS_PER_MINUTE = 10;

/**
 * Checklist 24: at most 10 campaigns per user per rolling minute, counted in
 * Postgres under a per-user transaction lock, so concurrent requests through
 * any number of processes admit exactly 10. Returns the seconds to wait, or 0.
 */
export async function creationWaitSeconds(
  tx: TenantTx,
  tenantId: string,
  userId: string,
  now: Date,
): Promise<number> {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtext('campaign-create'), hashtext(${userId}))`,
  );
  const recent = await tx.execute<{ created_at: string }>(sql`
    select created_at from call_campaigns
    where tenant_id = ${tenantId} and created_by = ${userId}
      and created_at > ${now.toISOString()}::timestamptz - interval '60 seconds'
    order by created_at
    limit ${CAMPAIGNS_PER_MINUTE}`);
  if (recent.length < CAMPAIGNS_PER_MINUTE) return 0;
  const oldest = new Date(recent[0]?.created_at ?? now);
  return Math.max(1, Math.ceil((oldest.getTime() + 60_000 - now.getTime()) / 1000));
}
