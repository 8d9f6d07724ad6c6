import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import postgres from 'postgres';
import { migrateDatabase } from '../src/lib/db/migrate';

export const root = resolve(import.meta.dirname, '..');

/** A throwaway, migrated database: on DATABASE_URL's server if set, else an embedded cluster. */
export async function benchDatabase(): Promise<{ url: string; cleanup: () => Promise<void> }> {
  const name = `sb_bench_${Date.now().toString(36)}`;
  if (process.env.DATABASE_URL) {
    const admin = new URL(process.env.DATABASE_URL);
    admin.pathname = '/postgres';
    const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
    await sql.unsafe(`create database "${name}"`);
    const url = new URL(admin);
    url.pathname = `/${name}`;
    await migrateDatabase(url.toString());
    return {
      url: url.toString(),
      cleanup: async () => {
        await sql.unsafe(`drop database if exists "${name}" with (force)`);
        await sql.end();
      },
    };
  }
  const { startEmbeddedPostgres } = await import('../src/lib/db/embedded');
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  chmodSync(dir, 0o755);
  const embedded = await startEmbeddedPostgres({
    dataDir: join(dir, 'data'),
    persistent: false,
    database: name,
  });
  await migrateDatabase(embedded.url);
  return {
    url: embedded.url,
    cleanup: async () => {
      await embedded.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs a TypeScript entry point as its own process (so its memory is not ours) and reads its first JSON line. */
export async function startProcess(script: string, args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((done, fail) => {
    lines.once('line', done);
    child.once('exit', (code) => fail(new Error(`${script} exited (${code}) before it was ready`)));
  });
  return {
    info: JSON.parse(first) as Record<string, unknown>,
    stop: () =>
      new Promise<void>((done) => {
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

/** The data of an ok Result; throws with the message of a failed one (set-up steps). */
export function unwrap<T>(r: { ok: true; data: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.data;
}

/** Prints rows as an aligned table. */
export function printTable(rows: Array<[string, string]>) {
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
}
