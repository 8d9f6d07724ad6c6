/**
 * The calling window as the picker edits it (days, "HH:MM" times, a zone),
 * checked with the engine's own schema so the picker and the server agree.
 * An end at or before the start crosses midnight (22:00 → 02:00).
 */
import { type CallingWindow, CallingWindowSchema } from '../../lib/campaigns/schedule';
import { isValidTimeZone } from '../../lib/campaigns/zoned-time';

export const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export interface WindowDraft {
  days: number[];
  /** "HH:MM", as an <input type="time"> gives it. */
  start: string;
  /** "HH:MM"; "24:00" or "00:00" after a start means up to midnight. */
  end: string;
  timezone: string;
}

export type WindowErrors = Partial<Record<'days' | 'start' | 'end' | 'timezone', string>>;

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** "09:30" → 570; null when not a time. */
export function parseTime(text: string): number | null {
  if (text === '24:00') return 1440;
  const m = TIME.exec(text.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

export function formatMinute(minute: number): string {
  const m = minute % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** True when the window runs past midnight into the next day. */
export const crossesMidnight = (w: Pick<CallingWindow, 'startMinute' | 'endMinute'>) =>
  w.endMinute < w.startMinute;

/**
 * The draft as the engine's window, or the errors per field. An end of 00:00
 * after any start means "until midnight" (1440), as people write it.
 */
export function validateWindow(
  draft: WindowDraft,
): { ok: true; window: CallingWindow; timezone: string } | { ok: false; errors: WindowErrors } {
  const errors: WindowErrors = {};
  const start = parseTime(draft.start);
  let end = parseTime(draft.end);
  if (start === null) errors.start = 'Enter the first call time as HH:MM';
  if (end === null) errors.end = 'Enter the last call time as HH:MM';
  // Midnight as an end is the end of the day: 22:00–00:00 and 00:00–00:00 (all day).
  if (end === 0) end = 1440;
  if (draft.days.length === 0) errors.days = 'Pick at least one day';
  if (!isValidTimeZone(draft.timezone))
    errors.timezone = 'Unknown time zone; use a name like America/New_York';
  if (start !== null && end !== null && start === end)
    errors.end = 'The last call time must differ from the first';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const parsed = CallingWindowSchema.safeParse({
    days: draft.days,
    startMinute: start,
    endMinute: end,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = String(issue?.path[0] ?? 'endMinute');
    const key: keyof WindowErrors =
      path === 'startMinute' ? 'start' : path === 'days' ? 'days' : 'end';
    return { ok: false, errors: { [key]: issue?.message ?? 'Check the window' } };
  }
  return { ok: true, window: parsed.data, timezone: draft.timezone };
}

function dayList(days: number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  if (sorted.length === 7) return 'Every day';
  if (sorted.join() === '1,2,3,4,5') return 'Mon–Fri';
  if (sorted.join() === '0,6') return 'Weekends';
  return sorted.map((d) => DAY_NAMES[d]).join(', ');
}

/** "Mon–Fri, 09:00–17:00" or "Fri, 22:00 → 02:00 the next day". */
export function describeWindow(w: CallingWindow): string {
  const start = formatMinute(w.startMinute);
  const end = w.endMinute === 1440 ? '24:00' : formatMinute(w.endMinute);
  return crossesMidnight(w)
    ? `${dayList(w.days)}, ${start} → ${end} the next day`
    : `${dayList(w.days)}, ${start}–${end}`;
}

/** Spells out a midnight-crossing window, since "22:00–02:00 on Friday" is easy to misread. */
export function explainMidnight(w: CallingWindow): string | null {
  if (!crossesMidnight(w)) return null;
  const first = w.days[0] ?? 0;
  return `This window crosses midnight: calls that start on ${LONG_DAYS[first]} at ${formatMinute(w.startMinute)} continue until ${formatMinute(w.endMinute)} on ${LONG_DAYS[(first + 1) % 7]}. The days you pick are the days it opens.`;
}
