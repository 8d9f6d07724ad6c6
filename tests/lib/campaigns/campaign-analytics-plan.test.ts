/**
 * The campaign page's analytics read the roll-up, not the campaign's calls:
 * as the app role under row-level security, the only touch of call_queue is
 * the index entries of the calls being dialled (a handful, whatever the
 * campaign's size). A 50,000-call campaign's page read them all on every view.
 * Its progress (also sent with every live update) likewise reads the counters,
 * the calls being dialled and the newest finishes only, its queue the calls
 * in flight and the first waiting ones, its history the newest ended calls.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getCampaignAnalytics } from '../../../src/lib/campaigns/campaign-analytics';
import { rollupCampaignStats } from '../../../src/lib/campaigns/campaign-stats-rollup';
import { HISTORY_PAGE_SIZE, listCallHistory } from '../../../src/lib/campaigns/list-call-history';
import { listWaitingCalls } from '../../../src/lib/campaigns/list-waiting-calls';
import { getCampaignProgress } from '../../../src/lib/campaigns/progress';
import { APP_ROLE } from '../../../src/lib/db/tenant';
import { makeTenant } from '../../factories';
import { useTestDatabase } from '../../helpers/db';
import { useRecordingDb } from '../../helpers/recording-db';
import { makeCallCampaign } from '../analytics/seed-calls';

const t = useTestDatabase();
const recording = useRecordingDb(t);

type PlanNode = Record<string, unknown> & { Plans?: PlanNode[] };

/** Every node of an EXPLAIN (format json) plan. */
function nodes(plan: unknown, out: PlanNode[] = []): PlanNode[] {
  if (Array.isArray(plan)) for (const p of plan) nodes(p, out);
  else if (plan && typeof plan === 'object') {
    const node = plan as PlanNode;
    if ('Node Type' in node) out.push(node);
    for (const value of Object.values(node)) if (typeof value === 'object') nodes(value, out);
  }
  return out;
}

/** A campaign of 20,000 calls over two weeks, most of them finished, analysed. */
async function campaignOf20000Calls() {
  const tenant = await makeTenant(t.db, { timezone: 'America/Chicago' });
  const campaign = await makeCallCampaign(t.db, tenant);
  await t.db.execute(sql`insert into call_queue (tenant_id, campaign_id, user_id, phone_e164,
      timezone, scheduled_at, status, outcome, dialled_at, finished_at, duration_seconds)
    select ${tenant.id}, ${campaign.campaignId}, ${campaign.userId}, '+1555' || lpad(g::text, 7, '0'),
      'UTC', now(),
      case when g % 10 = 0 then 'queued' when g % 10 = 1 then 'failed' else 'completed' end,
      case when g % 10 = 0 then null when g % 10 = 1 then 'busy' else 'completed' end,
      case when g % 10 = 0 then null else now() - make_interval(mins => g) end,
      case when g % 10 = 0 then null else now() - make_interval(mins => g) end,
      case when g % 10 > 1 then 30 + g % 60 end
    from generate_series(1, 20000) g`);
  await t.sql.unsafe('analyze call_queue');
  return { tenant, campaign };
}

/**
 * The one statement the read sent (withTenant's setup and the driver's
 * type lookups aside), explained as the app role; `check` sees each node
 * reading call_queue. Returns every relation read.
 */
async function checkCallQueueReads(
  tenantId: string,
  check: (node: PlanNode, query: string) => void,
  statementCount = 1,
): Promise<Set<string>> {
  // withTenant's setup and the driver's type lookup aside (a prepared statement is
  // logged once per describe and execute): one statement.
  const statements = recording.sent
    .splice(0)
    .filter(
      (c) => /^\s*(with|select)\b/i.test(c.query) && !/set_config\(|pg_catalog/.test(c.query),
    );
  expect(new Set(statements.map((s) => s.query)).size).toBe(statementCount);
  const seen = new Set<string>();
  for (const { query, params } of statements) {
    const plan = await t.sql.begin(async (tx) => {
      await tx`select set_config('app.tenant_id', ${tenantId}, true), set_config('role', ${APP_ROLE}, true)`;
      const [row] = await tx.unsafe(`explain (format json) ${query}`, params as never[]);
      return row?.['QUERY PLAN'];
    });
    for (const node of nodes(plan)) {
      const relation = node['Relation Name'];
      if (typeof relation === 'string') seen.add(relation);
      if (relation === 'call_queue') check(node, query);
    }
  }
  return seen;
}

/**
 * A scan of the calls being dialled only: the campaign's dispatching entries
 * (all three key columns bound), or the partial index holding every
 * dispatching call (bounded by the system's concurrency limit).
 */
function expectDispatchingOnly(node: PlanNode) {
  if (node['Index Name'] === 'call_queue_leases_idx') return;
  expect(node['Index Name']).toBe('call_queue_campaign_status_idx');
  expect(node['Index Cond']).toMatch(/status = 'dispatching'/);
}

describe('getCampaignAnalytics', () => {
  it('reads campaign_stats, and of call_queue only the index entries of calls being dialled (EXPLAIN)', async () => {
    const { tenant, campaign } = await campaignOf20000Calls();
    await rollupCampaignStats(t.db, tenant.id, campaign.campaignId);

    const db = recording.open();
    const result = await getCampaignAnalytics(db, tenant.id, campaign.campaignId);
    expect(result.ok && result.data.daily.length).toBeGreaterThan(10);

    const seen = await checkCallQueueReads(tenant.id, (node, query) => {
      expect(node['Node Type'], query).toMatch(/^Index (Only )?Scan$/);
      expectDispatchingOnly(node);
    });
    expect(seen).toContain('campaign_stats');
  });
});

describe('getCampaignProgress', () => {
  it('reads of call_queue only the calls being dialled and the newest finishes, by index (EXPLAIN)', async () => {
    const { tenant, campaign } = await campaignOf20000Calls();
    const db = recording.open();
    const result = await getCampaignProgress(db, tenant.id, campaign.campaignId);
    expect(result.ok && result.data.callsPerMinute).toBeGreaterThan(0);

    const indexes = new Set<string>();
    await checkCallQueueReads(tenant.id, (node, query) => {
      expect(node['Node Type'], query).toMatch(/^Index (Only )?Scan$/);
      const index = String(node['Index Name']);
      indexes.add(index);
      // The dispatching entries, the finishes of the rate's window newest first
      // (bounded by RATE_SAMPLE), the errors' calls by key: never the campaign's whole range.
      if (index === 'call_queue_campaign_status_idx' || index === 'call_queue_leases_idx') {
        expectDispatchingOnly(node);
      } else if (index === 'call_queue_finished_idx') {
        expect(node['Index Cond']).toMatch(/finished_at >/);
      } else {
        expect(index).toBe('call_queue_tenant_id_id_pk');
      }
    });
    expect(indexes).toContain('call_queue_finished_idx');
  });
});

describe('listWaitingCalls', () => {
  it('reads of call_queue the calls in flight and the first waiting ones, by index (EXPLAIN)', async () => {
    const { tenant, campaign } = await campaignOf20000Calls();
    const db = recording.open();
    const result = await listWaitingCalls(db, tenant.id, campaign.campaignId, 50);
    expect(result.ok && result.data.items.length).toBe(50);

    // The campaign's row, then the list.
    await checkCallQueueReads(
      tenant.id,
      (node, query) => {
        // The calls in flight: the campaign's entries of two statuses (an index or a bitmap scan).
        if (node['Node Type'] === 'Bitmap Heap Scan') {
          expect(node['Recheck Cond'], query).toMatch(/campaign_id = .*status = ANY/);
          return;
        }
        expect(node['Node Type'], query).toMatch(/^Index (Only )?Scan$/);
        if (node['Index Name'] === 'call_queue_due_idx') {
          expect(node['Index Cond']).toMatch(/user_id =/);
        } else {
          expect(node['Index Name']).toBe('call_queue_campaign_status_idx');
          expect(node['Index Cond']).toMatch(/status = ANY/);
        }
      },
      2,
    );
  });
});

describe('listCallHistory', () => {
  it('reads of call_queue the newest ended calls and those on the line, by index (EXPLAIN)', async () => {
    const { tenant, campaign } = await campaignOf20000Calls();
    const db = recording.open();
    const result = await listCallHistory(db, tenant.id, campaign.campaignId, 2);
    expect(result.ok && result.data.items.length).toBe(HISTORY_PAGE_SIZE);

    // The campaign's row, then the page.
    await checkCallQueueReads(
      tenant.id,
      (node, query) => {
        expect(node['Node Type'], query).toMatch(
          /^(Index (Only )?Scan( Backward)?|Bitmap Heap Scan)$/,
        );
        if (node['Node Type'] === 'Bitmap Heap Scan') {
          expect(node['Recheck Cond']).toMatch(/campaign_id = .*status = 'in_progress'/);
        } else if (node['Index Name'] === 'call_queue_finished_idx') {
          // Newest first, in index order: it stops after the rows the page needs.
          expect(node['Scan Direction']).toBe('Backward');
          expect(node['Index Cond']).toMatch(/campaign_id =/);
        } else if (node['Index Name'] !== 'call_queue_active_idx') {
          // Else the partial index of every call on the line (bounded by the system's limit).
          expect(node['Index Name']).toBe('call_queue_campaign_status_idx');
          expect(node['Index Cond']).toMatch(/status = 'in_progress'/);
        }
      },
      2,
    );
  });
});
