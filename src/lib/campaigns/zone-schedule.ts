import { type CallingWindow, nextCallableInstant, windowCloseAfter } from './schedule';

export interface ZoneSlot {
  tz: string;
  /** ISO instants: postgres.js binds them inside jsonb, which a Date would not survive. */
  scheduled_at: string | null;
  not_after: string | null;
}

/**
 * When each zone's rows may first be dialled. Contacts share a handful of
 * zones, so the window arithmetic runs once per zone and Postgres joins the
 * answer to every queue row of that zone in one statement. A zone with no
 * window opening before `endAt` gets null: its rows are skipped.
 */
export function scheduleByZone(
  window: CallingWindow,
  zones: readonly string[],
  from: Date,
  endAt: Date | null,
): ZoneSlot[] {
  return zones.map((tz) => {
    const at = nextCallableInstant(window, tz, from, endAt ? { notAfter: endAt } : undefined);
    const close = at ? windowCloseAfter(window, tz, at) : null;
    return {
      tz,
      scheduled_at: at?.toISOString() ?? null,
      not_after:
        close && endAt && endAt < close ? endAt.toISOString() : (close?.toISOString() ?? null),
    };
  });
}

export function windowOf(campaign: {
  windowDays: number[];
  windowStartMinute: number;
  windowEndMinute: number;
}): CallingWindow {
  return {
    days: campaign.windowDays,
    startMinute: campaign.windowStartMinute,
    endMinute: campaign.windowEndMinute,
  };
}
