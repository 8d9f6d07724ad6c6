import type { DbOrTx } from '../db/client';
import { campaignAuditLogs } from '../db/schema';

/** Who did something to a campaign: a signed-in user, or one of the worker's jobs. */
export type Actor = { type: 'user'; userId: string } | { type: 'system'; job: string };

export function recordAudit(
  tx: DbOrTx,
  tenantId: string,
  campaignId: string | null,
  actor: Actor,
  action: string,
  details: Record<string, unknown> = {},
) {
  return tx.insert(campaignAuditLogs).values({
    tenantId,
    campaignId,
    actorType: actor.type,
    actorId: actor.type === 'user' ? actor.userId : actor.job,
    action,
    details,
  });
}
