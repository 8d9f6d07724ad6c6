import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  getHotList,
  HOT_LIST_SORTS,
  type HotListItem,
  type HotListSort,
  SORT_DIRECTIONS,
} from '../../../src/lib/dashboard';
import { makeTenant } from '../../factories';
import { makeOpportunities, makeSalesCycles, refreshAggregates } from '../../factories/crm';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();

/** 13 hot opportunities (Discovery Day 60 %, Signed 90 %) with ties and blank markets, plus cold ones. */
async function hotTenant() {
  const tenant = await makeTenant(t.db);
  await makeSalesCycles(t.db, tenant.id);
  const candidates = [
    'Ada',
    'Ben',
    'Cy',
    'Dee',
    'Eve',
    'Fin',
    'Gus',
    'Hal',
    'Ivy',
    'Jo',
    'Kai',
    'Lu',
    'Mo',
  ];
  await makeOpportunities(t.db, tenant.id, [
    ...candidates.map((candidate, i) => ({
      candidate,
      stage: i % 3 === 0 ? 'Signed' : 'Discovery Day',
      dealSize: [30_000, 45_000, 30_000, 50_000][i % 4],
      units: 1 + (i % 3),
      company: i % 5 === 0 ? null : `Market ${String.fromCharCode(90 - i)}`,
    })),
    { candidate: 'Cold', stage: 'Contacted', dealSize: 1_000_000 },
    { candidate: 'Gone', stage: 'Signed', dealSize: 1_000_000, deleted: true },
  ]);
  await refreshAggregates(t.db, tenant.id);
  return tenant;
}

async function everyPage(
  tenantId: string,
  sort: HotListSort,
  dir: 'asc' | 'desc',
  pageSize: number,
) {
  const items: HotListItem[] = [];
  for (let page = 1; ; page++) {
    const result = await getHotList(t.db, tenantId, { sort, dir, page, pageSize });
    items.push(...result.items);
    if (result.items.length < pageSize) return { items, total: result.total };
  }
}

const value = (item: HotListItem, sort: HotListSort) => item[sort];

describe('getHotList', () => {
  it('orders by weighted IFF, highest first, ties by candidate, 25 a page by default', async () => {
    const tenant = await hotTenant();
    const list = await getHotList(t.db, tenant.id, {});
    expect(list).toMatchObject({
      sort: 'weightedIff',
      dir: 'desc',
      page: 1,
      pageSize: 25,
      total: 13,
    });
    const weighted = list.items.map((i) => i.weightedIff);
    expect(weighted).toEqual([...weighted].sort((a, b) => b - a));
    expect(list.items[0]).toMatchObject({
      candidate: 'Dee',
      weightedIff: 45_000,
      likelihood: 90,
      stage: 'Signed',
    });
    // Ada, Ben, Fin, Gus and Mo tie at 27,000 weighted: alphabetical.
    const tied = list.items.filter((i) => i.weightedIff === 27_000).map((i) => i.candidate);
    expect(tied).toEqual(['Ada', 'Ben', 'Fin', 'Gus', 'Mo']);
    expect(list.items.map((i) => i.candidate)).not.toContain('Cold');
    expect(list.items.map((i) => i.candidate)).not.toContain('Gone');
  });

  it('sorts by every column both ways, and pages through without gaps or repeats', async () => {
    const tenant = await hotTenant();
    for (const sort of HOT_LIST_SORTS.filter((s) => s !== 'stage')) {
      for (const dir of SORT_DIRECTIONS) {
        const { items, total } = await everyPage(tenant.id, sort, dir, 4);
        expect(total).toBe(13);
        expect(new Set(items.map((i) => i.opportunityId)).size).toBe(13);
        const keys = items.map((i) => value(i, sort)).filter((v) => v !== null);
        const sorted = [...keys].sort((a, b) =>
          typeof a === 'number' && typeof b === 'number'
            ? a - b
            : String(a).localeCompare(String(b)),
        );
        expect(keys, `${sort} ${dir}`).toEqual(dir === 'asc' ? sorted : sorted.reverse());
        // Blank markets go last either way.
        if (sort === 'market') expect(items.at(-1)?.market).toBeNull();
      }
    }
  });

  it('sorts by stage in pipeline order, not alphabetically', async () => {
    const tenant = await hotTenant();
    const asc = await getHotList(t.db, tenant.id, { sort: 'stage', dir: 'asc', pageSize: 100 });
    expect(asc.items[0]?.stage).toBe('Discovery Day');
    expect(asc.items.at(-1)?.stage).toBe('Signed');
    const desc = await getHotList(t.db, tenant.id, { sort: 'stage', dir: 'desc', pageSize: 100 });
    expect(desc.items[0]?.stage).toBe('Signed');
  });

  it('reports the total and total weighted IFF of the whole list, on every page', async () => {
    const tenant = await hotTenant();
    const [expected] = await t.db.execute<{ n: number; sum: string }>(
      sql`select count(*)::int as n, sum(weighted_iff)::text as sum from hot_list_items where tenant_id = ${tenant.id}`,
    );
    const page2 = await getHotList(t.db, tenant.id, { page: 2, pageSize: 5 });
    expect(page2.items).toHaveLength(5);
    expect(page2.total).toBe(expected?.n);
    expect(page2.totalWeightedIff).toBe(Number(expected?.sum));
    const beyond = await getHotList(t.db, tenant.id, { page: 9, pageSize: 5 });
    expect(beyond).toMatchObject({ items: [], total: 13, page: 9 });
  });

  it('counts the totals again once a sync has replaced the list (they are cached per run)', async () => {
    const tenant = await hotTenant();
    expect((await getHotList(t.db, tenant.id, {})).total).toBe(13);
    expect((await getHotList(t.db, tenant.id, { page: 2, pageSize: 5 })).total).toBe(13);
    await makeOpportunities(t.db, tenant.id, [
      { candidate: 'Newcomer', stage: 'Signed', dealSize: 10_000 },
    ]);
    await refreshAggregates(t.db, tenant.id);
    const after = await getHotList(t.db, tenant.id, {});
    expect(after.total).toBe(14);
    const [expected] = await t.db.execute<{ sum: string }>(
      sql`select sum(weighted_iff)::text as sum from hot_list_items where tenant_id = ${tenant.id}`,
    );
    expect(after.totalWeightedIff).toBe(Number(expected?.sum));
    await t.db.execute(sql`delete from hot_list_items where tenant_id = ${tenant.id}`);
    expect(await getHotList(t.db, tenant.id, {})).toMatchObject({ total: 0, items: [] });
  });

  it('caps the page size at 100 and starts at page 1', async () => {
    const tenant = await hotTenant();
    const list = await getHotList(t.db, tenant.id, { page: 0, pageSize: 5_000 });
    expect(list).toMatchObject({ page: 1, pageSize: 100 });
  });

  it("never returns another tenant's opportunities", async () => {
    const mine = await hotTenant();
    const other = await makeTenant(t.db);
    await makeSalesCycles(t.db, other.id);
    await makeOpportunities(t.db, other.id, [
      { candidate: 'Their candidate', stage: 'Signed', dealSize: 5e6 },
    ]);
    await refreshAggregates(t.db, other.id);
    const list = await getHotList(t.db, mine.id, { pageSize: 100 });
    expect(list.total).toBe(13);
    expect(list.items.map((i) => i.candidate)).not.toContain('Their candidate');
    expect(list.totalWeightedIff).toBeLessThan(5e6);
  });
});
