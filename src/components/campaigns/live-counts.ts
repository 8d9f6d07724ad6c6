import type { CampaignView } from '../../lib/campaigns/campaign-view';
import type { CampaignProgress } from '../../lib/campaigns/progress';
import type { CampaignStatus } from '../../lib/db/schema';

/** A live progress snapshot folded into a campaign view (the cards show the view's counters). */
export function applyProgress(campaign: CampaignView, p: CampaignProgress): CampaignView {
  if (p.campaignId !== campaign.id) return campaign;
  const s = p.byStatus;
  return {
    ...campaign,
    status: p.status ?? campaign.status,
    counts: {
      total: p.total,
      queued: s.queued,
      active: s.dispatching + s.in_progress,
      completed: s.completed,
      failed: s.failed,
      cancelled: s.cancelled,
      skipped: s.skipped,
    },
  };
}

/** A `campaign.status` event's body; the stream sends `{ id, status }` (older drafts said campaignId). */
export type StatusEvent = { id?: string; campaignId?: string; status: CampaignStatus };

/** The campaign a status event is about, and its new status; null for anything else. */
export function readStatusEvent(data: unknown): { id: string; status: CampaignStatus } | null {
  const event = data as StatusEvent | null;
  const id = event?.id ?? event?.campaignId;
  return typeof id === 'string' && typeof event?.status === 'string'
    ? { id, status: event.status }
    : null;
}

export function applyStatus(campaign: CampaignView, data: unknown): CampaignView {
  const event = readStatusEvent(data);
  return event && event.id === campaign.id ? { ...campaign, status: event.status } : campaign;
}

/** A snapshot from an event or the poll fallback, if it is one. */
export function readProgress(data: unknown): CampaignProgress | null {
  const p = data as CampaignProgress | null;
  return typeof p?.campaignId === 'string' && typeof p.byStatus === 'object' ? p : null;
}
