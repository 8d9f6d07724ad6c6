import { pruneCampaignLogs } from '../../src/lib/campaigns/retention';
import type { Job } from './types';

/** Campaign audit and error logs don't grow forever (audit 30 days, deleted campaigns 90). */
export const campaignRetention: Job = {
  name: 'campaign-retention',
  schedule: '41 3 * * *',
  description: 'prune campaign audit logs (30 d; 90 d for deleted campaigns) and error logs (30 d)',
  run: ({ database: { db } }, now) => pruneCampaignLogs(db, now),
};
