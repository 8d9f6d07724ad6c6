import {
  pruneRawSnapshots,
  resumeSyncTick,
  syncAllTenants,
  syncContextFrom,
} from '../../src/lib/sync';
import type { Job } from './types';

/** Hourly (CLIENTTETHER_SYNC_SCHEDULE to change it): every tenant with ClientTether credentials, sequentially; then old raw pages pruned. */
export const clienttetherSync: Job = {
  name: 'clienttether-sync',
  schedule: '0 * * * *',
  configuredSchedule: (config) => config.clienttetherSyncSchedule,
  description:
    'sync every tenant with ClientTether credentials; prune raw pages older than 30 days',
  catchUpOnStart: true,
  async run({ database, config, log }, now, tick) {
    const summary = await syncAllTenants(syncContextFrom(database, config), log, undefined, tick);
    const prunedSnapshots = await pruneRawSnapshots(database.db, now);
    return { ...summary, prunedSnapshots };
  },
  // A worker killed mid-tick leaves the rest of the hour's tenants to whoever starts next.
  resume: ({ database, config, log }, tick) =>
    resumeSyncTick(syncContextFrom(database, config), log, tick),
};
