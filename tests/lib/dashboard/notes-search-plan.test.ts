/**
 * How notes pages and notes search run at volume: the plans the verb's
 * statements get (through auto_explain, as the app role inside withTenant,
 * nested statements of search_ct_notes included).
 */
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import {
  decodeNotesCursor,
  listNotes,
  type NoteListItem,
  type NotesOptions,
} from '../../../src/lib/dashboard';
import * as schema from '../../../src/lib/db/schema';
import { withTenant } from '../../../src/lib/db/tenant';
import { makeTenant } from '../../factories';
import { makeManyNotes, makeNotes } from '../../factories/crm';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();

/**
 * Runs listNotes on a connection with auto_explain reporting every statement,
 * nested ones included, as a notice: the plans the verb really got.
 */
async function explained(tenantId: string, q: NotesOptions) {
  const notices: string[] = [];
  const connection = postgres(t.url, {
    max: 1,
    onnotice: (notice) => notices.push(String(notice.message)),
  });
  try {
    await connection.unsafe(`load 'auto_explain'`);
    await connection.unsafe(`set auto_explain.log_min_duration = 0; set auto_explain.log_analyze = on;
      set auto_explain.log_nested_statements = on; set auto_explain.log_level = 'notice'`);
    const result = await listNotes(drizzle(connection, { schema }), tenantId, q);
    const plans = notices.filter((n) => n.includes('ct_notes'));
    return {
      result,
      /** search_ct_notes' statements, in the order they ran. */
      searches: plans.filter((n) => n.includes('to_tsvector') && !n.includes('search_ct_notes(')),
      plans,
    };
  } finally {
    await connection.end({ timeout: 5 });
  }
}

/** The most rows any Sort node of an analysed plan sorted (0 without one). */
function largestSort(plan: string) {
  const sorts = plan.matchAll(
    /(?:^|->\s+)(?:Incremental )?Sort\s+\(cost=[^)]*\)\s+\(actual time=\S+ rows=([\d.]+) loops=(\d+)\)/gm,
  );
  return Math.max(0, ...[...sorts].map((m) => Number(m[1]) * Number(m[2])));
}

/** Every page, following nextAfter. */
async function pages(tenantId: string, q: Omit<NotesOptions, 'after'>) {
  const all: NoteListItem[][] = [];
  let after: NotesOptions['after'];
  for (;;) {
    const page = await listNotes(t.db, tenantId, { ...q, after });
    all.push(page.notes);
    if (!page.nextAfter) return all;
    after = decodeNotesCursor(page.nextAfter) ?? undefined;
  }
}

describe('notes list plan', () => {
  it('reads a deep keyset page from ct_notes_tenant_recent_idx at the cursor, without sorting', async () => {
    const tenant = await makeTenant(t.db);
    await makeManyNotes(t.db, tenant.id, 6_000);
    await t.db.execute(sql`analyze ct_notes`);
    // The cursor of note 5,000: where "Load more" would be after 100 pages.
    const [row] = await t.db.execute<{ noted_at: string; ct_id: string }>(sql`
      select to_json(noted_at) #>> '{}' as noted_at, ct_id from ct_notes where tenant_id = ${tenant.id}
      order by noted_at desc nulls last, ct_id offset 4999 limit 1`);
    const after = { notedAt: row?.noted_at ?? null, id: row?.ct_id ?? '' };
    const { result, plans } = await explained(tenant.id, { after });
    expect(result.notes).toHaveLength(50);
    expect(result.notes[0]?.id).not.toBe(after.id);
    const page = plans.find((p) => p.includes('ct_notes_tenant_recent_idx')) ?? '';
    expect(page).toMatch(/Index Only Scan using ct_notes_tenant_recent_idx/);
    expect(page).toMatch(/Index Cond: \(\(tenant_id = .*noted_at <=/);
    expect(page).toMatch(/Merge Append/);
    // At most the page itself is sorted (after joining its leads), never the notes.
    expect(largestSort(page)).toBeLessThanOrEqual(51);
  });
});

describe('notes search plan', () => {
  it('finds a rare word through the GIN full-text index, without parallel workers', async () => {
    const tenant = await makeTenant(t.db);
    await makeManyNotes(t.db, tenant.id, 4_000);
    await makeNotes(t.db, tenant.id, [{ text: 'Needle in the haystack: zanzibar franchise' }]);
    await t.db.execute(sql`analyze ct_notes`);
    const { result, searches } = await explained(tenant.id, { search: 'zanzibar' });
    expect(result.notes.map((n) => n.preview)).toEqual([
      'Needle in the haystack: zanzibar franchise',
    ]);
    // The walk of the newest 1,000 notes found no page, so every match came from the index.
    expect(searches).toHaveLength(2);
    expect(searches[0]).toMatch(/Index Scan using ct_notes_tenant_recent_idx/);
    expect(searches[1]).toMatch(/Bitmap Index Scan on ct_notes_search_idx/);
    for (const plan of searches) {
      expect(plan).not.toMatch(/Seq Scan/);
      expect(plan).not.toMatch(/Gather/);
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

  it('pages a common word by walking the newest notes: a bounded walk, no count, no sort of every match', async () => {
    const tenant = await makeTenant(t.db);
    await makeManyNotes(t.db, tenant.id, 10_500);
    await t.db.execute(sql`analyze ct_notes`);
    // Every filler note says "territory": 10,500 matches, a page of them among the newest.
    const { result, searches } = await explained(tenant.id, { search: 'Territory' });
    expect(result.notes).toHaveLength(50);
    expect(searches).toHaveLength(1);
    expect(searches[0]).toMatch(/Index Scan using ct_notes_tenant_recent_idx/);
    expect(searches[0]).not.toMatch(/ct_notes_search_idx/);
    expect(largestSort(searches[0] ?? '')).toBe(0);
  });

  it('gives a common word the same pages as the plain list, every note exactly once', async () => {
    const tenant = await makeTenant(t.db);
    await makeManyNotes(t.db, tenant.id, 3_000);
    await t.db.execute(sql`analyze ct_notes`);
    const ids = (p: NoteListItem[][]) => p.map((page) => page.map((n) => n.id));
    const list = await pages(tenant.id, { limit: 100 });
    const search = await pages(tenant.id, { search: 'territory', limit: 100 });
    expect(ids(search)).toEqual(ids(list));
    expect(new Set(list.flat().map((n) => n.id)).size).toBe(3_000);
  });

  it('pages a word too rare for the walk the same way, through the index', async () => {
    const tenant = await makeTenant(t.db);
    await makeManyNotes(t.db, tenant.id, 3_000);
    // One note in 20 mentions zebras: ~50 among the newest 1,000, too few for a page of 100.
    await t.db.execute(sql`update ct_notes set content_text = content_text || ' zebra'
      where tenant_id = ${tenant.id} and substr(ct_id, 6)::int % 20 = 0`);
    await t.db.execute(sql`analyze ct_notes`);
    const ids = (p: NoteListItem[][]) => p.flat().map((n) => n.id);
    const found = await pages(tenant.id, { search: 'zebra', limit: 100 });
    expect(found).toHaveLength(2);
    const [expected] = await t.db.execute<{ ids: string[] }>(sql`
      select array_agg(ct_id order by noted_at desc nulls last, ct_id) as ids from ct_notes
      where tenant_id = ${tenant.id} and content_text like '% zebra'`);
    expect(expected?.ids).toHaveLength(150);
    expect(ids(found)).toEqual(expected?.ids);
    const { searches } = await explained(tenant.id, { search: 'zebra', limit: 100 });
    expect(searches).toHaveLength(2);
    expect(searches[1]).toMatch(/Bitmap Index Scan on ct_notes_search_idx/);
  });
});
