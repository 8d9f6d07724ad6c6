import type { DashboardStats, Delta } from '../../lib/analytics';
import { formatCurrency, formatNumber, formatPercent } from '../../lib/format/numbers';
import type { KPICardProps } from '../dashboard/KPICard';

const PERIOD: Record<DashboardStats['range'], string> = {
  today: 'yesterday',
  '7d': 'previous 7 days',
  '30d': 'previous 30 days',
  '90d': 'previous 90 days',
};

/** The pipeline is a level, not a flow: compared with its value one period ago. */
const PIPELINE_VS: Record<DashboardStats['range'], string> = {
  today: 'yesterday',
  '7d': '7 days ago',
  '30d': '30 days ago',
  '90d': '90 days ago',
};

/** "1 h 05 min", "42 min", "30 s". */
export function formatTalkTime(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${formatNumber(Math.floor(minutes / 60))} h ${String(minutes % 60).padStart(2, '0')} min`;
}

function deltaText(delta: Delta, vs: string, unit: 'percent' | 'points'): KPICardProps['delta'] {
  if (delta.change === null) {
    return delta.direction === 'up' ? { text: `New vs ${vs}`, direction: 'up' } : undefined;
  }
  const sign = delta.change > 0 ? '+' : delta.change < 0 ? '−' : '±';
  const size = Math.abs(delta.change) * 100;
  const text =
    unit === 'points'
      ? `${sign}${size.toFixed(1)} pt vs ${vs}`
      : `${sign}${size >= 10 ? Math.round(size) : size.toFixed(1)}% vs ${vs}`;
  return { text, direction: delta.direction };
}

/** The six headline cards of the overview, formatted, with their deltas. */
export function kpiFigures(stats: DashboardStats): KPICardProps[] {
  const { current: c, deltas: d } = stats;
  const vs = PERIOD[stats.range];
  return [
    {
      label: 'Calls placed',
      value: formatNumber(c.callsPlaced),
      delta: deltaText(d.callsPlaced, vs, 'percent'),
    },
    {
      label: 'Connect rate',
      value: c.connectRate === null ? '—' : formatPercent(c.connectRate),
      subtitle: `${formatNumber(c.callsConnected)} answered by a person`,
      delta: deltaText(d.connectRate, vs, 'points'),
    },
    {
      label: 'Completed calls',
      value: formatNumber(c.callsCompleted),
      subtitle: 'Answered or voicemail',
      delta: deltaText(d.callsCompleted, vs, 'percent'),
    },
    {
      label: 'Talk time',
      value: formatTalkTime(c.talkSeconds),
      delta: deltaText(d.talkSeconds, vs, 'percent'),
    },
    {
      label: 'New leads',
      value: formatNumber(c.newLeads),
      subtitle: `${formatNumber(c.newOpportunities)} new opportunities`,
      delta: deltaText(d.newLeads, vs, 'percent'),
    },
    {
      label: 'Pipeline value',
      value: c.pipelineValue === null ? '—' : formatCurrency(c.pipelineValue, { compact: true }),
      subtitle: c.pipelineValue === null ? 'Recorded once the roll-up has run' : undefined,
      delta: deltaText(d.pipelineValue, PIPELINE_VS[stats.range], 'percent'),
    },
  ];
}
