/**
 * Once per `npm test`: a PostgreSQL server (DATABASE_URL's, or an embedded
 * one in a temp dir), a template database migrated once per drizzle/ state,
 * and a fresh build of the site for the HTTP and browser tests.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildIfStale } from '../../src/lib/launcher/build';
import { withFileLock } from '../helpers/file-lock';
import { ensureTemplateDatabase } from '../helpers/template';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    templateDatabase: string;
  }
}

const root = resolve(import.meta.dirname, '../..');

export default async function setup(project: TestProject) {
  let adminUrl: string;
  let stop: (() => Promise<void>) | undefined;
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = '/postgres';
    adminUrl = url.toString();
  } else {
    const { startEmbeddedPostgres } = await import('../../src/lib/db/embedded');
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-test-pg-'));
    chmodSync(dir, 0o755); // the server runs as the unprivileged postgres user
    const embedded = await startEmbeddedPostgres({
      dataDir: join(dir, 'data'),
      persistent: false,
      logFile: join(dir, 'postgres.log'),
    });
    adminUrl = embedded.adminUrl;
    stop = async () => {
      await embedded.stop();
      rmSync(dir, { recursive: true, force: true });
    };
    console.log(`[tests] no DATABASE_URL: using embedded PostgreSQL (${dir})`);
  }

  const templateDatabase = await ensureTemplateDatabase(adminUrl);
  project.provide('adminUrl', adminUrl);
  project.provide('templateDatabase', templateDatabase);

  // TESTS_SKIP_BUILD=1: a run of library tests only, which never start the site.
  if (process.env.TESTS_SKIP_BUILD !== '1') {
    await withFileLock(join(root, '.data/build.lock'), () => buildIfStale(root, { quiet: true }));
  }

  return async () => {
    await stop?.();
  };
}
