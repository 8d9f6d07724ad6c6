import { asc, eq, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { hotListItems as h, pipelineStageCounts as p } from '../db/schema';
import { withTenant } from '../db/tenant';
import { HOT_LIST_PAGE_SIZE, type HotListSort, type SortDirection } from './schemas';

export interface HotListItem {
  opportunityId: string;
  candidate: string;
  market: string | null;
  units: number;
  iff: number;
  weightedIff: number;
  stage: string;
  likelihood: number;
  salesLead: string | null;
}

export interface HotList {
  items: HotListItem[];
  total: number;
  page: number;
  pageSize: number;
  sort: HotListSort;
  dir: SortDirection;
  /** Over the whole list, not just this page. */
  totalWeightedIff: number;
}

export interface HotListOptions {
  sort?: HotListSort;
  dir?: SortDirection;
  page?: number;
  pageSize?: number;
}

/**
 * What each sort orders by. "stage" means pipeline order: the position of
 * the stage in `pipeline` (a few names), then the name for unknown stages.
 */
function sortKeys(sort: HotListSort, pipeline: string[]): SQL[] {
  switch (sort) {
    case 'candidate':
      return [sql`${h.candidate}`];
    case 'market':
      return [sql`${h.market}`];
    case 'units':
      return [sql`${h.units}`];
    case 'weightedIff':
      return [sql`${h.weightedIff}`];
    case 'likelihood':
      return [sql`${h.likelihood}`];
    case 'stage':
      return [sql`array_position(${sql.param(pipeline)}::text[], ${h.stage})`, sql`${h.stage}`];
  }
}

/**
 * One page of the hot list. Ties break by candidate, then opportunity id, so
 * pages never overlap. `nulls last` in both directions keeps blank markets at
 * the bottom and lets the default order (weighted IFF desc) read
 * hot_list_items_tenant_weighted_idx.
 */
export async function getHotList(
  db: DbOrTx,
  tenantId: string,
  q: HotListOptions = {},
): Promise<HotList> {
  const sort = q.sort ?? 'weightedIff';
  const dir = q.dir ?? 'desc';
  const page = Math.max(1, Math.trunc(q.page ?? 1));
  const pageSize = Math.min(
    HOT_LIST_PAGE_SIZE.max,
    Math.max(1, Math.trunc(q.pageSize ?? HOT_LIST_PAGE_SIZE.default)),
  );
  const direction = sql.raw(dir === 'asc' ? 'asc nulls last' : 'desc nulls last');
  return withTenant(db, tenantId, async (tx) => {
    const pipeline =
      sort === 'stage'
        ? (
            await tx
              .select({ stage: p.stage })
              .from(p)
              .where(eq(p.tenantId, tenantId))
              .orderBy(asc(p.stageOrder), asc(p.stage))
          ).map((r) => r.stage)
        : [];
    const order = sql.join(
      [
        ...sortKeys(sort, pipeline).map((key) => sql`${key} ${direction}`),
        ...(sort === 'candidate' ? [] : [sql`${h.candidate} asc`]),
        sql`${h.opportunityCtId} asc`,
      ],
      sql`, `,
    );
    const rows = await tx
      .select({
        opportunityId: h.opportunityCtId,
        candidate: h.candidate,
        market: h.market,
        units: h.units,
        iff: h.iff,
        weightedIff: h.weightedIff,
        stage: h.stage,
        likelihood: h.likelihood,
        salesLead: h.salesLead,
      })
      .from(h)
      .where(eq(h.tenantId, tenantId))
      .orderBy(order)
      .limit(pageSize)
      .offset((page - 1) * pageSize);
    const [totals] = await tx
      .select({
        total: sql<number>`count(*)::int`,
        totalWeightedIff: sql<number>`coalesce(sum(${h.weightedIff}), 0)`.mapWith(Number),
      })
      .from(h)
      .where(eq(h.tenantId, tenantId));
    return {
      items: rows,
      total: totals?.total ?? 0,
      totalWeightedIff: totals?.totalWeightedIff ?? 0,
      page,
      pageSize,
      sort,
      dir,
    };
  });
}
