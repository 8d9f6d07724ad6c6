import type { CampaignView } from '../campaigns/campaign-view';
import type { DbOrTx } from '../db/client';
import { withTenant } from '../db/tenant';
import { type CallAnalytics, readCallAnalytics } from './get-call-analytics';
import { type DashboardStats, readDashboardStats } from './get-dashboard-stats';
import { type ActivityEntry, readRecentActivity } from './list-recent-activity';
import { readRunningCampaigns } from './list-running-campaigns';
import type { AnalyticsRange, Granularity } from './schemas';

export interface OverviewAnalytics {
  stats: DashboardStats;
  calls: CallAnalytics;
  running: CampaignView[];
  activity: ActivityEntry[];
}

/**
 * Everything the overview shows beyond the CRM aggregates, in one tenant
 * transaction: four small reads on one connection cost less under load than
 * four transactions on four (each transaction is three extra round trips).
 */
export function getOverviewAnalytics(
  db: DbOrTx,
  tenantId: string,
  range: AnalyticsRange,
  granularity: Granularity,
  now = new Date(),
): Promise<OverviewAnalytics> {
  return withTenant(db, tenantId, async (tx) => ({
    stats: await readDashboardStats(tx, tenantId, range, now),
    calls: await readCallAnalytics(tx, tenantId, range, granularity, now),
    running: await readRunningCampaigns(tx, tenantId),
    activity: await readRecentActivity(tx, tenantId),
  }));
}
