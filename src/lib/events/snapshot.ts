import type { DbOrTx } from '../db/client';
import { listLiveEntities, loadEventData } from './event-data';
import type { LiveEventType } from './types';

export interface SnapshotItem {
  type: LiveEventType;
  entityId: string;
  data: unknown;
}

/** A snapshot lists at most this many running campaigns and in-flight imports each. */
const SNAPSHOT_LIMIT = 50;

/**
 * What a client needs to show current figures without waiting for the next
 * change: with a campaign, its status and progress; otherwise every running
 * campaign's progress and every import still in flight. Read as the tenant.
 */
export async function loadSnapshot(
  db: DbOrTx,
  tenantId: string,
  campaignId: string | null,
): Promise<SnapshotItem[]> {
  const items: SnapshotItem[] = [];
  const add = async (type: LiveEventType, entityId: string) => {
    const data = await loadEventData(db, tenantId, type, entityId);
    if (data) items.push({ type, entityId, data });
  };
  if (campaignId) {
    await add('campaign.status', campaignId);
    await add('campaign.progress', campaignId);
    return items;
  }
  const live = await listLiveEntities(db, tenantId, SNAPSHOT_LIMIT);
  for (const id of live.campaignIds) await add('campaign.progress', id);
  for (const progress of live.imports)
    items.push({ type: 'import.progress', entityId: progress.id, data: progress });
  return items;
}
