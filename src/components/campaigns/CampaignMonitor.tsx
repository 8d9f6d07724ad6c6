import { useCallback, useEffect, useRef, useState } from 'react';
import type { CampaignView } from '../../lib/campaigns/campaign-view';
import type { CampaignProgress } from '../../lib/campaigns/progress';
import type { CampaignStatus } from '../../lib/db/schema';
import { formatNumber } from '../../lib/format/numbers';
import { ConnectionBadge } from '../live/ConnectionBadge';
import { useLiveEvents } from '../live/useLiveEvents';
import { ErrorNotice } from '../shared/ErrorNotice';
import { CampaignActions } from './CampaignActions';
import { CampaignProgressBar } from './CampaignProgressBar';
import { type CampaignAction, isEditable } from './campaign-status';
import { type CampaignsApi, campaignsApi, progressUrl } from './campaigns-api';
import { ErrorList } from './ErrorList';
import { formatEta, formatRate } from './eta';
import { readProgress, readStatusEvent } from './live-counts';
import { StatusBadge } from './StatusBadge';

export interface CampaignMonitorProps {
  campaign: CampaignView;
  /** The server's snapshot, so the numbers are right before any event arrives. */
  initial: CampaignProgress;
  timeZone: string;
  pollIntervalMs?: number;
  /** A running campaign silent this long is re-read (events are best effort: a NOTIFY can be dropped). */
  silenceMs?: number;
  api?: CampaignsApi;
}

/**
 * The detail page's live panel: status and controls, the progress bar, ETA
 * in words, calls per minute and the last five errors. Events (or the poll
 * fallback) replace the snapshot; while the connection is lost the numbers
 * are marked stale rather than shown as current.
 */
export function CampaignMonitor(props: CampaignMonitorProps) {
  const { campaign, initial, timeZone, pollIntervalMs = 2_000, silenceMs = 4_000 } = props;
  const api = props.api ?? campaignsApi;
  const lastUpdate = useRef(Date.now());
  const [progress, setProgress] = useState(initial);
  const [status, setStatus] = useState<CampaignStatus>(initial.status ?? campaign.status);
  const [hydrated, setHydrated] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  useEffect(() => setHydrated(true), []);

  const onEvent = useCallback(
    (type: string, data: unknown) => {
      // `poll` is the fallback's answer from the progress route: the same snapshot.
      if (type === 'campaign.progress' || type === 'poll') {
        const next = readProgress(data);
        if (next?.campaignId !== campaign.id) return;
        lastUpdate.current = Date.now();
        setProgress(next);
        if (next.status) setStatus(next.status);
      } else if (type === 'campaign.status') {
        const next = readStatusEvent(data);
        if (next?.id === campaign.id) setStatus(next.status);
      }
    },
    [campaign.id],
  );
  const live = useLiveEvents({
    campaignId: campaign.id,
    onEvent,
    pollUrl: progressUrl(campaign.id),
    pollIntervalMs,
  });
  const stale = hydrated && live.state === 'reconnecting';

  const refresh = useCallback(async () => {
    const result = await api.progress(campaign.id);
    if (result.ok) onEvent('campaign.progress', result.data);
  }, [api, campaign.id, onEvent]);

  // A paused campaign's calls in flight still end: keep reading until they have.
  const inFlight = progress.byStatus.dispatching + progress.byStatus.in_progress;
  const moving = status === 'running' || status === 'scheduled' || inFlight > 0;
  // Polling already re-reads; otherwise (live, connecting, reconnecting) silence triggers one read.
  useEffect(() => {
    if (!moving || live.state === 'polling') return;
    const timer = setInterval(() => {
      if (Date.now() - lastUpdate.current >= silenceMs) void refresh();
    }, silenceMs);
    return () => clearInterval(timer);
  }, [moving, live.state, silenceMs, refresh]);
  const done = (action: CampaignAction, result: unknown) => {
    setError(null);
    if (action === 'delete') {
      window.location.assign('/campaigns');
      return;
    }
    if (action === 'duplicate') {
      window.location.assign(`/campaigns/${(result as CampaignView).id}`);
      return;
    }
    const updated = result as CampaignView;
    setStatus(updated.status);
    setNotice(`Campaign ${updated.status === 'running' ? 'running' : updated.status}.`);
    void refresh();
  };

  const current: CampaignView = { ...campaign, status };
  const remaining =
    progress.byStatus.queued + progress.byStatus.dispatching + progress.byStatus.in_progress;
  return (
    <section
      className="card campaign-monitor"
      aria-labelledby="monitor-heading"
      aria-busy={stale || undefined}
    >
      <div className="card-header">
        <h2 id="monitor-heading">
          Live progress <StatusBadge status={status} />
        </h2>
        {hydrated && <ConnectionBadge state={live.state} />}
      </div>
      <div className="monitor-controls">
        <CampaignActions
          campaign={current}
          only={['start', 'pause', 'resume', 'cancel', 'duplicate']}
          disabled={!hydrated}
          onDone={done}
          onError={setError}
          api={api}
        />
        {isEditable(status) && (
          <a className="button secondary small" href={`/campaigns/${campaign.id}/edit`}>
            Edit
          </a>
        )}
      </div>
      <p role="status" className="campaign-status-line">
        {notice}
      </p>
      <ErrorNotice error={error} />
      {stale && (
        <p className="alert warning" role="status">
          Reconnecting… The figures below may be out of date until the connection is back.
        </p>
      )}
      <div className={stale ? 'monitor-body stale' : 'monitor-body'}>
        <CampaignProgressBar total={progress.total} done={progress.completed} label="Calls done" />
        <dl className="monitor-figures">
          <div>
            <dt>Time left</dt>
            <dd className="monitor-eta">{formatEta(progress.etaSeconds, status)}</dd>
          </div>
          <div>
            <dt>Speed</dt>
            <dd className="num">{formatRate(progress.callsPerMinute)}</dd>
          </div>
          <div>
            <dt>Still to call</dt>
            <dd className="num">{formatNumber(remaining)}</dd>
          </div>
          <div>
            <dt>Succeeded</dt>
            <dd className="num">{formatNumber(progress.success)}</dd>
          </div>
          <div>
            <dt>Failed</dt>
            <dd className="num">{formatNumber(progress.failed)}</dd>
          </div>
        </dl>
        <h3>Latest errors</h3>
        <ErrorList errors={progress.recentErrors} timeZone={timeZone} />
      </div>
    </section>
  );
}
