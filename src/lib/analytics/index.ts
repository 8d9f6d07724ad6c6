export { BACKFILL_CHUNK_DAYS, backfillTenant } from './backfill';
export { addDays, DIRTY_LOOKBACK_DAYS, findDaysToRoll, toRanges } from './dirty-days';
export {
  type CallAnalytics,
  type CallBucket,
  getCallAnalytics,
  readCallAnalytics,
} from './get-call-analytics';
export {
  type DashboardStats,
  type Delta,
  getDashboardStats,
  type PeriodTotals,
  points,
  readDashboardStats,
  relative,
} from './get-dashboard-stats';
export { getOverviewPage, type OverviewPage } from './get-overview-page';
export { type ActivityEntry, listRecentActivity, readRecentActivity } from './list-recent-activity';
export { listRunningCampaigns, readRunningCampaigns } from './list-running-campaigns';
export { CLOSE_GRACE_MINUTES, type Day, rollupDays } from './rollup';
export {
  MAX_RANGES_PER_TICK,
  rollupAllTenants,
  rollupTenant,
  type TenantRollup,
} from './run-rollup';
export * from './schemas';
