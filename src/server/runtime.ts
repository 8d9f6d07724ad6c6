import { type AppConfig, isHttps, loadConfig } from '../lib/config';
import { connectDatabase, type DatabaseHandle } from '../lib/db/client';

/**
 * The web process's configuration and pool, read from the environment once,
 * on first use. Only the Astro edge (middleware) calls this; everything below
 * receives `db` and `config` as arguments.
 */
interface Runtime {
  config: AppConfig;
  database: DatabaseHandle;
  https: boolean;
}

let runtime: Runtime | undefined;

export function getRuntime(): Runtime {
  if (!runtime) {
    const config = loadConfig(process.env);
    runtime = {
      config,
      database: connectDatabase(config.databaseUrl, { max: config.dbPoolMax }),
      https: isHttps(config),
    };
  }
  return runtime;
}
