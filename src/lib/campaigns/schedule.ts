import { z } from 'zod';
import {
  DAY_MS,
  instantAtWall,
  isValidTimeZone,
  localDayOf,
  MINUTE_MS,
  weekdayOf,
} from './zoned-time';

export { isValidTimeZone };

export const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6] as const; // 0 = Sunday, like Date#getDay

/**
 * When calls may be placed, in a campaign's time zone. An occurrence opens on each of
 * `days` at the first instant the local clock reads `startMinute` (the earlier one when
 * clocks fall back, the jump when they spring past it) and closes likewise at `endMinute`.
 */
export interface CallingWindow {
  /** Days the window OPENS on (local to the zone). A window crossing midnight that opens Friday 22:00 runs into Saturday. */
  days: number[];
  /** 0..1439, local minutes after midnight. */
  startMinute: number;
  /** 0..1440; end <= start means it crosses midnight (e.g. 22:00→02:00); start === end is invalid. */
  endMinute: number;
}

const DAY_COUNT = WEEKDAYS.length;

export const CallingWindowSchema: z.ZodType<CallingWindow> = z
  .object({
    days: z
      .array(
        z
          .number({ error: 'Days must be numbers' })
          .int('Days must be whole numbers')
          .min(0, 'Days run from 0 (Sunday) to 6 (Saturday)')
          .max(DAY_COUNT - 1, 'Days run from 0 (Sunday) to 6 (Saturday)'),
        { error: 'Days must be a list' },
      )
      .min(1, 'Pick at least one day')
      .transform((days) => [...new Set(days)].sort((a, b) => a - b)),
    startMinute: z
      .number({ error: 'Start time is required' })
      .int('Start time must be a whole minute')
      .min(0, 'Start time must be between 00:00 and 23:59')
      .max(1439, 'Start time must be between 00:00 and 23:59'),
    endMinute: z
      .number({ error: 'End time is required' })
      .int('End time must be a whole minute')
      .min(0, 'End time must be between 00:00 and 24:00')
      .max(1440, 'End time must be between 00:00 and 24:00'),
  })
  .refine((w) => w.startMinute !== w.endMinute, {
    message: 'Start and end times must differ',
    path: ['endMinute'],
  });

interface Occurrence {
  open: number;
  close: number;
}

/** The occurrence opening on local `day`, or null if the window doesn't open then. */
function occurrenceOn(window: CallingWindow, timeZone: string, day: number): Occurrence | null {
  if (!window.days.includes(weekdayOf(day))) return null;
  const open = instantAtWall(timeZone, day * DAY_MS + window.startMinute * MINUTE_MS);
  const endDay = window.endMinute <= window.startMinute ? day + 1 : day;
  const close = instantAtWall(timeZone, endDay * DAY_MS + window.endMinute * MINUTE_MS);
  // Empty when a short window lies wholly in a spring-forward gap.
  return close > open ? { open, close } : null;
}

function assertUsable(window: CallingWindow, ...instants: (Date | undefined)[]): void {
  const valid =
    window.days.length > 0 &&
    window.days.every((d) => Number.isInteger(d) && d >= 0 && d < DAY_COUNT) &&
    Number.isInteger(window.startMinute) &&
    Number.isInteger(window.endMinute) &&
    window.startMinute >= 0 &&
    window.startMinute < 1440 &&
    window.endMinute >= 0 &&
    window.endMinute <= 1440 &&
    window.startMinute !== window.endMinute;
  if (!valid) throw new Error('Invalid calling window: parse it with CallingWindowSchema first');
  if (instants.some((i) => i !== undefined && Number.isNaN(i.getTime()))) {
    throw new Error('Invalid date');
  }
}

function containing(window: CallingWindow, timeZone: string, instant: number): Occurrence | null {
  const today = localDayOf(timeZone, instant);
  // Only yesterday's occurrence (crossing midnight) or today's can hold it: no zone's clock
  // shows tomorrow's date and then falls back to today's.
  for (let day = today - 1; day <= today; day++) {
    const occurrence = occurrenceOn(window, timeZone, day);
    if (occurrence && occurrence.open <= instant && instant < occurrence.close) return occurrence;
  }
  return null;
}

/** True when `instant` lies inside [open, close) of a window occurrence in `timeZone`. */
export function isWithinWindow(window: CallingWindow, timeZone: string, instant: Date): boolean {
  assertUsable(window, instant);
  return containing(window, timeZone, instant.getTime()) !== null;
}

/** When the window occurrence containing `instant` closes (for "stop claiming at the end of the window"); null if outside. */
export function windowCloseAfter(
  window: CallingWindow,
  timeZone: string,
  instant: Date,
): Date | null {
  assertUsable(window, instant);
  const occurrence = containing(window, timeZone, instant.getTime());
  return occurrence ? new Date(occurrence.close) : null;
}

// Yesterday (crossing midnight) through a week ahead, plus a week in case a whole
// occurrence vanished into a spring-forward gap.
const SEARCH_DAYS = 2 * DAY_COUNT + 1;

/**
 * The first instant >= max(from, notBefore ?? from) inside the window in `timeZone`;
 * null if `notAfter` is given and none exists at or before it.
 */
export function nextCallableInstant(
  window: CallingWindow,
  timeZone: string,
  from: Date,
  options: { notBefore?: Date; notAfter?: Date } = {},
): Date | null {
  assertUsable(window, from, options.notBefore, options.notAfter);
  const start = Math.max(from.getTime(), options.notBefore?.getTime() ?? -Infinity);
  const limit = options.notAfter?.getTime() ?? Infinity;
  if (start > limit) return null;
  const first = localDayOf(timeZone, start) - 1;
  // Occurrences open in day order, so the first one still open at `start` wins.
  for (let day = first; day <= first + SEARCH_DAYS; day++) {
    const occurrence = occurrenceOn(window, timeZone, day);
    if (!occurrence || occurrence.close <= start) continue;
    const at = Math.max(occurrence.open, start);
    return at <= limit ? new Date(at) : null;
  }
  throw new Error(`No calling window occurrence within ${SEARCH_DAYS} days in ${timeZone}`);
}
