/**
 * ETA and durations in words. The shown value is rounded to a granularity
 * that grows with the duration (an hour-long ETA moving by seconds is noise),
 * always upwards, so a shown time is never shorter than the estimate.
 */
const MINUTE = 60;
const HOUR = 3_600;
const DAY = 86_400;

/** Seconds as they will be shown: never negative, never decreasing as the input grows. */
export function roundEta(seconds: number): number {
  if (!Number.isFinite(seconds) || seconds <= 0) return 0;
  if (seconds < MINUTE) return Math.ceil(seconds);
  if (seconds < HOUR) return Math.ceil(seconds / MINUTE) * MINUTE;
  if (seconds < DAY) return Math.ceil(seconds / (5 * MINUTE)) * 5 * MINUTE;
  return Math.ceil(seconds / HOUR) * HOUR;
}

const unit = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** "less than a minute", "about 12 minutes", "about 2 hours 35 minutes", "about 3 days 4 hours". */
export function formatDurationWords(seconds: number): string {
  const s = roundEta(seconds);
  if (s === 0) return 'no time';
  if (s < MINUTE) return 'less than a minute';
  if (s < HOUR) return `about ${unit(s / MINUTE, 'minute')}`;
  if (s < DAY) {
    const h = Math.floor(s / HOUR);
    const m = (s % HOUR) / MINUTE;
    return `about ${unit(h, 'hour')}${m ? ` ${unit(m, 'minute')}` : ''}`;
  }
  const d = Math.floor(s / DAY);
  const h = (s % DAY) / HOUR;
  return `about ${unit(d, 'day')}${h ? ` ${unit(h, 'hour')}` : ''}`;
}

/** The monitor's ETA line; null (nothing moving, nothing left) reads as such. */
export function formatEta(seconds: number | null, status?: string): string {
  if (seconds === null) {
    if (status === 'completed' || status === 'cancelled') return 'Finished';
    if (status === 'paused') return 'Paused: no estimate until it resumes';
    return 'Estimating…';
  }
  return roundEta(seconds) === 0 ? 'Finishing' : `${formatDurationWords(seconds)} left`;
}

/** Calls per minute with one decimal below 10. */
export function formatRate(perMinute: number): string {
  const r = Number.isFinite(perMinute) && perMinute > 0 ? perMinute : 0;
  return `${r < 10 ? r.toFixed(1).replace(/\.0$/, '') : Math.round(r)} calls/min`;
}
