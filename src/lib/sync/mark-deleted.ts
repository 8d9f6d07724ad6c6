import { sql } from 'drizzle-orm';
import type { TenantTx } from '../db/tenant';
import { type RunScope, stamp } from './normalize';

/** Ids of `resource` seen in this run's pages. */
const seenIds = (scope: RunScope, resource: string, idField: string) => sql`
  select d->>${sql.raw(`'${idField}'`)} from ct_raw_snapshots s cross join lateral jsonb_array_elements(
    case when jsonb_typeof(s.raw->'data') = 'array' then s.raw->'data' else '[]'::jsonb end) d
  where s.tenant_id = ${scope.tenantId} and s.run_id = ${scope.runId} and s.resource = ${resource}
    and jsonb_typeof(d) = 'object'`;

async function count(tx: TenantTx, query: ReturnType<typeof sql>) {
  const [row] = await tx.execute<{ n: number }>(
    sql`with q as (${query}) select count(*)::int as n from q`,
  );
  return row?.n ?? 0;
}

/**
 * Full listings (leads, opportunities, stages, users) mark what they no longer
 * contain as deleted. An empty listing while we hold rows is treated as a
 * ClientTether glitch, not as "everything was deleted".
 */
async function markMissing(
  tx: TenantTx,
  scope: RunScope,
  table: string,
  resource: string,
  idField: string,
) {
  const seen = seenIds(scope, resource, idField);
  const [listed] = await tx.execute<{ n: number }>(sql`select count(*)::int as n from (${seen}) x`);
  if (!listed?.n) return 0;
  return count(
    tx,
    sql`update ${sql.raw(table)} t set deleted_at = ${stamp(scope)}, updated_at = ${stamp(scope)}
      where t.tenant_id = ${scope.tenantId} and t.deleted_at is null and t.ct_id not in (${seen})
      returning 1`,
  );
}

export async function markDeleted(
  tx: TenantTx,
  scope: RunScope,
  eventWindow: { from: Date; to: Date },
) {
  let deleted = 0;
  deleted += await markMissing(tx, scope, 'ct_leads', 'clients', 'client_id');
  deleted += await markMissing(tx, scope, 'ct_opportunities', 'opportunities', 'opportunity_id');
  deleted += await markMissing(tx, scope, 'ct_sales_cycles', 'sales_cycles', 'sales_cycle_id');
  deleted += await markMissing(tx, scope, 'ct_users', 'users', 'user_id');

  // Whiteboards: gone with their lead, or emptied.
  deleted += await count(
    tx,
    sql`update ct_notes t set deleted_at = ${stamp(scope)}, updated_at = ${stamp(scope)}
      where t.tenant_id = ${scope.tenantId} and t.kind = 'whiteboard' and t.deleted_at is null
        and exists (select 1 from ct_raw_snapshots s where s.tenant_id = ${scope.tenantId} and s.run_id = ${scope.runId} and s.resource = 'clients')
        and t.client_ct_id not in (
          select d->>'client_id' from ct_raw_snapshots s cross join lateral jsonb_array_elements(s.raw->'data') d
          where s.tenant_id = ${scope.tenantId} and s.run_id = ${scope.runId} and s.resource = 'clients'
            and jsonb_typeof(s.raw->'data') = 'array' and html_to_text(d->>'whiteboard') <> '')
      returning 1`,
  );
  // History notes: for leads re-read this run, what the list no longer holds; and those of deleted leads.
  deleted += await count(
    tx,
    sql`update ct_notes t set deleted_at = ${stamp(scope)}, updated_at = ${stamp(scope)}
      where t.tenant_id = ${scope.tenantId} and t.kind <> 'whiteboard' and t.deleted_at is null
        and ((t.client_ct_id in (select s.raw->>'client_id' from ct_raw_snapshots s
                where s.tenant_id = ${scope.tenantId} and s.run_id = ${scope.runId} and s.resource = 'notes')
              and t.ct_id not in (${seenIds(scope, 'notes', 'history_id')}))
          or t.client_ct_id in (select l.ct_id from ct_leads l where l.tenant_id = ${scope.tenantId} and l.deleted_at is not null))
      returning 1`,
  );
  // Events: only the window that was read can say what disappeared.
  deleted += await count(
    tx,
    sql`update ct_scheduled_activities t set deleted_at = ${stamp(scope)}, updated_at = ${stamp(scope)}
      where t.tenant_id = ${scope.tenantId} and t.deleted_at is null
        and t.starts_at >= ${eventWindow.from.toISOString()}::timestamptz and t.starts_at <= ${eventWindow.to.toISOString()}::timestamptz
        and t.ct_id not in (${seenIds(scope, 'events', 'event_id')})
      returning 1`,
  );
  return deleted;
}

/** Remembers for which version of each lead the history notes were read. */
export async function recordNotesFetched(tx: TenantTx, scope: RunScope) {
  // `offset 0` keeps the ->> inside the subquery, so the join can use ct_leads' key under RLS.
  await tx.execute(sql`update ct_leads l set notes_fetched_for = n.modified
    from (select s.raw->>'client_id' as client_id, coalesce(s.raw->>'last_modified_date', '') as modified
          from ct_raw_snapshots s
          where s.tenant_id = ${scope.tenantId} and s.run_id = ${scope.runId} and s.resource = 'notes' offset 0) n
    where l.tenant_id = ${scope.tenantId} and l.ct_id = n.client_id`);
}
