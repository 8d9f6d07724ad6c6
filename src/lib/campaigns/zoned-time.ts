/**
 * Wall-clock arithmetic in an IANA time zone with nothing but `Intl`. A "wall"
 * value is the local date and time written as if it were UTC milliseconds, so
 * `Math.floor(wall / DAY_MS)` is the local calendar day.
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

// Intl also accepts UTC offsets such as "+05:30", which PostgreSQL reads with the sign
// flipped: like the tenants' TimeZone schema, only region names (and "UTC") are zones.
const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

// Only valid zones are cached, so arbitrary input can't grow the map.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  const cached = formatters.get(timeZone);
  if (cached) return cached;
  if (!IANA_NAME.test(timeZone)) return null;
  try {
    const formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
    return formatter;
  } catch {
    return null;
  }
}

/** True for an IANA region name (or "UTC") that this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  return formatterFor(timeZone) !== null;
}

/** The zone's UTC offset in milliseconds at `instant` (epoch ms). Throws on an unknown zone. */
export function offsetAt(timeZone: string, instant: number): number {
  const formatter = formatterFor(timeZone);
  if (!formatter) throw new Error(`Unknown time zone "${timeZone}"`);
  const field = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatter.formatToParts(instant)) {
    if (part.type in field) field[part.type as keyof typeof field] = Number(part.value);
  }
  const wall = Date.UTC(
    field.year,
    field.month - 1,
    field.day,
    field.hour,
    field.minute,
    field.second,
  );
  return wall - (instant - (((instant % 1000) + 1000) % 1000));
}

/** The local wall value of `instant`. */
export function wallAt(timeZone: string, instant: number): number {
  return instant + offsetAt(timeZone, instant);
}

/**
 * The first instant whose wall value is at least `wall`: the earlier of two
 * repeated times (fall back), or the moment the clocks jump past a time that
 * doesn't exist (spring forward).
 */
export function instantAtWall(timeZone: string, wall: number): number {
  // No zone's offset moves by a day within two days, so these bracket the answer.
  const before = offsetAt(timeZone, wall - DAY_MS);
  const after = offsetAt(timeZone, wall + DAY_MS);
  const candidates = [wall - before, wall - after].sort((a, b) => a - b);
  for (const instant of candidates) {
    if (wallAt(timeZone, instant) === wall) return instant;
  }
  // A gap: `wall - after` reads earlier than `wall`, `wall - before` later. Transitions fall
  // on whole seconds, so bisect seconds to find the jump.
  let lo = (wall - after) / 1000;
  let hi = (wall - before) / 1000;
  if (!(lo < hi)) throw new Error(`Cannot place ${new Date(wall).toISOString()} in ${timeZone}`);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallAt(timeZone, mid * 1000) >= wall) hi = mid;
    else lo = mid;
  }
  return hi * 1000;
}

/** The local calendar day of `instant`, as days since 1970-01-01. */
export function localDayOf(timeZone: string, instant: number): number {
  return Math.floor(wallAt(timeZone, instant) / DAY_MS);
}

/** The weekday (0 = Sunday) of a day number from `localDayOf`. */
export function weekdayOf(day: number): number {
  // 1970-01-01 was a Thursday.
  return (((day + 4) % 7) + 7) % 7;
}
