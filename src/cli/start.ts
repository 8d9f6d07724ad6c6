/**
 * `npm start` / `npm run dev`: one command from a fresh clone to a running
 * Switchboard. Starts embedded PostgreSQL when DATABASE_URL is unset,
 * migrates, seeds the demo, builds if needed, runs web + worker, and on
 * Ctrl-C stops them and then the database.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { connectDatabase } from '../lib/db/client';
import { migrateDatabase } from '../lib/db/migrate';
import { startDemoClientTether } from '../lib/demo/clienttether';
import { DEMO_PASSWORD, DEMO_USERS, isLocalDatabase, seedDemo } from '../lib/demo/seed';
import { buildIfStale, SERVER_ENTRY, SERVER_ENV, SERVER_NODE_FLAGS } from '../lib/launcher/build';
import { type Child, startChild, stopChild, waitForHttp } from '../lib/launcher/children';
import { startEmbeddedDatabase } from '../lib/launcher/embedded-process';
import { findFreePort, isPortFree } from '../lib/launcher/free-port';
import { readOrCreateSecretsKey } from '../lib/launcher/secrets-file';

const root = resolve(import.meta.dirname, '../..');
// Local state (embedded cluster, its log, the secrets key); tests point it elsewhere.
const dataDir = resolve(process.env.SWITCHBOARD_DATA_DIR ?? join(root, '.data'));
const { values: flags } = parseArgs({ options: { dev: { type: 'boolean', default: false } } });
const log = (message: string) => console.log(`start | ${message}`);

let stopDatabase: (() => Promise<void>) | undefined;
let stopSimulator: (() => Promise<void>) | undefined;
const children: Child[] = [];
let shuttingDown = false;

async function main() {
  const env: NodeJS.ProcessEnv = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' };
  installSignalHandlers();
  if (!env.DATABASE_URL) {
    log(`DATABASE_URL is not set: starting embedded PostgreSQL in ${dataDir}/postgres`);
    const embedded = await startEmbeddedDatabase(dataDir);
    stopDatabase = embedded.stop;
    env.DATABASE_URL = embedded.url;
    env.SECRETS_KEY ||= readOrCreateSecretsKey(join(dataDir, 'secrets.key'));
  }
  const databaseUrl = env.DATABASE_URL as string;

  log('migrating');
  await migrateDatabase(databaseUrl);
  if (isLocalDatabase(databaseUrl)) {
    const handle = connectDatabase(databaseUrl, { max: 2 });
    try {
      await seedDemo(handle.db, { secretsKey: env.SECRETS_KEY });
    } finally {
      await handle.close();
    }
  } else {
    log('database is not local: demo seed skipped');
  }

  if (!env.CLIENTTETHER_API_URL) {
    const simulator = await startDemoClientTether();
    stopSimulator = simulator.stop;
    env.CLIENTTETHER_API_URL = simulator.url;
    log(`ClientTether simulator for the demo tenants at ${simulator.url}`);
  }

  const port = env.PORT ? Number(env.PORT) : (await isPortFree(4321)) ? 4321 : await findFreePort();
  const host = env.HOST ?? '127.0.0.1';
  const webEnv = { ...env, HOST: host, PORT: String(port) };
  if (flags.dev) {
    children.push(
      startChild(
        'web',
        ['node_modules/astro/bin/astro.mjs', 'dev', '--host', host, '--port', String(port)],
        webEnv,
        root,
      ),
    );
  } else {
    if (await buildIfStale(root)) log('built the site');
    children.push(
      startChild('web', [...SERVER_NODE_FLAGS, SERVER_ENTRY], { ...webEnv, ...SERVER_ENV }, root),
    );
  }
  children.push(
    startChild(
      'worker',
      ['--max-semi-space-size=8', '--import', 'tsx', 'worker/index.ts'],
      env,
      root,
    ),
  );
  for (const child of children) {
    void child.exited.then((code) => {
      if (!shuttingDown) {
        console.error(`start | ${child.name} exited unexpectedly (code ${code}); stopping`);
        void shutdown(1);
      }
    });
  }

  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  if (!(await waitForHttp(`${url}/api/health`, 60_000)))
    throw new Error('the web server did not become healthy within 60 s');
  printBanner(url, isLocalDatabase(databaseUrl));
}

function printBanner(url: string, seeded: boolean) {
  const lines = [`Switchboard is running at ${url}`, ''];
  if (seeded) {
    lines.push(`Demo logins (password: ${DEMO_PASSWORD})`);
    for (const u of DEMO_USERS) {
      const tenants = Object.keys(u.memberOf).join(', ') || 'platform admin';
      lines.push(`  ${u.email.padEnd(32)} ${tenants}`);
    }
    lines.push('');
  }
  lines.push('Press Ctrl-C to stop.');
  const width = Math.max(...lines.map((l) => l.length)) + 2;
  console.log(`\n┌${'─'.repeat(width)}┐`);
  for (const line of lines) console.log(`│ ${line.padEnd(width - 1)}│`);
  console.log(`└${'─'.repeat(width)}┘\n`);
}

function installSignalHandlers() {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => void shutdown(0));
  }
}

async function shutdown(code: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  log('stopping web and worker');
  await Promise.all(children.map((c) => stopChild(c)));
  await stopSimulator?.().catch(() => {});
  if (stopDatabase) {
    log('stopping PostgreSQL');
    await stopDatabase().catch(() => {});
  }
  process.exit(code);
}

main().catch(async (error: unknown) => {
  console.error(`start | ${error instanceof Error ? error.message : String(error)}`);
  await shutdown(1);
});
