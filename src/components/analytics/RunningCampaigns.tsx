import { useCallback, useEffect, useState } from 'react';
import type { CampaignView } from '../../lib/campaigns/campaign-view';
import { formatNumber } from '../../lib/format/numbers';
import { CampaignProgressBar } from '../campaigns/CampaignProgressBar';
import { applyProgress, applyStatus, readProgress } from '../campaigns/live-counts';
import { doneOf } from '../campaigns/progress-math';
import { ConnectionBadge } from '../live/ConnectionBadge';
import { useLiveEvents } from '../live/useLiveEvents';

export interface RunningCampaignsProps {
  initial: CampaignView[];
}

/**
 * The overview's running campaigns, each with its progress bar, kept current
 * by the workspace's live events (the same stream and folding as the
 * campaigns page). The server renders the same list first.
 */
export function RunningCampaigns({ initial }: RunningCampaignsProps) {
  const [campaigns, setCampaigns] = useState(initial);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);

  const onEvent = useCallback((type: string, data: unknown) => {
    if (type === 'campaign.progress') {
      const progress = readProgress(data);
      if (progress) setCampaigns((list) => list.map((c) => applyProgress(c, progress)));
    } else if (type === 'campaign.status') {
      setCampaigns((list) => list.map((c) => applyStatus(c, data)));
    }
  }, []);
  const live = useLiveEvents({ onEvent });

  return (
    <div className="running-campaigns">
      {hydrated && <ConnectionBadge state={live.state} />}
      <ul className="compact-list running-campaign-list">
        {campaigns.map((c) => (
          <li key={c.id}>
            <div className="running-campaign-head">
              <a href={`/campaigns/${c.id}`}>
                <strong>{c.name}</strong>
              </a>
              <span className="muted">
                {c.status === 'running' ? 'Running' : 'Paused'} · {formatNumber(c.counts.active)} in
                progress
              </span>
            </div>
            <CampaignProgressBar
              label={`${c.name} progress`}
              total={c.counts.total}
              done={doneOf(c.counts)}
            />
          </li>
        ))}
      </ul>
    </div>
  );
}
