import { authHousekeeping } from './auth-housekeeping';
import { campaignRetention } from './campaign-retention';
import { campaignStats } from './campaign-stats';
import { clienttetherSync } from './clienttether-sync';
import { contactImportHousekeeping } from './contact-import-housekeeping';
import { statsRollup } from './stats-rollup';
import type { Job } from './types';

export const JOBS: readonly Job[] = [
  clienttetherSync,
  authHousekeeping,
  contactImportHousekeeping,
  campaignRetention,
  statsRollup,
  campaignStats,
];
