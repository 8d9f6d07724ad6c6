import type { CampaignView } from '../../lib/campaigns/campaign-view';
import { formatNumber } from '../../lib/format/numbers';
import { CampaignProgressBar } from './CampaignProgressBar';
import { doneOf } from './progress-math';
import { StatusBadge } from './StatusBadge';

export interface CampaignCardProps {
  campaign: CampaignView;
  /** The workspace's zone for dates. */
  timeZone: string;
  children?: React.ReactNode;
}

/** One campaign in the list: name, status, agent, progress and counts; actions as children. */
export function CampaignCard({ campaign, timeZone, children }: CampaignCardProps) {
  const c = campaign.counts;
  const created = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone }).format(
    new Date(campaign.createdAt),
  );
  const stats = [
    { label: 'Succeeded', value: c.completed, tone: 'ok' },
    { label: 'Failed', value: c.failed, tone: c.failed > 0 ? 'danger' : '' },
    { label: 'Queued', value: c.queued, tone: '' },
    { label: 'In progress', value: c.active, tone: '' },
  ];
  return (
    <article className="card campaign-card" aria-labelledby={`campaign-${campaign.id}`}>
      <header className="campaign-card-head">
        <h2 id={`campaign-${campaign.id}`} className="campaign-card-title">
          <a href={`/campaigns/${campaign.id}`}>{campaign.name}</a>
        </h2>
        <StatusBadge status={campaign.status} />
      </header>
      <p className="muted campaign-card-meta">
        Agent <span className="mono">{campaign.agentId}</span> · {formatNumber(c.total)} contacts ·
        created {created}
      </p>
      {campaign.pausedReason && <p className="alert warning">{campaign.pausedReason}</p>}
      <CampaignProgressBar total={c.total} done={doneOf(c)} />
      <dl className="campaign-stats">
        {stats.map((s) => (
          <div key={s.label} className={`campaign-stat ${s.tone}`}>
            <dt>{s.label}</dt>
            <dd className="num">{formatNumber(s.value)}</dd>
          </div>
        ))}
      </dl>
      {children}
    </article>
  );
}
