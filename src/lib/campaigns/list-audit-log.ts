import { and, desc, eq } from 'drizzle-orm';
import { fail, ok, type Result } from '../api/result';
import type { DbOrTx } from '../db/client';
import { campaignAuditLogs, users } from '../db/schema';
import { withTenant } from '../db/tenant';
import { lockCampaign, UUID } from './internal';

export interface AuditEntry {
  id: number;
  at: string;
  action: string;
  /** A user's name, or the worker job that acted. */
  actor: string;
  actorType: 'user' | 'system';
  details: Record<string, unknown>;
}

/** Who did what to a campaign, newest first (campaign_audit_logs_campaign_idx). */
export async function listAuditLog(
  db: DbOrTx,
  tenantId: string,
  campaignId: string,
  limit = 100,
): Promise<Result<AuditEntry[]>> {
  if (!UUID.test(campaignId)) return fail('NOT_FOUND', 'No such campaign');
  return withTenant(db, tenantId, async (tx) => {
    const campaign = await lockCampaign(tx, tenantId, campaignId, false);
    if (!campaign) return fail('NOT_FOUND', 'No such campaign');
    const rows = await tx
      .select({
        id: campaignAuditLogs.id,
        at: campaignAuditLogs.createdAt,
        action: campaignAuditLogs.action,
        actorType: campaignAuditLogs.actorType,
        actorId: campaignAuditLogs.actorId,
        details: campaignAuditLogs.details,
      })
      .from(campaignAuditLogs)
      .where(
        and(eq(campaignAuditLogs.tenantId, tenantId), eq(campaignAuditLogs.campaignId, campaignId)),
      )
      .orderBy(desc(campaignAuditLogs.createdAt), desc(campaignAuditLogs.id))
      .limit(limit);
    const userIds = [...new Set(rows.filter((r) => r.actorType === 'user').map((r) => r.actorId))];
    const names = new Map<string, string>();
    for (const id of userIds) {
      const [user] = await tx.select({ name: users.name }).from(users).where(eq(users.id, id));
      if (user) names.set(id, user.name);
    }
    return ok(
      rows.map((r) => ({
        id: r.id,
        at: r.at.toISOString(),
        action: r.action,
        actorType: r.actorType,
        actor:
          r.actorType === 'user'
            ? (names.get(r.actorId) ?? 'A former member')
            : `System (${r.actorId})`,
        details: r.details,
      })),
    );
  });
}
