import { nextCallableInstant } from '../../lib/campaigns/schedule';
import type { SettingsBody } from './settings-draft';

/** Used for estimates until the workspace has finished calls of its own. */
export const DEFAULT_CALL_SECONDS = 90;

/** When the first call can be placed: the window's first instant at or after the start. */
export function firstCallAt(body: SettingsBody, now: Date): Date | null {
  const from = body.startAt && new Date(body.startAt) > now ? new Date(body.startAt) : now;
  return nextCallableInstant(body.window, body.timezone, from);
}

/**
 * Calling time for `contacts` calls at the current limits: the calls share
 * the user's slots (capped by the system's), one average call each. Window
 * closures come on top, which the review says in words.
 */
export function estimateCallingSeconds(
  contacts: number,
  limits: { user: number; system: number },
  averageCallSeconds: number | null,
): number | null {
  const slots = Math.min(limits.user, limits.system);
  if (!(contacts > 0) || !(slots > 0)) return null;
  return Math.ceil(contacts / slots) * (averageCallSeconds ?? DEFAULT_CALL_SECONDS);
}
