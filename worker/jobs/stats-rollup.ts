import { rollupAllTenants } from '../../src/lib/analytics';
import type { Job } from './types';

/**
 * Every 5 minutes: each tenant's today, its yesterday until that is rolled
 * closed (the first tick 15 minutes after the tenant's midnight: the nightly
 * close, in each tenant's own time zone) and any past day a late webhook or
 * a sync changed.
 */
export const statsRollup: Job = {
  name: 'stats-rollup',
  schedule: '*/5 * * * *',
  description:
    "roll up today's call, lead and pipeline stats per tenant; close yesterday; dirty days",
  catchUpOnStart: true,
  run: ({ database: { db }, log }, now) => rollupAllTenants(db, now, log),
};
