import { sql } from 'drizzle-orm';
import { fail, ok, type Result } from '../api/result';
import type { DbOrTx } from '../db/client';
import { withTenant } from '../db/tenant';
import { lockCampaign, UUID } from './internal';

export interface CampaignAnalytics {
  byOutcome: Record<string, number>;
  byStatus: Record<string, number>;
  /** Completed (answered, not voicemail) over finished calls; null before any finished. */
  successRate: number | null;
  averageDurationSeconds: number | null;
  daily: { day: string; dialled: number; completed: number }[];
}

/** Totals of one campaign's calls (a campaign's rows, through call_queue_campaign_status_idx). */
export async function getCampaignAnalytics(
  db: DbOrTx,
  tenantId: string,
  campaignId: string,
): Promise<Result<CampaignAnalytics>> {
  if (!UUID.test(campaignId)) return fail('NOT_FOUND', 'No such campaign');
  return withTenant(db, tenantId, async (tx) => {
    const campaign = await lockCampaign(tx, tenantId, campaignId, false);
    if (!campaign) return fail('NOT_FOUND', 'No such campaign');
    // One pass over the campaign's rows for both groupings (it reads the heap:
    // outcome and duration are in no index; a 50,000-call campaign's page paid
    // for two passes).
    const groups = await tx.execute<{
      per_day: boolean;
      status: string | null;
      outcome: string | null;
      day: string | null;
      n: number;
      duration: number | null;
      completed: number;
    }>(sql`
      select grouping(day) = 0 as per_day, status, outcome, day, count(*)::int as n,
             avg(duration_seconds)::float8 as duration,
             count(*) filter (where status = 'completed' and outcome = 'completed')::int as completed
      from (
        select status, outcome, duration_seconds,
               to_char(date_trunc('day', dialled_at at time zone ${campaign.timezone}), 'YYYY-MM-DD') as day
        from call_queue where tenant_id = ${tenantId} and campaign_id = ${campaignId}
      ) q
      group by grouping sets ((status, outcome), (day))
      order by day`);
    const rows = groups.filter((g) => !g.per_day) as {
      status: string;
      outcome: string | null;
      n: number;
      duration: number | null;
    }[];
    // Rows never dialled have no day.
    const daily = groups.filter((g) => g.per_day && g.day !== null) as {
      day: string;
      n: number;
      completed: number;
    }[];
    const byOutcome: Record<string, number> = {};
    const byStatus: Record<string, number> = {};
    let durationSum = 0;
    let durationCount = 0;
    for (const r of rows) {
      byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n;
      if (r.outcome) byOutcome[r.outcome] = (byOutcome[r.outcome] ?? 0) + r.n;
      if (r.duration !== null && r.status === 'completed') {
        durationSum += r.duration * r.n;
        durationCount += r.n;
      }
    }
    const finished = (byStatus.completed ?? 0) + (byStatus.failed ?? 0);
    return ok({
      byOutcome,
      byStatus,
      successRate: finished > 0 ? (byOutcome.completed ?? 0) / finished : null,
      averageDurationSeconds: durationCount > 0 ? Math.round(durationSum / durationCount) : null,
      daily: daily.map((d) => ({ day: d.day, dialled: d.n, completed: d.completed })),
    });
  });
}
