import { useCallback, useState } from 'react';
import { useLiveEvents } from '../live/useLiveEvents';
import { readStatusEvent } from './live-counts';

export interface NavBadgeProps {
  /** Running campaigns when the page was rendered. */
  initialIds: string[];
}

/** Next to "Campaigns" in the navigation: how many are calling now, kept current by events. */
export function NavBadge({ initialIds }: NavBadgeProps) {
  const [running, setRunning] = useState<ReadonlySet<string>>(() => new Set(initialIds));
  const onEvent = useCallback((type: string, data: unknown) => {
    const event = type === 'campaign.status' ? readStatusEvent(data) : null;
    if (!event) return;
    const { id: campaignId, status } = event;
    setRunning((current) => {
      if ((status === 'running') === current.has(campaignId)) return current;
      const next = new Set(current);
      if (status === 'running') next.add(campaignId);
      else next.delete(campaignId);
      return next;
    });
  }, []);
  useLiveEvents({ onEvent });
  const n = running.size;
  return (
    <span className="nav-badge" hidden={n === 0} aria-live="polite">
      {n}
      <span className="visually-hidden"> running</span>
    </span>
  );
}
