export interface DayGroup<A> {
  /** YYYY-MM-DD in the tenant's time zone. */
  day: string;
  /** e.g. "Tuesday, Nov 24". */
  label: string;
  activities: A[];
}

/**
 * Groups activities by their start's calendar day in `timeZone`, days in
 * order of first appearance (the schedule arrives sorted), each keeping its
 * activities' order. Pure: the schedule page calls it after the verb.
 */
export function groupByDay<A extends { startsAt: string }>(
  activities: readonly A[],
  timeZone: string,
): DayGroup<A>[] {
  const dayKey = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const label = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'long',
    month: 'short',
    day: 'numeric',
  });
  const groups = new Map<string, DayGroup<A>>();
  for (const activity of activities) {
    const start = new Date(activity.startsAt);
    const parts = Object.fromEntries(dayKey.formatToParts(start).map((p) => [p.type, p.value]));
    const day = `${parts.year}-${parts.month}-${parts.day}`;
    let group = groups.get(day);
    if (!group) {
      group = { day, label: label.format(start), activities: [] };
      groups.set(day, group);
    }
    group.activities.push(activity);
  }
  return [...groups.values()];
}
