import type { CampaignStatus } from '../../lib/db/schema';
import { STATUS_DISPLAY } from './campaign-status';

/** A campaign's status as a coloured label; server-rendered. */
export function StatusBadge({ status }: { status: CampaignStatus }) {
  const { label, tone } = STATUS_DISPLAY[status];
  return (
    <span className={`badge status-badge tone-${tone}`} data-status={status}>
      {tone === 'live' && <span className="live-dot" aria-hidden="true" />}
      {label}
    </span>
  );
}
