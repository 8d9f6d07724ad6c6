import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { withTenant } from '../db/tenant';
import { notePreview, PREVIEW_LENGTH } from './note-preview';
import { encodeNotesCursor, type NotesCursor } from './notes-cursor';
import { NOTES_LIMIT } from './schemas';

export interface NoteListItem {
  id: string;
  notedAt: string | null;
  author: string | null;
  kind: string;
  /** Plain text, at most 280 characters plus "…". */
  preview: string;
  leadName: string | null;
}

export interface NoteList {
  notes: NoteListItem[];
  hasMore: boolean;
  /** Pass as `after` for the next page; null on the last one. */
  nextAfter: string | null;
}

export interface NotesOptions {
  search?: string;
  limit?: number;
  /** Where the previous page ended (decoded `after`); absent for the first page. */
  after?: NotesCursor;
}

type Row = {
  id: string;
  noted_at: string | null;
  author: string | null;
  kind: string;
  text: string;
  lead_name: string | null;
};

/**
 * A tenant's notes, newest first (undated last, ties by id), excluding
 * deleted ones, in keyset pages: each page starts after `after`, so page
 * 10,000 costs what page 1 does. One row more than asked tells whether
 * there is a next page. `search` is Postgres full-text ('simple' config,
 * websearch syntax, the last word also matching as a prefix) over author
 * and text, through search_ct_notes() (see migrations 0003, 0004, 0006).
 */
export async function listNotes(
  db: DbOrTx,
  tenantId: string,
  q: NotesOptions = {},
): Promise<NoteList> {
  const limit = Math.min(NOTES_LIMIT.max, Math.max(1, Math.trunc(q.limit ?? NOTES_LIMIT.default)));
  const search = q.search?.trim() ?? '';
  // Nothing a word could match (only punctuation): no note matches.
  if (search && !/[\p{L}\p{N}]/u.test(search))
    return { notes: [], hasMore: false, nextAfter: null };

  const after = q.after ?? null;
  const columns = sql`n.ct_id as id, to_json(n.noted_at) #>> '{}' as noted_at, n.author, n.kind,
    left(n.content_text, ${PREVIEW_LENGTH * 4}::int) as text,
    coalesce(nullif(btrim(concat_ws(' ', l.first_name, l.last_name)), ''), l.company) as lead_name`;
  const lead = sql`left join ct_leads l on l.tenant_id = ${tenantId} and l.ct_id = n.client_ct_id`;
  const rows = await withTenant(db, tenantId, (tx) =>
    tx.execute<Row>(
      search
        ? sql`select ${columns}
            from search_ct_notes(${tenantId}::uuid, ${tsQuery(search)}, ${limit + 1}::int,
              ${after?.notedAt ?? null}::timestamptz, ${after?.id ?? null}::text)
              with ordinality as s(ct_id, position)
            join ct_notes n on n.tenant_id = ${tenantId} and n.ct_id = s.ct_id
            ${lead}
            order by s.position`
        : sql`select ${columns}
            from (${pageKeys(tenantId, after, limit + 1)}) page
            join ct_notes n on n.tenant_id = ${tenantId} and n.ct_id = page.ct_id
            ${lead}
            order by page.noted_at desc nulls last, page.ct_id`,
    ),
  );
  const hasMore = rows.length > limit;
  const last = rows[limit - 1];
  return {
    notes: rows.slice(0, limit).map((r) => ({
      id: r.id,
      notedAt: r.noted_at ? new Date(r.noted_at).toISOString() : null,
      author: r.author,
      kind: r.kind,
      preview: notePreview(r.text),
      leadName: r.lead_name,
    })),
    hasMore,
    nextAfter: hasMore && last ? encodeNotesCursor({ notedAt: last.noted_at, id: last.id }) : null,
  };
}

/**
 * The keys of the `count` notes after `after`, read from
 * ct_notes_tenant_recent_idx alone (index-only). "After" is two index
 * ranges, dated notes from the cursor down and then the undated ones, which
 * a Merge Append reads in order and stops at `count`. Plain comparisons
 * only: under row-level security they still drive the index.
 */
function pageKeys(tenantId: string, after: NotesCursor | null, count: number): SQL {
  const at = after?.notedAt == null ? null : sql`${after.notedAt}::timestamptz`;
  const dated = !after
    ? sql`noted_at is not null`
    : at
      ? sql`noted_at <= ${at} and (noted_at < ${at} or ct_id > ${after.id})`
      : sql`false`;
  const undated =
    after && !at ? sql`noted_at is null and ct_id > ${after.id}` : sql`noted_at is null`;
  const range = (condition: SQL) => sql`(select ct_id, noted_at from ct_notes
    where tenant_id = ${tenantId} and deleted_at is null and ${condition}
    order by noted_at desc nulls last, ct_id limit ${count}::int)`;
  return sql`select ct_id, noted_at from (${range(dated)} union all ${range(undated)}) r
    order by noted_at desc nulls last, ct_id limit ${count}::int`;
}

/**
 * websearch_to_tsquery of the search; when it ends in a plain word (not
 * quoted, not negated) that word's lexeme becomes a prefix ('smi' finds
 * "Smith"), so results appear while someone is still typing.
 */
function tsQuery(search: string): SQL {
  const query = sql`websearch_to_tsquery('simple', ${search})`;
  const last = /(?:^|\s)([\p{L}\p{N}]+)$/u.exec(search)?.[1];
  if (!last || last.toLowerCase() === 'or') return query;
  return sql`regexp_replace(${query}::text, '''$', ''':*')::tsquery`;
}
