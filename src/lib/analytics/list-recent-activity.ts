import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { type TenantTx, withTenant } from '../db/tenant';

export interface ActivityEntry {
  id: number;
  at: string;
  action: string;
  /** A user's name, "System (job)", or "A former member". */
  actor: string;
  campaignId: string | null;
  campaignName: string | null;
}

/**
 * The workspace's newest campaign audit entries, whoever acted and on
 * whichever campaign (campaign_audit_logs_tenant_created_idx, newest first),
 * with the campaign's and the user's names in the same statement.
 */
export function listRecentActivity(
  db: DbOrTx,
  tenantId: string,
  limit = 8,
): Promise<ActivityEntry[]> {
  return withTenant(db, tenantId, (tx) => readRecentActivity(tx, tenantId, limit));
}

/** listRecentActivity inside a tenant transaction the caller already holds. */
export async function readRecentActivity(
  tx: TenantTx,
  tenantId: string,
  limit = 8,
): Promise<ActivityEntry[]> {
  const rows = await tx.execute<{
    id: number;
    at: string;
    action: string;
    actor_type: 'user' | 'system';
    actor_id: string;
    user_name: string | null;
    campaign_id: string | null;
    campaign_name: string | null;
  }>(sql`
      select a.id, a.created_at as at, a.action, a.actor_type, a.actor_id,
        u.name as user_name, a.campaign_id, c.name as campaign_name
      from (select * from campaign_audit_logs where tenant_id = ${tenantId}
            order by created_at desc, id desc limit ${limit}) a
      left join users u on a.actor_type = 'user' and u.id::text = a.actor_id
      left join call_campaigns c on c.tenant_id = a.tenant_id and c.id = a.campaign_id
      order by a.created_at desc, a.id desc`);
  return rows.map((r) => ({
    id: Number(r.id),
    at: new Date(r.at).toISOString(),
    action: r.action,
    actor: r.actor_type === 'user' ? (r.user_name ?? 'A former member') : `System (${r.actor_id})`,
    campaignId: r.campaign_id,
    campaignName: r.campaign_name,
  }));
}
