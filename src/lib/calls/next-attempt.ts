import { nextCallableInstant, windowCloseAfter } from '../campaigns/schedule';
import { windowOf } from '../campaigns/zone-schedule';

/** The campaign settings a call's next attempt depends on (a CampaignRow has them). */
export interface RetryTerms {
  windowDays: number[];
  windowStartMinute: number;
  windowEndMinute: number;
  endAt: Date | null;
  maxAttempts: number;
}

/**
 * When a call that has made `attempt` attempts may be tried again, no sooner
 * than `notBefore`: the first callable instant in its zone's window and the
 * close of that window occurrence (or the campaign's end, if sooner) as its
 * deadline. Null when no attempt is left or no window opens before the end.
 */
export function nextAttempt(
  terms: RetryTerms,
  timeZone: string,
  attempt: number,
  notBefore: Date,
): { at: Date; notAfter: Date | null } | null {
  if (attempt >= terms.maxAttempts) return null;
  const window = windowOf(terms);
  const endAt = terms.endAt ?? undefined;
  const at = nextCallableInstant(window, timeZone, notBefore, { notAfter: endAt });
  if (!at) return null;
  const close = windowCloseAfter(window, timeZone, at);
  const notAfter = close && endAt && endAt < close ? endAt : close;
  return { at, notAfter };
}
