import { rollupDueCampaigns } from '../../src/lib/campaigns/campaign-stats-rollup';
import type { Job } from './types';

/**
 * Every 30 seconds: the campaign detail page's figures, rolled up per campaign
 * for the campaigns that changed (a running one on every tick), so the page
 * never counts a campaign's calls itself (decision 010).
 */
export const campaignStats: Job = {
  name: 'campaign-stats',
  schedule: '*/30 * * * * *',
  description: 'roll up the figures of campaigns that changed, for their detail pages',
  run: ({ database: { db }, signal }, now) => rollupDueCampaigns(db, now, { signal }),
};
