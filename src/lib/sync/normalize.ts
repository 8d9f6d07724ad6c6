import { type SQL, sql } from 'drizzle-orm';
import type { TenantTx } from '../db/tenant';

/**
 * Set-based normalisation: each statement reads this run's raw pages straight
 * from ct_raw_snapshots (jsonb_array_elements) and upserts the typed rows, so
 * Node never holds a tenant's records in memory. A row is rewritten only when
 * its raw record changed (IS DISTINCT FROM), so an unchanged re-sync writes
 * nothing and reports 0 updated.
 */
export interface RunScope {
  tenantId: string;
  runId: string;
  timezone: string;
  now: Date;
}

/**
 * The newest copy of each record of `resource` in this run (a record can move
 * pages mid-paging). `keys` become plain text columns: lookups into RLS tables
 * must compare against columns, because row-level security won't use an index
 * for a condition holding a non-leakproof operator such as `->>`.
 */
export function records(
  scope: RunScope,
  resource: string,
  idField: string,
  keys: string[] = [],
): SQL {
  const id = sql.raw(`'${idField}'`);
  const columns = sql.raw(keys.map((k) => `, d->>'${k}' as ${k}`).join(''));
  return sql`select distinct on (d->>${id}) d, s.page${columns}
    from ct_raw_snapshots s cross join lateral jsonb_array_elements(
      case when jsonb_typeof(s.raw->'data') = 'array' then s.raw->'data' else '[]'::jsonb end) d
    where s.tenant_id = ${scope.tenantId} and s.run_id = ${scope.runId} and s.resource = ${resource}
      and jsonb_typeof(d) = 'object' and coalesce(btrim(d->>${id}), '') <> ''
    order by d->>${id}, s.page desc`;
}

/** A text field, blank → null. Field names are our constants, never input. */
export const text = (field: string) => sql.raw(`nullif(btrim(d->>'${field}'), '')`);
export const numeric = (field: string) => sql.raw(`ct_numeric(d->>'${field}')`);
export const int = (field: string) => sql.raw(`ct_int(d->>'${field}')`);
export const time = (field: string, scope: RunScope) =>
  sql`ct_timestamp(d->>${sql.raw(`'${field}'`)}, ${scope.timezone})`;

/** The run's clock as a SQL timestamptz (postgres.js can't bind a Date inside raw sql). */
export const stamp = (scope: RunScope) => sql`${scope.now.toISOString()}::timestamptz`;

/** Runs `insert … on conflict do update … where changed returning 1` and counts the rows written. */
export async function upsertCount(tx: TenantTx, statement: SQL): Promise<number> {
  const [row] = await tx.execute<{ n: number }>(
    sql`with written as (${statement}) select count(*)::int as n from written`,
  );
  return row?.n ?? 0;
}

export async function upsertSalesCycles(tx: TenantTx, scope: RunScope) {
  return upsertCount(
    tx,
    sql`insert into ct_sales_cycles as t (tenant_id, ct_id, raw, name, stage_order, likelihood, active, contact_type, updated_at)
      select ${scope.tenantId}, d->>'sales_cycle_id', d, coalesce(${text('sales_cycle_name')}, 'Unnamed stage'),
        coalesce(${int('sales_cycle_order')}, 0), least(100, greatest(0, coalesce(${int('likelihood_to_close')}, 0))),
        coalesce(${text('sales_cycle_active_status')}, '1'), ${text('contact_type')}, ${stamp(scope)}
      from (${records(scope, 'sales_cycles', 'sales_cycle_id')}) src
      on conflict (tenant_id, ct_id) do update set raw = excluded.raw, name = excluded.name,
        stage_order = excluded.stage_order, likelihood = excluded.likelihood, active = excluded.active,
        contact_type = excluded.contact_type, deleted_at = null, updated_at = excluded.updated_at
      where (t.raw, t.deleted_at) is distinct from (excluded.raw, null)
      returning 1`,
  );
}

export async function upsertUsers(tx: TenantTx, scope: RunScope) {
  return upsertCount(
    tx,
    sql`insert into ct_users as t (tenant_id, ct_id, raw, name, email, updated_at)
      select ${scope.tenantId}, d->>'user_id', d,
        coalesce(nullif(btrim(concat_ws(' ', ${text('user_first_name')}, ${text('user_last_name')})), ''), 'User ' || (d->>'user_id')),
        ${text('user_email')}, ${stamp(scope)}
      from (${records(scope, 'users', 'user_id')}) src
      on conflict (tenant_id, ct_id) do update set raw = excluded.raw, name = excluded.name,
        email = excluded.email, deleted_at = null, updated_at = excluded.updated_at
      where (t.raw, t.deleted_at) is distinct from (excluded.raw, null)
      returning 1`,
  );
}

export async function upsertLeads(tx: TenantTx, scope: RunScope) {
  return upsertCount(
    tx,
    sql`insert into ct_leads as t (tenant_id, ct_id, raw, first_name, last_name, company, email, phone, city, state,
        stage, lead_source, action_plan, contact_type, assigned_user, deal_size, ct_created_at, ct_modified_at, updated_at)
      select ${scope.tenantId}, d->>'client_id', d, ${text('firstName')}, ${text('lastName')}, ${text('compName')},
        ${text('email')}, ${text('phone')}, ${text('city')}, ${text('state')},
        coalesce(${text('clients_sales_cycle')}, 'New Lead'), ${text('clients_lead_source')}, ${text('clients_action_plan')},
        ${text('contact_type')}, ${text('assigned_user')}, ${numeric('deal_size')},
        ${time('created', scope)}, ${time('last_modified_date', scope)}, ${stamp(scope)}
      from (${records(scope, 'clients', 'client_id')}) src
      on conflict (tenant_id, ct_id) do update set raw = excluded.raw, first_name = excluded.first_name,
        last_name = excluded.last_name, company = excluded.company, email = excluded.email, phone = excluded.phone,
        city = excluded.city, state = excluded.state, stage = excluded.stage, lead_source = excluded.lead_source,
        action_plan = excluded.action_plan, contact_type = excluded.contact_type, assigned_user = excluded.assigned_user,
        deal_size = excluded.deal_size, ct_created_at = excluded.ct_created_at, ct_modified_at = excluded.ct_modified_at,
        deleted_at = null, updated_at = excluded.updated_at
      where (t.raw, t.deleted_at) is distinct from (excluded.raw, null)
      returning 1`,
  );
}

export async function upsertOpportunities(tx: TenantTx, scope: RunScope) {
  return upsertCount(
    tx,
    sql`insert into ct_opportunities as t (tenant_id, ct_id, raw, client_ct_id, name, candidate, company, stage, deal_size,
        units, lead_source, contact_type, assigned_user, ct_created_at, ct_modified_at, updated_at)
      select ${scope.tenantId}, d->>'opportunity_id', d, ${text('client_id')}, ${text('opportunity_name')},
        nullif(btrim(concat_ws(' ', ${text('firstName')}, ${text('lastName')})), ''), ${text('compName')},
        coalesce(${text('contact_sales_cycle')}, 'New Lead'), ${numeric('deal_size')},
        coalesce(${int('units')}, ct_int(substring(d->>'opportunity_name' from '(\\d+)\\s*units?'))),
        ${text('contact_lead_source')}, ${text('contact_type')}, ${text('assigned_user')},
        ${time('created', scope)}, ${time('last_modified_date', scope)}, ${stamp(scope)}
      from (${records(scope, 'opportunities', 'opportunity_id')}) src
      on conflict (tenant_id, ct_id) do update set raw = excluded.raw, client_ct_id = excluded.client_ct_id,
        name = excluded.name, candidate = excluded.candidate, company = excluded.company, stage = excluded.stage,
        deal_size = excluded.deal_size, units = excluded.units, lead_source = excluded.lead_source,
        contact_type = excluded.contact_type, assigned_user = excluded.assigned_user,
        ct_created_at = excluded.ct_created_at, ct_modified_at = excluded.ct_modified_at,
        deleted_at = null, updated_at = excluded.updated_at
      where (t.raw, t.deleted_at) is distinct from (excluded.raw, null)
      returning 1`,
  );
}
