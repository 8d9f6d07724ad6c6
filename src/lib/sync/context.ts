import { createClientTetherClient } from '../clienttether/client';
import type { AppConfig } from '../config';
import type { DatabaseHandle } from '../db/client';
import type { SyncContext } from './run-tenant-sync';

/** The sync's dependencies as the web, the worker and the CLI build them from config. */
export function syncContextFrom(database: DatabaseHandle, config: AppConfig): SyncContext {
  return {
    db: database.db,
    sql: database.sql,
    secretsKey: config.secretsKey,
    fallbackAccessToken: config.clienttetherAccessToken,
    createClient: (credentials) =>
      createClientTetherClient({ baseUrl: config.clienttetherApiUrl, credentials }),
  };
}
