/**
 * The roll-up and the dirty-day check find a tenant's calls of a day range
 * through the day indexes, as the app role under row-level security: a
 * condition that is not leakproof (coalesce(), timezone()) would keep them
 * off the index and scan the whole queue (a second per roll-up at 5M rows).
 */
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { findDaysToRoll, rollupDays } from '../../../src/lib/analytics';
import type { Database } from '../../../src/lib/db/client';
import * as schema from '../../../src/lib/db/schema';
import { APP_ROLE } from '../../../src/lib/db/tenant';
import { makeTenant } from '../../factories';
import { useTestDatabase } from '../../helpers/db';
import { makeCallCampaign } from './seed-calls';

const t = useTestDatabase();
const captured: { query: string; params: unknown[] }[] = [];
const clients: postgres.Sql[] = [];

function recordingDb(): Database {
  const client = postgres(t.url, {
    max: 1,
    onnotice: () => {},
    debug: (_c, query, params) => captured.push({ query, params: params as unknown[] }),
  });
  clients.push(client);
  return drizzle(client, { schema }) as Database;
}
afterAll(() => Promise.all(clients.map((c) => c.end({ timeout: 5 }))));

type PlanNode = { 'Index Name'?: string; 'Index Cond'?: string; Plans?: PlanNode[] };
function indexScans(node: unknown, out: PlanNode[] = []): PlanNode[] {
  if (Array.isArray(node)) for (const n of node) indexScans(n, out);
  else if (node && typeof node === 'object') {
    const n = node as PlanNode;
    if (n['Index Name']) out.push(n);
    for (const value of Object.values(node)) if (typeof value === 'object') indexScans(value, out);
  }
  return out;
}

describe('the roll-up queries', () => {
  it('read call_queue by day through its day indexes under row-level security', async () => {
    const tenant = await makeTenant(t.db, { timezone: 'America/Chicago' });
    const campaign = await makeCallCampaign(t.db, tenant);
    await t.db.execute(sql`insert into call_queue (tenant_id, campaign_id, user_id, phone_e164,
        timezone, scheduled_at, status, outcome, dialled_at, finished_at, updated_at)
      select ${tenant.id}, ${campaign.campaignId}, ${campaign.userId}, '+15550000000', 'UTC', now(),
        case when g % 10 = 0 then 'failed' else 'completed' end,
        case when g % 10 = 0 then 'invalid_number' else 'completed' end,
        case when g % 10 = 0 then null else now() - make_interval(mins => g) end,
        now() - make_interval(mins => g), now() - make_interval(mins => g)
      from generate_series(1, 20000) g`);
    await t.sql.unsafe('analyze call_queue');

    const db = recordingDb();
    await rollupDays(db, tenant.id, '2026-01-01', '2026-01-03');
    await findDaysToRoll(db, tenant.id);
    const statements = captured.filter((c) => c.query.includes('call_queue q'));
    expect(statements).toHaveLength(2);
    for (const { query, params } of statements) {
      const plan = await t.sql.begin(async (tx) => {
        await tx`select set_config('app.tenant_id', ${tenant.id}, true), set_config('role', ${APP_ROLE}, true)`;
        // Small tables may be scanned whatever the indexes: ask what the indexes can do.
        await tx`set local enable_seqscan = off`;
        const [row] = await tx.unsafe(`explain (format json) ${query}`, params as never[]);
        return row?.['QUERY PLAN'];
      });
      const scans = indexScans(plan);
      const dialled = scans.find((s) => s['Index Name'] === 'call_queue_stats_dialled_idx');
      const undialled = scans.find((s) => s['Index Name'] === 'call_queue_stats_undialled_idx');
      expect(dialled?.['Index Cond'], query).toMatch(/dialled_at >=/);
      expect(undialled?.['Index Cond'], query).toMatch(/finished_at >=/);
    }
  });
});
