import { sql } from 'drizzle-orm';
import { fail, ok, type Result } from '../api/result';
import type { DbOrTx } from '../db/client';
import { withTenant } from '../db/tenant';
import { UUID } from './internal';
import {
  type StatusCounterColumns,
  statusCounterColumns,
  toStatusCounts,
} from './live-status-counts';

export interface CampaignAnalytics {
  byOutcome: Record<string, number>;
  /** Live: from the campaign's counters (and its calls being dialled right now). */
  byStatus: Record<string, number>;
  /** Completed (answered, not voicemail) over finished calls; null before any finished. */
  successRate: number | null;
  averageDurationSeconds: number | null;
  daily: { day: string; dialled: number; completed: number }[];
  /**
   * When the figures other than byStatus were counted (the campaign roll-up,
   * every 30 s while it changes); null until its first roll-up.
   */
  asOf: string | null;
}

type Row = StatusCounterColumns & {
  rolled_at: string | null;
  stats: {
    day: string | null;
    status: string;
    outcome: string | null;
    calls: number;
    duration_sum: number;
    duration_count: number;
  }[];
};

/**
 * One campaign's analytics in one statement whatever its size: the figures
 * from its roll-up (campaign_stats, src/lib/campaigns/campaign-stats-rollup.ts:
 * a few rows per day, status and outcome), the statuses live
 * (live-status-counts.ts).
 */
export async function getCampaignAnalytics(
  db: DbOrTx,
  tenantId: string,
  campaignId: string,
): Promise<Result<CampaignAnalytics>> {
  if (!UUID.test(campaignId)) return fail('NOT_FOUND', 'No such campaign');
  const [row] = await withTenant(db, tenantId, (tx) =>
    tx.execute<Row>(sql`
      select ${statusCounterColumns}, s.rolled_at,
        (select coalesce(json_agg(c order by c.day), '[]') from (
           select to_char(c.day, 'YYYY-MM-DD') as day, c.status, c.outcome, c.calls,
             c.duration_sum, c.duration_count
           from campaign_stats c where c.tenant_id = ${tenantId} and c.campaign_id = ${campaignId}) c
        ) as stats
      from call_campaigns k
      left join campaign_stats_state s on s.tenant_id = k.tenant_id and s.campaign_id = k.id
      where k.tenant_id = ${tenantId} and k.id = ${campaignId} and k.deleted_at is null`),
  );
  if (!row) return fail('NOT_FOUND', 'No such campaign');
  return ok(toAnalytics(row));
}

function toAnalytics(row: Row): CampaignAnalytics {
  const byStatus = Object.fromEntries(Object.entries(toStatusCounts(row)).filter(([, n]) => n > 0));
  const byOutcome: Record<string, number> = {};
  const rolledStatus: Record<string, number> = {};
  const days = new Map<string, { dialled: number; completed: number }>();
  let durationSum = 0;
  let durationCount = 0;
  for (const s of row.stats) {
    rolledStatus[s.status] = (rolledStatus[s.status] ?? 0) + s.calls;
    if (s.outcome) byOutcome[s.outcome] = (byOutcome[s.outcome] ?? 0) + s.calls;
    if (s.status === 'completed') {
      durationSum += Number(s.duration_sum);
      durationCount += s.duration_count;
    }
    // Rows never dialled have no day.
    if (s.day === null) continue;
    const day = days.get(s.day) ?? { dialled: 0, completed: 0 };
    day.dialled += s.calls;
    if (s.status === 'completed' && s.outcome === 'completed') day.completed += s.calls;
    days.set(s.day, day);
  }
  // The rate from the roll-up's own statuses, so both sides are of the same moment.
  const finished = (rolledStatus.completed ?? 0) + (rolledStatus.failed ?? 0);
  return {
    byOutcome,
    byStatus,
    successRate: finished > 0 ? (byOutcome.completed ?? 0) / finished : null,
    averageDurationSeconds: durationCount > 0 ? Math.round(durationSum / durationCount) : null,
    daily: [...days].map(([day, d]) => ({ day, ...d })),
    asOf: row.rolled_at ? new Date(row.rolled_at).toISOString() : null,
  };
}
