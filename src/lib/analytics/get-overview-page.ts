import type { CampaignView } from '../campaigns/campaign-view';
import { type Overview, readOverview } from '../dashboard/get-overview';
import type { DbOrTx } from '../db/client';
import { withTenant } from '../db/tenant';
import { type CallAnalytics, readCallAnalytics } from './get-call-analytics';
import { type DashboardStats, readDashboardStats } from './get-dashboard-stats';
import { type ActivityEntry, readRecentActivity } from './list-recent-activity';
import { readRunningCampaigns } from './list-running-campaigns';
import type { AnalyticsRange, Granularity } from './schemas';

export interface OverviewPage {
  /** The CRM aggregates (leads, pipeline, hot list, schedule, sync status). */
  crm: Overview;
  stats: DashboardStats;
  calls: CallAnalytics;
  running: CampaignView[];
  activity: ActivityEntry[];
}

/**
 * Everything /dashboard shows, in one tenant transaction whose five reads are
 * sent together: postgres.js pipelines concurrent queries on a connection into
 * one write, so the page costs begin, the tenant binding, one batch and commit
 * — four round trips instead of the twelve two transactions of sequential
 * reads took. Under load, round trips (syscalls and wake-ups on both sides)
 * were the page's cost, not the reads.
 */
export function getOverviewPage(
  db: DbOrTx,
  tenantId: string,
  range: AnalyticsRange,
  granularity: Granularity,
  now = new Date(),
): Promise<OverviewPage> {
  return withTenant(db, tenantId, async (tx) => {
    const [crm, stats, calls, running, activity] = await Promise.all([
      readOverview(tx, tenantId, now),
      readDashboardStats(tx, tenantId, range, now),
      readCallAnalytics(tx, tenantId, range, granularity, now),
      readRunningCampaigns(tx, tenantId),
      readRecentActivity(tx, tenantId),
    ]);
    return { crm, stats, calls, running, activity };
  });
}
