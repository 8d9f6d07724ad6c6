import { sql } from 'drizzle-orm';
import journal from '../../../drizzle/meta/_journal.json';
import type { DbOrTx } from '../db/client';

/**
 * The migrations this build was made with. Drizzle records each applied one in
 * `drizzle.__drizzle_migrations` with `created_at` = the journal entry's `when`.
 */
const EXPECTED = journal.entries.map((e) => ({ tag: e.tag, when: e.when }));

export interface MigrationStatus {
  expected: number;
  applied: number;
  /** Tags of this build's migrations the database lacks. */
  missing: string[];
}

/**
 * Current means every migration this code knows is applied. A database that is
 * ahead (migrated for the next release during a rolling upgrade) is still fine.
 */
export async function readMigrationStatus(db: DbOrTx): Promise<MigrationStatus> {
  const rows = await db.execute<{ created_at: string }>(
    sql`select created_at::text from drizzle.__drizzle_migrations`,
  );
  const applied = new Set(rows.map((r) => Number(r.created_at)));
  return {
    expected: EXPECTED.length,
    applied: applied.size,
    missing: EXPECTED.filter((e) => !applied.has(e.when)).map((e) => e.tag),
  };
}
