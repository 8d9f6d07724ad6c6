import { sql } from 'drizzle-orm';
import type { TenantTx } from '../db/tenant';
import { type RunScope, records, stamp, text, time, upsertCount } from './normalize';

/** Calendar events; the contact's name comes from the lead, the owner's from the users list. */
export async function upsertActivities(tx: TenantTx, scope: RunScope) {
  return upsertCount(
    tx,
    sql`insert into ct_scheduled_activities as t (tenant_id, ct_id, raw, client_ct_id, contact_name, activity_type,
        title, description, status, owner_name, starts_at, ends_at, updated_at)
      select ${scope.tenantId}, d->>'event_id', d, ${text('client_id')},
        (select nullif(btrim(concat_ws(' ', l.first_name, l.last_name)), '') from ct_leads l
          where l.tenant_id = ${scope.tenantId} and l.ct_id = src.client_id),
        ${text('event_type')}, ${text('event_title')}, ${text('event_notes')}, ${text('status')},
        (select u.name from ct_users u where u.tenant_id = ${scope.tenantId} and u.ct_id = src.user_id),
        ${time('start_date', scope)}, ${time('end_date', scope)}, ${stamp(scope)}
      from (${records(scope, 'events', 'event_id', ['client_id', 'user_id'])}) src
      on conflict (tenant_id, ct_id) do update set raw = excluded.raw, client_ct_id = excluded.client_ct_id,
        contact_name = excluded.contact_name, activity_type = excluded.activity_type, title = excluded.title,
        description = excluded.description, status = excluded.status, owner_name = excluded.owner_name,
        starts_at = excluded.starts_at, ends_at = excluded.ends_at, deleted_at = null, updated_at = excluded.updated_at
      where (t.raw, t.contact_name, t.owner_name, t.deleted_at)
        is distinct from (excluded.raw, excluded.contact_name, excluded.owner_name, null)
      returning 1`,
  );
}

/** Each lead's whiteboard is a note of its own (`wb:<client id>`), kept while it has text. */
export async function upsertWhiteboards(tx: TenantTx, scope: RunScope) {
  return upsertCount(
    tx,
    sql`insert into ct_notes as t (tenant_id, ct_id, raw, client_ct_id, kind, author, content_html, content_text, noted_at, updated_at)
      select ${scope.tenantId}, 'wb:' || (d->>'client_id'), jsonb_build_object('whiteboard', d->'whiteboard'),
        d->>'client_id', 'whiteboard', ${text('assigned_user')}, d->>'whiteboard', html_to_text(d->>'whiteboard'),
        coalesce(${time('last_modified_date', scope)}, ${time('created', scope)}), ${stamp(scope)}
      from (${records(scope, 'clients', 'client_id')}) src
      where html_to_text(d->>'whiteboard') <> ''
      on conflict (tenant_id, ct_id) do update set raw = excluded.raw, author = excluded.author,
        content_html = excluded.content_html, content_text = excluded.content_text, noted_at = excluded.noted_at,
        deleted_at = null, updated_at = excluded.updated_at
      where (t.raw, t.author, t.deleted_at) is distinct from (excluded.raw, excluded.author, null)
      returning 1`,
  );
}

/** History notes fetched this run (only for leads that changed; see fetch). */
export async function upsertHistoryNotes(tx: TenantTx, scope: RunScope) {
  return upsertCount(
    tx,
    sql`insert into ct_notes as t (tenant_id, ct_id, raw, client_ct_id, kind, author, content_html, content_text, noted_at, updated_at)
      select ${scope.tenantId}, d->>'history_id', d, coalesce(${text('client_id')}, src.client_id),
        coalesce(${text('note_type')}, 'note'),
        (select u.name from ct_users u where u.tenant_id = ${scope.tenantId} and u.ct_id = src.user_id),
        coalesce(d->>'note', ''), html_to_text(d->>'note'), ${time('created', scope)}, ${stamp(scope)}
      from (select distinct on (d->>'history_id') d, s.raw->>'client_id' as client_id, d->>'user_id' as user_id
        from ct_raw_snapshots s cross join lateral jsonb_array_elements(
          case when jsonb_typeof(s.raw->'data') = 'array' then s.raw->'data' else '[]'::jsonb end) d
        where s.tenant_id = ${scope.tenantId} and s.run_id = ${scope.runId} and s.resource = 'notes'
          and jsonb_typeof(d) = 'object' and coalesce(btrim(d->>'history_id'), '') <> ''
        order by d->>'history_id', s.page desc) src
      on conflict (tenant_id, ct_id) do update set raw = excluded.raw, client_ct_id = excluded.client_ct_id,
        kind = excluded.kind, author = excluded.author, content_html = excluded.content_html,
        content_text = excluded.content_text, noted_at = excluded.noted_at, deleted_at = null,
        updated_at = excluded.updated_at
      where (t.raw, t.author, t.deleted_at) is distinct from (excluded.raw, excluded.author, null)
      returning 1`,
  );
}
