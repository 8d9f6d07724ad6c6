import { type SQL, sql } from 'drizzle-orm';
import type { HotListSort, SortDirection } from './schemas';

export interface HotListPage {
  sort: HotListSort;
  dir: SortDirection;
  offset: number;
  limit: number;
}

/** One hot list item as json_build_object writes it (numeric columns arrive as JSON numbers). */
const item = sql`json_build_object('opportunityId', h.opportunity_ct_id, 'candidate', h.candidate,
  'market', h.market, 'units', h.units, 'iff', h.iff, 'weightedIff', h.weighted_iff,
  'stage', h.stage, 'likelihood', h.likelihood, 'salesLead', h.sales_lead)`;

/**
 * Each sort order exactly as one hot_list_items index has it (schema
 * aggregates.ts): `key dir nulls last`, ties by candidate then id, so a page
 * is an index range. Candidate desc reads its index backwards, so its id
 * tie-break flips too (ids only split identical names).
 */
function orderBy(sort: Exclude<HotListSort, 'stage'>, dir: SortDirection): SQL {
  const key = {
    candidate: sql`h.candidate`,
    market: sql`h.market`,
    units: sql`h.units`,
    weightedIff: sql`h.weighted_iff`,
    likelihood: sql`h.likelihood`,
  }[sort];
  if (sort === 'candidate')
    return dir === 'asc'
      ? sql`h.candidate asc, h.opportunity_ct_id asc`
      : sql`h.candidate desc, h.opportunity_ct_id desc`;
  return sql`${key} ${sql.raw(dir)} nulls last, h.candidate asc, h.opportunity_ct_id asc`;
}

/**
 * One statement for a page of the hot list and its totals: a row of
 * `{ run_id, reused, total, total_weighted_iff, items }`. Counting and
 * summing the whole list is most of the statement's work (~2 ms for 20,000
 * rows), so it is skipped when the caller already holds the totals of the
 * sync run the list comes from (`knownRun`): the sync replaces every row of
 * a tenant's list, under a new run id, in one transaction. The page itself
 * never sorts the list: see pageOf and stagePageOf.
 */
export function hotListQuery(tenantId: string, page: HotListPage, knownRun: string | null): SQL {
  const byStage = page.sort === 'stage';
  // Pipeline order needs each stage's count, so it always counts.
  const reuse = byStage || knownRun === null ? sql`false` : sql`run.id = ${knownRun}::uuid`;
  return sql`with run as (
      select (select run_id from hot_list_items where tenant_id = ${tenantId} limit 1) as id),
    totals as (
      select ${byStage ? sql`h.stage, ` : sql``}count(*)::int as n, sum(h.weighted_iff) as weighted
      from hot_list_items h where h.tenant_id = ${tenantId}
        and not coalesce((select ${reuse} from run), false)
      ${byStage ? sql`group by h.stage` : sql``})
    select run.id as run_id, coalesce(${reuse}, false) as reused,
      coalesce((select sum(n) from totals), 0)::int as total,
      coalesce((select sum(weighted) from totals), 0)::text as total_weighted_iff,
      coalesce((${byStage ? stagePageOf(tenantId, page) : pageOf(tenantId, page)}), '[]') as items
    from run`;
}

/**
 * A page in a column's order: the keys come from that order's index alone
 * (index-only, so an offset skips index entries), then the page's rows.
 */
function pageOf(tenantId: string, page: HotListPage): SQL {
  if (page.sort === 'stage') throw new Error('pageOf: stage order is stagePageOf');
  const order = orderBy(page.sort, page.dir);
  return sql`select json_agg(${item} order by ${order}) from (
      select h.opportunity_ct_id from hot_list_items h where h.tenant_id = ${tenantId}
      order by ${order} limit ${page.limit}::int offset ${page.offset}::int) k
    join hot_list_items h on h.tenant_id = ${tenantId} and h.opportunity_ct_id = k.opportunity_ct_id`;
}

/**
 * A page in pipeline order (a stage's position among pipeline_stage_counts
 * by stage_order, unknown stages last by name), ties by candidate. The
 * per-stage counts in `totals` say where each stage starts, so only the one
 * or two stages the page overlaps are read, each from
 * hot_list_items_tenant_stage_idx at its own offset.
 */
function stagePageOf(tenantId: string, page: HotListPage): SQL {
  const dir = sql.raw(page.dir);
  const end = page.offset + page.limit;
  return sql`with pipeline as (
      select stage, row_number() over (order by stage_order, stage) as pos
      from pipeline_stage_counts where tenant_id = ${tenantId}),
    groups as (
      select t.stage, p.pos, t.n,
        sum(t.n) over (order by p.pos ${dir} nulls last, t.stage ${dir}) - t.n as first
      from totals t left join pipeline p on p.stage = t.stage)
    select json_agg(${item} order by g.pos ${dir} nulls last, g.stage ${dir}, h.candidate, h.opportunity_ct_id)
    from groups g cross join lateral (
      select k.opportunity_ct_id from hot_list_items k
      where k.tenant_id = ${tenantId} and k.stage = g.stage
      order by k.candidate, k.opportunity_ct_id
      offset greatest(0, ${page.offset}::int - g.first)
      limit least(${end}::int - g.first, g.n) - greatest(0, ${page.offset}::int - g.first)) x
    join hot_list_items h on h.tenant_id = ${tenantId} and h.opportunity_ct_id = x.opportunity_ct_id
    where g.first < ${end}::int and g.first + g.n > ${page.offset}::int`;
}
