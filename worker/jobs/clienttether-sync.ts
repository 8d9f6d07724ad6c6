import { pruneRawSnapshots, syncAllTenants, syncContextFrom } from '../../src/lib/sync';
import type { Job } from './types';

/** Hourly: every tenant with ClientTether credentials, sequentially; then old raw pages pruned. */
export const clienttetherSync: Job = {
  name: 'clienttether-sync',
  schedule: '0 * * * *',
  description:
    'sync every tenant with ClientTether credentials; prune raw pages older than 30 days',
  catchUpOnStart: true,
  async run({ database, config, log }, now) {
    const summary = await syncAllTenants(syncContextFrom(database, config), log);
    const prunedSnapshots = await pruneRawSnapshots(database.db, now);
    return { ...summary, prunedSnapshots };
  },
};
