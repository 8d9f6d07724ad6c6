import { LRUCache } from 'lru-cache';
import type { DbOrTx } from '../db/client';
import { withTenant } from '../db/tenant';
import { type HotListPage, hotListQuery } from './hot-list-query';
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

/** What hotListQuery's statement returns. */
export type HotListRow = {
  run_id: string | null;
  reused: boolean;
  items: HotListItem[];
  total: number;
  total_weighted_iff: string;
};

type Totals = { runId: string | null; total: number; totalWeightedIff: number };
/** Per tenant, the totals of the sync run its hot list last came from (see hotListQuery). */
const totalsByTenant = new LRUCache<string, Totals>({ max: 10_000 });

/** The tenant's cached hot list totals, if any: pass their run to hotListQuery, them to hotListFrom. */
export function cachedHotListTotals(tenantId: string): Totals | undefined {
  return totalsByTenant.get(tenantId);
}

/**
 * One page of the hot list with the totals of the whole list, in one
 * statement (hotListQuery). Blank markets sort last both ways; ties break
 * by candidate, then opportunity id, so pages never overlap.
 */
export async function getHotList(
  db: DbOrTx,
  tenantId: string,
  q: HotListOptions = {},
): Promise<HotList> {
  const page = Math.max(1, Math.trunc(q.page ?? 1));
  const pageSize = Math.min(
    HOT_LIST_PAGE_SIZE.max,
    Math.max(1, Math.trunc(q.pageSize ?? HOT_LIST_PAGE_SIZE.default)),
  );
  const query: HotListPage = {
    sort: q.sort ?? 'weightedIff',
    dir: q.dir ?? 'desc',
    offset: (page - 1) * pageSize,
    limit: pageSize,
  };
  const known = cachedHotListTotals(tenantId);
  const [row] = await withTenant(db, tenantId, (tx) =>
    tx.execute<HotListRow>(hotListQuery(tenantId, query, known?.runId ?? null)),
  );
  if (!row) throw new Error('getHotList: the hot list query returned no row');
  return { ...hotListFrom(tenantId, row, known), page, pageSize, sort: query.sort, dir: query.dir };
}

/** The items and totals from a hotListQuery row, remembering totals it counted. */
export function hotListFrom(tenantId: string, row: HotListRow, known: Totals | undefined) {
  const totals =
    row.reused && known
      ? known
      : { runId: row.run_id, total: row.total, totalWeightedIff: Number(row.total_weighted_iff) };
  if (totals !== known) totalsByTenant.set(tenantId, totals);
  return { items: row.items, total: totals.total, totalWeightedIff: totals.totalWeightedIff };
}
