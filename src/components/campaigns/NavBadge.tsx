import { useCallback, useState } from 'react';
import { useLiveEvents } from '../live/useLiveEvents';
import { readStatusEvent } from './live-counts';

export interface NavBadgeProps {
  /** Running campaigns already known (none: the stream's opening snapshot tells). */
  initialIds?: string[];
}

/**
 * Next to "Campaigns" in the navigation: how many are calling now. The live
 * stream opens with every running campaign's progress, then follows status
 * changes, so the server renders no count: reading it on every page cost each
 * page a transaction of its own (bench:pages p95 +40–60 ms at 8 clients).
 */
export function NavBadge({ initialIds = [] }: NavBadgeProps) {
  const [running, setRunning] = useState<ReadonlySet<string>>(() => new Set(initialIds));
  const onEvent = useCallback((type: string, data: unknown) => {
    const event =
      type === 'campaign.status' || type === 'campaign.progress' ? readStatusEvent(data) : null;
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
