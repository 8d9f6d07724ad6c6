/** The live event names (no dependencies: the browser's hook imports this too). */
export const LIVE_EVENT_TYPES = [
  'campaign.progress',
  'campaign.status',
  'import.progress',
  'sync.finished',
] as const;
export type LiveEventType = (typeof LIVE_EVENT_TYPES)[number];
