import { z } from 'zod';
import { LIVE_EVENT_TYPES, type LiveEventType } from './event-types';

export { LIVE_EVENT_TYPES, type LiveEventType };

/** The one channel every process notifies and every web process listens on. */
export const LIVE_CHANNEL = 'live_events';

/**
 * What a NOTIFY carries: ids only (checklist 28). Every database user can
 * see a NOTIFY, so nothing else goes in; web processes re-read the details
 * under the tenant before sending anything to a browser.
 */
export const LiveNotice = z.object({
  tenantId: z.uuid(),
  type: z.enum(LIVE_EVENT_TYPES),
  id: z.string().min(1).max(64),
});
export type LiveNotice = z.infer<typeof LiveNotice>;

/** A NOTIFY payload back into a notice; anything else (a probe, garbage) is null. */
export function parseNotice(payload: string): LiveNotice | null {
  try {
    const parsed = LiveNotice.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Campaign events belong to their campaign; the others to the workspace as a whole. */
export function campaignOf(type: LiveEventType, id: string): string | null {
  return type === 'campaign.progress' || type === 'campaign.status' ? id : null;
}
