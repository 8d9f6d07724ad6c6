/**
 * The hot list at volume: every sort order reads its own index (no sort of
 * the list, whatever the page), and its pages equal a plain ORDER BY.
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  getHotList,
  HOT_LIST_SORTS,
  type HotListSort,
  SORT_DIRECTIONS,
  type SortDirection,
} from '../../../src/lib/dashboard';
import { hotListQuery } from '../../../src/lib/dashboard/hot-list-query';
import { withTenant } from '../../../src/lib/db/tenant';
import type { PublicTenant } from '../../../src/lib/tenants/schemas';
import { makeTenant } from '../../factories';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();
const ROWS = 6_000;
// Pipeline order is not alphabetical, and one hot stage is missing from the pipeline.
const PIPELINE = ['Signed', 'Discovery Day', 'FA Sent'];
const STAGES = [...PIPELINE, 'Unlisted'];

/** `count` hot list rows with ties in every column and blank markets, as a sync writes them. */
async function seedHotList(tenantId: string, count: number) {
  await t.db.execute(sql`insert into hot_list_items (tenant_id, run_id, opportunity_ct_id, candidate,
      market, units, iff, weighted_iff, stage, likelihood, sales_lead)
    select ${tenantId}, gen_random_uuid(), 'opp-' || g, 'Candidate ' || (g % 997),
      case when g % 11 = 0 then null else 'Market ' || (g % 37) end, 1 + g % 5, 1000 * (g % 83),
      round(1000 * (g % 83) * (50 + g % 4 * 10) / 100.0, 2),
      (${sql.param(STAGES)}::text[])[1 + g % 4], 50 + g % 4 * 10, 'Rep ' || (g % 7)
    from generate_series(1, ${count}::int) g`);
  await t.db.execute(sql`insert into pipeline_stage_counts (tenant_id, run_id, stage, stage_order,
      likelihood, opportunities, total_value, weighted_value)
    select ${tenantId}, gen_random_uuid(), stage, ord::int, 50, 0, 0, 0
    from unnest(${sql.param(PIPELINE)}::text[]) with ordinality as p(stage, ord)`);
}

/** The same page by a plain ORDER BY over every row: what the indexes must reproduce. */
async function reference(
  tenantId: string,
  sort: HotListSort,
  dir: SortDirection,
  offset: number,
  limit: number,
) {
  const column = {
    candidate: 'candidate',
    market: 'market',
    units: 'units',
    weightedIff: 'weighted_iff',
    likelihood: 'likelihood',
    stage: `array_position(array['Signed','Discovery Day','FA Sent'], stage) ${dir} nulls last, stage`,
  }[sort];
  const tieBreak =
    sort === 'candidate' ? `opportunity_ct_id ${dir}` : 'candidate asc, opportunity_ct_id asc';
  const rows = await t.db.execute<{ id: string }>(sql`select opportunity_ct_id as id
    from hot_list_items where tenant_id = ${tenantId}
    order by ${sql.raw(`${column} ${dir} nulls last, ${tieBreak}`)}
    offset ${offset} limit ${limit}`);
  return rows.map((r) => r.id);
}

/** The most rows any Sort node of an analysed plan sorted (0 without one). */
function largestSort(plan: string) {
  const sorts = plan.matchAll(
    /(?:^|->\s+)(?:Incremental )?Sort\s+\(cost=[^)]*\)\s+\(actual time=\S+ rows=([\d.]+) loops=(\d+)\)/gm,
  );
  return Math.max(0, ...[...sorts].map((m) => Number(m[1]) * Number(m[2])));
}

function indexFor(sort: HotListSort, dir: SortDirection) {
  if (sort === 'candidate' || sort === 'stage') return `hot_list_items_tenant_${sort}_idx`;
  if (sort === 'weightedIff')
    return dir === 'desc'
      ? 'hot_list_items_tenant_weighted_idx'
      : 'hot_list_items_tenant_weighted_asc_idx';
  return `hot_list_items_tenant_${sort}_${dir}_idx`;
}

let tenant: PublicTenant;
beforeAll(async () => {
  tenant = await makeTenant(t.db);
  await seedHotList(tenant.id, ROWS);
  const other = await makeTenant(t.db);
  await seedHotList(other.id, 2_000);
  await t.db.execute(sql`vacuum analyze hot_list_items`);
  await t.db.execute(sql`vacuum analyze pipeline_stage_counts`);
});

describe('hot list plans', () => {
  it.each(HOT_LIST_SORTS.flatMap((sort) => SORT_DIRECTIONS.map((dir) => [sort, dir] as const)))(
    '%s %s reads its index on page 1 and deep pages, and never sorts the list',
    async (sort, dir) => {
      for (const offset of [0, 4_000]) {
        const [plan] = await withTenant(t.db, tenant.id, async (tx) => {
          const rows = await tx.execute<{ 'QUERY PLAN': string }>(
            sql`explain (analyze, costs on) ${hotListQuery(tenant.id, { sort, dir, offset, limit: 25 }, null)}`,
          );
          return [rows.map((r) => r['QUERY PLAN']).join('\n')];
        });
        const where = `${sort} ${dir} offset ${offset}`;
        expect(plan, where).toMatch(
          new RegExp(`Index (Only )?Scan (Backward )?using ${indexFor(sort, dir)} on`),
        );
        // Sorted: the page's 25 rows (for json_agg) and the few stages, never the 6,000.
        expect(largestSort(plan ?? ''), where).toBeLessThanOrEqual(25);
      }
    },
  );
});

describe('hot list pages', () => {
  it('equal a plain ORDER BY for every sort, direction and page (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...HOT_LIST_SORTS),
        fc.constantFrom(...SORT_DIRECTIONS),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 0, max: ROWS + 50 }),
        async (sort, dir, pageSize, start) => {
          const page = Math.floor(start / pageSize) + 1;
          const list = await getHotList(t.db, tenant.id, { sort, dir, page, pageSize });
          expect(list.items.map((i) => i.opportunityId)).toEqual(
            await reference(tenant.id, sort, dir, (page - 1) * pageSize, pageSize),
          );
          expect(list.total).toBe(ROWS);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('cover every row exactly once in pipeline order, pages spanning two stages included', async () => {
    for (const dir of SORT_DIRECTIONS) {
      const seen: string[] = [];
      for (let page = 1; ; page++) {
        const list = await getHotList(t.db, tenant.id, { sort: 'stage', dir, page, pageSize: 70 });
        seen.push(...list.items.map((i) => i.opportunityId));
        if (list.items.length < 70) break;
      }
      expect(seen).toEqual(await reference(tenant.id, 'stage', dir, 0, ROWS));
      expect(new Set(seen).size).toBe(ROWS);
    }
  });

  it('reports totals over the whole list that equal the table', async () => {
    const [expected] = await t.db.execute<{ n: number; sum: string }>(sql`
      select count(*)::int as n, sum(weighted_iff)::text as sum from hot_list_items where tenant_id = ${tenant.id}`);
    for (const sort of HOT_LIST_SORTS) {
      const list = await getHotList(t.db, tenant.id, { sort, page: 3 });
      expect(list.total).toBe(expected?.n);
      expect(list.totalWeightedIff).toBe(Number(expected?.sum));
    }
  });
});
