import type { Database } from '../db/client';
import { sharedLiveEmitter } from '../events/shared-emitter';

/**
 * Browsers watching these campaigns' progress are told, at most once a
 * second per campaign (the process's coalescing emitter): calls end hundreds
 * of times a second, and a NOTIFY per call would serialise their commits.
 * Call it after the change committed.
 */
export function touchCampaignProgress(
  db: Database,
  calls: Iterable<{ tenantId: string; campaignId: string }>,
): void {
  const emitter = sharedLiveEmitter(db.$client);
  for (const call of calls) emitter.touch(call.tenantId, 'campaign.progress', call.campaignId);
}
