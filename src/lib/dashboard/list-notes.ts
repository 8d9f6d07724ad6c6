import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { withTenant } from '../db/tenant';
import { notePreview, PREVIEW_LENGTH } from './note-preview';
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
  nextOffset: number | null;
}

export interface NotesOptions {
  search?: string;
  limit?: number;
  offset?: number;
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
 * A tenant's notes, newest first (undated last), excluding deleted ones; one
 * row more than asked tells whether there is a next page. `search` is
 * Postgres full-text ('simple' config, websearch syntax, the last word also
 * matching as a prefix) over author and text, through search_ct_notes() and
 * its GIN index (see migrations 0003-0004 for why a function).
 */
export async function listNotes(
  db: DbOrTx,
  tenantId: string,
  q: NotesOptions = {},
): Promise<NoteList> {
  const limit = Math.min(NOTES_LIMIT.max, Math.max(1, Math.trunc(q.limit ?? NOTES_LIMIT.default)));
  const offset = Math.max(0, Math.trunc(q.offset ?? 0));
  const search = q.search?.trim() ?? '';
  // Nothing a word could match (only punctuation): no note matches.
  if (search && !/[\p{L}\p{N}]/u.test(search))
    return { notes: [], hasMore: false, nextOffset: null };

  const columns = sql`n.ct_id as id, to_json(n.noted_at) #>> '{}' as noted_at, n.author, n.kind,
    left(n.content_text, ${PREVIEW_LENGTH * 4}::int) as text,
    coalesce(nullif(btrim(concat_ws(' ', l.first_name, l.last_name)), ''), l.company) as lead_name`;
  const lead = sql`left join ct_leads l on l.tenant_id = ${tenantId} and l.ct_id = n.client_ct_id`;
  const rows = await withTenant(db, tenantId, (tx) =>
    tx.execute<Row>(
      search
        ? sql`select ${columns}
            from search_ct_notes(${tenantId}::uuid, ${tsQuery(search)}, ${limit + 1}::int, ${offset}::int)
              with ordinality as s(ct_id, position)
            join ct_notes n on n.tenant_id = ${tenantId} and n.ct_id = s.ct_id
            ${lead}
            order by s.position`
        : // The page's keys come from ct_notes_tenant_recent_idx alone (index-only),
          // so a deep offset skips index entries, not heap rows.
          sql`select ${columns}
            from (select ct_id, noted_at from ct_notes
              where tenant_id = ${tenantId} and deleted_at is null
              order by noted_at desc nulls last, ct_id
              limit ${limit + 1}::int offset ${offset}::int) page
            join ct_notes n on n.tenant_id = ${tenantId} and n.ct_id = page.ct_id
            ${lead}
            order by page.noted_at desc nulls last, page.ct_id`,
    ),
  );
  const hasMore = rows.length > limit;
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
    nextOffset: hasMore ? offset + limit : null,
  };
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
