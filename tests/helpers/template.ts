import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { MIGRATIONS_FOLDER, migrateDatabase } from '../../src/lib/db/migrate';

/** Name of the template for the current migrations: it changes whenever drizzle/ does. */
function templateName(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else hash.update(entry.name).update(readFileSync(path));
    }
  };
  walk(MIGRATIONS_FOLDER);
  hash.update(readFileSync(new URL('../../src/lib/db/migrate.ts', import.meta.url)));
  return `sb_template_${hash.digest('hex').slice(0, 12)}`;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Creates (once) and returns the migrated template every test file's database is cloned from. */
export async function ensureTemplateDatabase(adminUrl: string): Promise<string> {
  const name = templateName();
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(7210002)`;
    const [exists] = await sql`select 1 from pg_database where datname = ${name}`;
    if (!exists) {
      await sql.unsafe(`create database "${name}"`);
      try {
        await migrateDatabase(withDatabase(adminUrl, name));
      } catch (error) {
        await sql.unsafe(`drop database if exists "${name}" with (force)`);
        throw error;
      }
      // Older templates (from earlier migrations) are no longer needed, but the
      // newest few may be another checkout's (a git worktree, a CI run on the
      // same server) still cloning them: keep three besides this one.
      const stale = await sql<{ datname: string }[]>`
        select datname from pg_database where datname like 'sb\\_template\\_%' and datname <> ${name}
        order by oid desc offset 3`;
      for (const { datname } of stale)
        await sql.unsafe(`drop database if exists "${datname}" with (force)`);
    }
    return name;
  } finally {
    await sql`select pg_advisory_unlock(7210002)`.catch(() => {});
    await sql.end({ timeout: 5 });
  }
}
