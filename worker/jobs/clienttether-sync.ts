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
  async run({ database, config, log, signal }, now, tick) {
    const ctx = syncContextFrom(database, config, signal);
    const summary = await syncAllTenants(ctx, log, undefined, tick);
    // Pruning can wait for the next tick when the worker is stopping.
    const prunedSnapshots = signal?.aborted ? 0 : await pruneRawSnapshots(database.db, now);
    return { ...summary, prunedSnapshots };
  },
  // A worker killed or stopped mid-tick leaves the rest of the hour's tenants to whoever starts next.
  resume: ({ database, config, log, signal }, tick) =>
    resumeSyncTick(syncContextFrom(database, config, signal), log, tick),
};
