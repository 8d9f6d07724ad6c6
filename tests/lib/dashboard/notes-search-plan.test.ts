/**
 * How notes search runs at volume: the plans search_ct_notes() gets (through
 * auto_explain, as the app role inside withTenant) and its common-word path.
 */
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { listNotes, type NotesOptions } from '../../../src/lib/dashboard';
import * as schema from '../../../src/lib/db/schema';
import { withTenant } from '../../../src/lib/db/tenant';
import { makeTenant } from '../../factories';
import { makeManyNotes, makeNotes } from '../../factories/crm';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();

/**
 * Runs listNotes on a connection with auto_explain reporting every statement,
 * nested ones included, as a notice: the plans the verb really got, as the
 * app role. Returns the plans of search_ct_notes' statements.
 */
async function explainedSearch(tenantId: string, q: NotesOptions) {
  const notices: string[] = [];
  const connection = postgres(t.url, {
    max: 1,
    onnotice: (notice) => notices.push(String(notice.message)),
  });
  try {
    await connection.unsafe(`load 'auto_explain'`);
    await connection.unsafe(`set auto_explain.log_min_duration = 0;
      set auto_explain.log_nested_statements = on; set auto_explain.log_level = 'notice'`);
    const result = await listNotes(drizzle(connection, { schema }), tenantId, q);
    return { result, plans: notices.filter((n) => n.includes('to_tsvector')) };
  } finally {
    await connection.end({ timeout: 5 });
  }
}

describe('notes search plan', () => {
  it('uses the GIN full-text index (Bitmap Index Scan on ct_notes_search_idx)', async () => {
    const tenant = await makeTenant(t.db);
    await makeManyNotes(t.db, tenant.id, 4_000);
    await makeNotes(t.db, tenant.id, [{ text: 'Needle in the haystack: zanzibar franchise' }]);
    await t.db.execute(sql`analyze ct_notes`);
    const { result, plans } = await explainedSearch(tenant.id, { search: 'zanzibar' });
    expect(result.notes.map((n) => n.preview)).toEqual([
      'Needle in the haystack: zanzibar franchise',
    ]);
    // The function's statements: the count of matches, then the page of them.
    expect(plans).toHaveLength(2);
    for (const plan of plans) {
      expect(plan).toMatch(/Bitmap Index Scan on ct_notes_search_idx/);
      expect(plan).not.toMatch(/Seq Scan/);
    }
  });

  it('could not use the index under row-level security without search_ct_notes (why it exists)', async () => {
    const tenant = await makeTenant(t.db);
    await makeManyNotes(t.db, tenant.id, 4_000);
    await t.db.execute(sql`analyze ct_notes`);
    const plan = await withTenant(t.db, tenant.id, (tx) =>
      tx.execute<{ 'QUERY PLAN': string }>(sql`explain select ct_id from ct_notes
        where tenant_id = ${tenant.id} and deleted_at is null
          and to_tsvector('simple', coalesce(author, '') || ' ' || content_text) @@ websearch_to_tsquery('simple', 'zanzibar')`),
    );
    expect(plan.map((r) => r['QUERY PLAN']).join('\n')).not.toContain('ct_notes_search_idx');
  });

  it('gives a word found in over 10,000 notes the same order and pages as the plain list', async () => {
    const tenant = await makeTenant(t.db);
    await makeManyNotes(t.db, tenant.id, 10_500);
    // Every filler note says "territory": the newest-first walk on the first pages,
    // every match sorted on deeper ones (offset + limit > 200).
    await t.db.execute(sql`analyze ct_notes`);
    for (const offset of [0, 100, 200, 10_450]) {
      const { result: search, plans } = await explainedSearch(tenant.id, {
        search: 'Territory',
        offset,
      });
      const list = await listNotes(t.db, tenant.id, { offset });
      expect(
        search.notes.map((n) => n.id),
        `offset ${offset}`,
      ).toEqual(list.notes.map((n) => n.id));
      expect(search.nextOffset).toBe(list.nextOffset);
      const walked = /Index Scan using ct_notes_tenant_recent_idx/.test(plans.at(-1) ?? '');
      expect(walked, `offset ${offset}`).toBe(offset + 51 <= 200);
    }
  });
});
