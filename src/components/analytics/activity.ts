import type { ActivityEntry } from '../../lib/analytics';
import { formatAgo, formatDateTime } from '../../lib/format/datetime';

const PAST: Record<string, string> = {
  create: 'created',
  update: 'edited',
  start: 'started',
  pause: 'paused',
  resume: 'resumed',
  cancel: 'cancelled',
  duplicate: 'duplicated',
  delete: 'deleted',
  complete: 'completed',
  repair: 'repaired the counters of',
};

/** "Ann paused “Spring outreach”", in words a person reads. */
export function describeActivity(entry: ActivityEntry): string {
  const verb = PAST[entry.action] ?? entry.action.replaceAll('_', ' ');
  const campaign = entry.campaignName ? `“${entry.campaignName}”` : 'a deleted campaign';
  return `${entry.actor} ${verb} ${entry.campaignId ? campaign : ''}`.trim();
}

/** When, as the list shows it: "5 minutes ago" for today's, the date and time before that. */
export function activityTime(entry: ActivityEntry, timeZone: string, now = new Date()): string {
  const age = now.getTime() - new Date(entry.at).getTime();
  return age < 86_400_000 ? formatAgo(entry.at, now) : formatDateTime(entry.at, timeZone);
}
