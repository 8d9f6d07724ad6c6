import { useCallback, useEffect, useState } from 'react';
import type { CampaignView } from '../../lib/campaigns/campaign-view';
import { ConnectionBadge } from '../live/ConnectionBadge';
import { useLiveEvents } from '../live/useLiveEvents';
import { ErrorNotice } from '../shared/ErrorNotice';
import { CampaignActions } from './CampaignActions';
import { CampaignCard } from './CampaignCard';
import type { CampaignAction } from './campaign-status';
import { applyProgress, applyStatus, readProgress } from './live-counts';

export interface CampaignListProps {
  initial: CampaignView[];
  timeZone: string;
}

const DONE_MESSAGES: Record<CampaignAction, string> = {
  start: 'Started',
  pause: 'Paused',
  resume: 'Resumed',
  cancel: 'Cancelled',
  duplicate: 'Duplicated',
  delete: 'Deleted',
};

/**
 * The campaign cards with their actions, kept current by live events. The
 * server renders the same cards first, so the list reads without JavaScript.
 */
export function CampaignList({ initial, timeZone }: CampaignListProps) {
  const [campaigns, setCampaigns] = useState(initial);
  const [hydrated, setHydrated] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<unknown>(null);
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

  const done = (campaign: CampaignView) => (action: CampaignAction, result: unknown) => {
    setError(null);
    if (action === 'delete') {
      setCampaigns((list) => list.filter((c) => c.id !== campaign.id));
    } else if (action === 'duplicate') {
      const copy = result as CampaignView;
      setCampaigns((list) => [copy, ...list]);
    } else {
      const updated = result as CampaignView;
      setCampaigns((list) => list.map((c) => (c.id === updated.id ? updated : c)));
    }
    setStatus(`${DONE_MESSAGES[action]} “${campaign.name}”.`);
  };

  return (
    <div className="campaign-list">
      <div className="campaign-list-status">
        <p role="status" className="campaign-status-line">
          {status}
        </p>
        {hydrated && <ConnectionBadge state={live.state} />}
      </div>
      <ErrorNotice error={error} />
      <div className="campaign-grid">
        {campaigns.map((campaign) => (
          <CampaignCard key={campaign.id} campaign={campaign} timeZone={timeZone}>
            <CampaignActions
              campaign={campaign}
              disabled={!hydrated}
              onDone={done(campaign)}
              onError={setError}
            />
          </CampaignCard>
        ))}
      </div>
    </div>
  );
}
