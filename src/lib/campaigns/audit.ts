import type { DbOrTx } from '../db/client';
import { campaignAuditLogs } from '../db/schema';
import { emitLiveEvent } from '../events/emit';

/** Who did something to a campaign: a signed-in user, or one of the worker's jobs. */
export type Actor = { type: 'user'; userId: string } | { type: 'system'; job: string };

/**
 * Every change to a campaign (create, update, start, pause, resume, cancel,
 * duplicate, delete, repairs) is audited here, in the change's transaction,
 * so this is also where browsers watching it are told (GET /api/events): the
 * NOTIFYs go out when the change commits, and not at all if it rolls back.
 */
export async function recordAudit(
  tx: DbOrTx,
  tenantId: string,
  campaignId: string | null,
  actor: Actor,
  action: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  await tx.insert(campaignAuditLogs).values({
    tenantId,
    campaignId,
    actorType: actor.type,
    actorId: actor.type === 'user' ? actor.userId : actor.job,
    action,
    details,
  });
  if (!campaignId) return;
  await emitLiveEvent(tx, { tenantId, type: 'campaign.status', id: campaignId });
  await emitLiveEvent(tx, { tenantId, type: 'campaign.progress', id: campaignId });
}
