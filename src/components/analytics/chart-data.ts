import type { CallAnalytics, Granularity } from '../../lib/analytics';
import type { Series } from './series-options';

const DAY = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const MONTH = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

/** A bucket's label: "Apr 13", "Week of Apr 13", "Apr 2026" (days are calendar dates: read as UTC). */
export function bucketLabel(start: string, granularity: Granularity): string {
  const date = new Date(`${start}T00:00:00Z`);
  if (granularity === 'month') return MONTH.format(date);
  return granularity === 'week' ? `Week of ${DAY.format(date)}` : DAY.format(date);
}

/** Calls by how they ended, stacked: the parts add up to the calls placed (plus never-dialled failures). */
export function callVolumeSeries(calls: CallAnalytics): Series[] {
  const b = calls.buckets;
  return [
    { name: 'Connected', values: b.map((x) => x.connected) },
    { name: 'Voicemail', values: b.map((x) => x.voicemail) },
    { name: 'No answer', values: b.map((x) => x.noAnswer) },
    { name: 'Busy', values: b.map((x) => x.busy) },
    { name: 'Failed', values: b.map((x) => x.failed) },
    { name: 'Cancelled', values: b.map((x) => x.cancelled) },
    { name: 'In progress', values: b.map((x) => x.inProgress) },
  ];
}

export function leadsVersusCallsSeries(calls: CallAnalytics): Series[] {
  return [
    { name: 'Calls placed', values: calls.buckets.map((x) => x.placed) },
    { name: 'New leads', values: calls.buckets.map((x) => x.newLeads), line: true },
  ];
}
