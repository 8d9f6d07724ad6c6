/** How a call's stored outcome (call_queue.outcome) reads on the campaign pages. */
const LABELS: Record<string, string> = {
  completed: 'Answered',
  voicemail: 'Voicemail',
  no_answer: 'No answer',
  busy: 'Busy',
  failed: 'Failed',
  canceled: 'Cancelled by the provider',
  balance_low: 'Provider balance low',
  campaign_cancelled: 'Campaign cancelled',
  campaign_deleted: 'Campaign deleted',
  window_closed: 'Calling window closed',
  no_calling_window: 'No calling window before the end',
  opted_out: 'Opted out',
  contact_deleted: 'Contact deleted',
  invalid_number: 'Invalid number',
  lost: 'Lost by the provider',
  rate_limited: 'Held back by the rate limit',
  circuit_open: 'Held back: provider unavailable',
  outside_window: 'Outside the calling window',
  dial_late: 'Too late to dial',
  dispatcher_stopped: 'Dialler stopped',
};

/** Its label, or the stored key made readable ("rate_limited" → "Rate limited") for one not listed. */
export function outcomeLabel(outcome: string): string {
  const label = LABELS[outcome];
  if (label) return label;
  const words = outcome.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
