import { syncContextFrom } from '../lib/sync/context';
import type { SyncContext } from '../lib/sync/run-tenant-sync';
import { getRuntime } from './runtime';

let context: SyncContext | undefined;

/** The web process's sync dependencies (manual syncs and connection tests run here). */
export function getSyncContext(): SyncContext {
  const { database, config } = getRuntime();
  context ??= syncContextFrom(database, config);
  return context;
}
