import { createClientTetherClient } from '../clienttether/client';
import type { AppConfig } from '../config';
import type { DatabaseHandle } from '../db/client';
import type { SyncContext } from './run-tenant-sync';

/** The sync's dependencies as the web, the worker and the CLI build them from config; `signal`: see SyncContext. */
export function syncContextFrom(
  database: DatabaseHandle,
  config: AppConfig,
  signal?: AbortSignal,
): SyncContext {
  return {
    db: database.db,
    sql: database.sql,
    secretsKey: config.secretsKey,
    fallbackAccessToken: config.clienttetherAccessToken,
    createClient: (credentials, clientSignal) =>
      createClientTetherClient({
        baseUrl: config.clienttetherApiUrl,
        credentials,
        signal: clientSignal,
      }),
    signal,
  };
}
