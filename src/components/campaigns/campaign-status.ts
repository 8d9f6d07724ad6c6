import type { CampaignStatus } from '../../lib/db/schema';

export type StatusTone = 'neutral' | 'info' | 'live' | 'warn' | 'ok' | 'danger';

/** Each status's colour and words; the colour never carries the meaning alone. */
export const STATUS_DISPLAY: Record<CampaignStatus, { label: string; tone: StatusTone }> = {
  draft: { label: 'Draft', tone: 'neutral' },
  scheduled: { label: 'Scheduled', tone: 'info' },
  running: { label: 'Running', tone: 'live' },
  paused: { label: 'Paused', tone: 'warn' },
  completed: { label: 'Completed', tone: 'ok' },
  cancelled: { label: 'Cancelled', tone: 'danger' },
};

export type CampaignAction = 'start' | 'pause' | 'resume' | 'cancel' | 'duplicate' | 'delete';

/** What a campaign in `status` can be told to do (the engine refuses the rest with 409). */
export function actionsFor(status: CampaignStatus): CampaignAction[] {
  switch (status) {
    case 'draft':
      return ['start', 'duplicate', 'delete'];
    case 'scheduled':
    case 'running':
      return ['pause', 'cancel', 'duplicate'];
    case 'paused':
      return ['resume', 'cancel', 'duplicate', 'delete'];
    case 'completed':
    case 'cancelled':
      return ['duplicate', 'delete'];
  }
}

/** Destructive actions ask first. */
export const CONFIRM: Partial<
  Record<CampaignAction, { title: string; body: string; label: string }>
> = {
  cancel: {
    title: 'Cancel this campaign?',
    body: 'Calls not yet placed are cancelled; calls in progress finish. It cannot be restarted, only duplicated.',
    label: 'Cancel campaign',
  },
  delete: {
    title: 'Delete this campaign?',
    body: 'It disappears from the list and its results can no longer be exported.',
    label: 'Delete campaign',
  },
};

export const ACTION_LABELS: Record<CampaignAction, string> = {
  start: 'Start',
  pause: 'Pause',
  resume: 'Resume',
  cancel: 'Cancel',
  duplicate: 'Duplicate',
  delete: 'Delete',
};

export const isEditable = (status: CampaignStatus) => status === 'draft' || status === 'paused';
