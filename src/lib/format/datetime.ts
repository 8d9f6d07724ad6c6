/** An instant in the tenant's time zone, e.g. "Nov 24, 2026, 3:05 PM". */
export function formatDateTime(value: Date | string | null | undefined, timeZone: string): string {
  if (!value) return '—';
  const date = typeof value === 'string' ? new Date(value) : value;
  return new Intl.DateTimeFormat('en-US', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone,
  }).format(date);
}

/** "12 minutes ago", "3 hours ago", "just now" — for freshness, relative to `now`. */
export function formatAgo(value: Date | string, now = new Date()): string {
  const ms = now.getTime() - new Date(value).getTime();
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'} ago`;
  const days = Math.round(hours / 24);
  return `${days} days ago`;
}

/** A duration in seconds or minutes, for run lengths. */
export function formatDuration(from: Date, to: Date | null): string {
  if (!to) return 'running';
  const seconds = Math.max(0, (to.getTime() - from.getTime()) / 1000);
  return seconds < 90 ? `${seconds.toFixed(1)} s` : `${Math.round(seconds / 60)} min`;
}
