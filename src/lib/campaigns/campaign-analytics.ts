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
    const rows = await tx.execute<{
      status: string;
      outcome: string | null;
      n: number;
      duration: number | null;
    }>(sql`
      select status, outcome, count(*)::int as n, avg(duration_seconds)::float8 as duration
      from call_queue where tenant_id = ${tenantId} and campaign_id = ${campaignId}
      group by status, outcome`);
    const daily = await tx.execute<{ day: string; dialled: number; completed: number }>(sql`
      select to_char(date_trunc('day', dialled_at at time zone ${campaign.timezone}), 'YYYY-MM-DD') as day,
             count(*)::int as dialled,
             count(*) filter (where status = 'completed' and outcome = 'completed')::int as completed
      from call_queue
      where tenant_id = ${tenantId} and campaign_id = ${campaignId} and dialled_at is not null
      group by 1 order by 1`);
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
      daily: daily.map((d) => ({ day: d.day, dialled: d.dialled, completed: d.completed })),
    });
  });
}
