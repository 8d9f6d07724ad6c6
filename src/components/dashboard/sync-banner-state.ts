import { formatAgo } from '../../lib/format/datetime';
import type { SyncStatus } from '../../lib/sync/status';

export type SyncTone = 'fresh' | 'stale' | 'failed' | 'running' | 'never' | 'unknown';

export interface SyncMessage {
  tone: SyncTone;
  text: string;
  /** Points at Settings when someone has to act. */
  actionable: boolean;
}

/**
 * What the banner says. A running sync wins (it is about to change the
 * answer), then a failure (someone should look), then age.
 */
export function describeSync(status: SyncStatus | null, now: Date): SyncMessage {
  if (!status)
    return { tone: 'unknown', text: 'Checking when data was last synced…', actionable: false };
  const ago = status.lastSyncAt ? formatAgo(status.lastSyncAt, now) : null;
  if (status.status === 'running') {
    const since = ago ? ` Showing data from ${ago}.` : '';
    return { tone: 'running', text: `Syncing now…${since}`, actionable: false };
  }
  if (status.status === 'failed') {
    const reason = (status.lastError ?? 'no reason given').replace(/[.\s]+$/, '');
    const since = ago ? ` Showing data from ${ago}.` : '';
    return { tone: 'failed', text: `Sync failed: ${reason}.${since}`, actionable: true };
  }
  if (!ago) return { tone: 'never', text: 'Not synced yet.', actionable: true };
  if (status.isStale) {
    const age = ago.replace(/ ago$/, ' old');
    return { tone: 'stale', text: `Data is ${age} — sync may be delayed.`, actionable: true };
  }
  return { tone: 'fresh', text: `Last synced ${ago}.`, actionable: false };
}
