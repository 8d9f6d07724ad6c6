/**
 * The campaign roll-up against the raw rows it summarises: for random rows the
 * page's figures equal a direct count; re-running changes nothing; a tenant
 * sees and rolls only its own; a campaign whose calls change is due again and
 * re-rolled; a quiet one is not.
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { runDispatchCycle } from '../../../src/lib/calls/dispatch/cycle';
import { recordCallEvent } from '../../../src/lib/calls/record-call-event';
import {
  type CampaignAnalytics,
  getCampaignAnalytics,
} from '../../../src/lib/campaigns/campaign-analytics';
import {
  rollupCampaignStats,
  rollupDueCampaigns,
} from '../../../src/lib/campaigns/campaign-stats-rollup';
import type { Database } from '../../../src/lib/db/client';
import { withTenant } from '../../../src/lib/db/tenant';
import { makeTenant } from '../../factories';
import {
  idleCallSystem,
  makeCallerCampaign,
  manualProvider,
  setSystemCallLimit,
} from '../../factories/campaigns';
import { useTestDatabase } from '../../helpers/db';
import { insertCalls, localDay, makeCallCampaign, type SeedCall } from '../analytics/seed-calls';

const t = useTestDatabase();
const NOW = new Date('2026-03-10T18:00:00Z');
const HOUR = 3_600_000;
const ZONES = ['UTC', 'America/New_York', 'Asia/Kolkata', 'Pacific/Auckland'] as const;

/** Random rows in every state the dispatcher and webhooks leave them, dialled over 3 days. */
const call: fc.Arbitrary<SeedCall> = fc
  .record({
    kind: fc.constantFrom(
      'answered',
      'voicemail',
      'busy',
      'no_answer',
      'invalid',
      'cancelled',
      'queued',
      'queued_retry',
      'dispatching',
      'in_progress',
      'skipped',
    ),
    hoursAgo: fc.double({ min: 0, max: 72, noNaN: true }),
    duration: fc.option(fc.integer({ min: 0, max: 900 }), { nil: null }),
  })
  .map(({ kind, hoursAgo, duration }): SeedCall => {
    const dialledAt = new Date(NOW.getTime() - hoursAgo * HOUR);
    const finishedAt = new Date(dialledAt.getTime() + 120_000);
    const done = { dialledAt, finishedAt, durationSeconds: duration };
    switch (kind) {
      case 'answered':
        return { ...done, status: 'completed', outcome: 'completed' };
      case 'voicemail':
        return { ...done, status: 'completed', outcome: 'voicemail' };
      case 'busy':
        return { ...done, status: 'failed', outcome: 'busy' };
      case 'no_answer':
        return { ...done, status: 'failed', outcome: 'no_answer' };
      case 'invalid':
        return { status: 'failed', outcome: 'invalid_number', finishedAt };
      case 'cancelled':
        return { status: 'cancelled', outcome: 'campaign_cancelled', finishedAt };
      case 'queued':
        return { status: 'queued' };
      case 'queued_retry':
        return { status: 'queued', outcome: 'no_answer', dialledAt, attempt: 2 };
      case 'dispatching':
        return { status: 'dispatching', attempt: 1 };
      case 'in_progress':
        return { status: 'in_progress', dialledAt, durationSeconds: duration };
      default:
        return { status: 'skipped', outcome: 'opted_out', finishedAt, attempt: 0 };
    }
  });

/** What the page reported when it counted the rows itself, straight from the rows. */
function directCount(
  calls: readonly SeedCall[],
  timeZone: string,
): Omit<CampaignAnalytics, 'asOf'> {
  const tally = (key: (c: SeedCall) => string | null | undefined) => {
    const out: Record<string, number> = {};
    for (const c of calls) {
      const k = key(c);
      if (k) out[k] = (out[k] ?? 0) + 1;
    }
    return out;
  };
  const byStatus = tally((c) => c.status);
  const byOutcome = tally((c) => c.outcome);
  const finished = (byStatus.completed ?? 0) + (byStatus.failed ?? 0);
  const durations = calls
    .filter((c) => c.status === 'completed' && c.durationSeconds != null)
    .map((c) => c.durationSeconds ?? 0);
  const days = new Map<string, { dialled: number; completed: number }>();
  for (const c of calls) {
    if (!c.dialledAt) continue;
    const day = localDay(c.dialledAt, timeZone);
    const d = days.get(day) ?? { dialled: 0, completed: 0 };
    d.dialled += 1;
    if (c.status === 'completed' && c.outcome === 'completed') d.completed += 1;
    days.set(day, d);
  }
  return {
    byStatus,
    byOutcome,
    successRate: finished > 0 ? (byOutcome.completed ?? 0) / finished : null,
    averageDurationSeconds:
      durations.length > 0
        ? Math.round(durations.reduce((a, b) => a + b, 0) / durations.length)
        : null,
    daily: [...days].sort(([a], [b]) => a.localeCompare(b)).map(([day, d]) => ({ day, ...d })),
  };
}

/** The campaign's counters as the call path keeps them (the seeded rows bypass it). */
async function countersFromRows(db: Database, campaignId: string) {
  await db.execute(sql`update call_campaigns k set
      queued_calls = c.queued, active_calls = c.active, completed_calls = c.completed,
      failed_calls = c.failed, cancelled_calls = c.cancelled, skipped_calls = c.skipped,
      total_calls = c.total
    from (select count(*) filter (where status = 'queued') as queued,
      count(*) filter (where status in ('dispatching', 'in_progress')) as active,
      count(*) filter (where status = 'completed') as completed,
      count(*) filter (where status = 'failed') as failed,
      count(*) filter (where status = 'cancelled') as cancelled,
      count(*) filter (where status = 'skipped') as skipped, count(*) as total
      from call_queue where campaign_id = ${campaignId}) c
    where k.id = ${campaignId}`);
}

async function seededCampaign(calls: readonly SeedCall[], timeZone = 'UTC') {
  const tenant = await makeTenant(t.db, { timezone: timeZone });
  const campaign = await makeCallCampaign(t.db, tenant);
  await t.db.execute(
    sql`update call_campaigns set timezone = ${timeZone} where id = ${campaign.campaignId}`,
  );
  await insertCalls(t.db, tenant.id, campaign, calls);
  await countersFromRows(t.db, campaign.campaignId);
  return { tenant, campaignId: campaign.campaignId };
}

async function analytics(tenantId: string, campaignId: string) {
  const result = await getCampaignAnalytics(t.db, tenantId, campaignId);
  if (!result.ok) throw new Error(result.error.message);
  return result.data;
}

/** The campaign's roll-up rows, without the stamp. */
function statsRows(tenantId: string, campaignId: string) {
  return withTenant(t.db, tenantId, (tx) =>
    tx.execute(sql`select day::text, status, outcome, calls, duration_sum::int, duration_count
      from campaign_stats where campaign_id = ${campaignId}
      order by day nulls first, status, outcome nulls first`),
  );
}

describe('rollupCampaignStats', () => {
  it('gives the figures a direct count of random rows gives, in the campaign’s zone', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(call, { maxLength: 40 }),
        fc.constantFrom(...ZONES),
        async (calls, zone) => {
          const { tenant, campaignId } = await seededCampaign(calls, zone);
          expect(await rollupCampaignStats(t.db, tenant.id, campaignId)).toBe(true);
          const { asOf, ...figures } = await analytics(tenant.id, campaignId);
          expect(asOf).not.toBeNull();
          expect(figures).toEqual(directCount(calls, zone));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('changes nothing when run again', async () => {
    const calls = fc.sample(call, { numRuns: 60, seed: 42 });
    const { tenant, campaignId } = await seededCampaign(calls, 'America/New_York');
    await rollupCampaignStats(t.db, tenant.id, campaignId);
    const first = await statsRows(tenant.id, campaignId);
    const figures = await analytics(tenant.id, campaignId);
    await rollupCampaignStats(t.db, tenant.id, campaignId);
    expect(await statsRows(tenant.id, campaignId)).toEqual(first);
    const again = await analytics(tenant.id, campaignId);
    expect({ ...again, asOf: null }).toEqual({ ...figures, asOf: null });
    expect(first.length).toBeGreaterThan(0);
  });

  it('rolls and shows only the tenant’s own campaign', async () => {
    const mine = await seededCampaign(fc.sample(call, { numRuns: 20, seed: 1 }));
    const theirs = await seededCampaign(fc.sample(call, { numRuns: 20, seed: 2 }));
    await rollupCampaignStats(t.db, theirs.tenant.id, theirs.campaignId);
    // Another tenant's id for the campaign: nothing to roll, nothing written, NOT_FOUND to read.
    expect(await rollupCampaignStats(t.db, mine.tenant.id, theirs.campaignId)).toBe(false);
    const foreign = await getCampaignAnalytics(t.db, mine.tenant.id, theirs.campaignId);
    expect(foreign.ok ? 'found' : foreign.error.code).toBe('NOT_FOUND');
    const visible = await withTenant(t.db, mine.tenant.id, (tx) =>
      tx.execute(sql`select 1 from campaign_stats union all select 1 from campaign_stats_state`),
    );
    expect(visible).toHaveLength(0);
    // Rolling mine leaves theirs as it was.
    const before = await statsRows(theirs.tenant.id, theirs.campaignId);
    await rollupCampaignStats(t.db, mine.tenant.id, mine.campaignId);
    expect(await statsRows(theirs.tenant.id, theirs.campaignId)).toEqual(before);
    expect(before.length).toBeGreaterThan(0);
  });
});

describe('rollupDueCampaigns', () => {
  beforeEach(async () => {
    await idleCallSystem(t.db);
    await setSystemCallLimit(t.db, 100);
  });

  /** Whether the worker's finder lists the campaign at `now`. */
  async function isDue(campaignId: string, now = new Date()) {
    const rows = await t.db.execute<{ campaign_id: string }>(sql`
      select campaign_id from campaign_stats_due(${now.toISOString()}::timestamptz,
        interval '5 minutes', interval '10 minutes', 100000)`);
    return rows.some((r) => r.campaign_id === campaignId);
  }

  it('re-rolls a campaign whose calls changed after its roll-up', async () => {
    const at = new Date();
    const { tenant, campaign } = await makeCallerCampaign(t.db, { contacts: 3, limit: 3, at });
    const stub = manualProvider();
    await runDispatchCycle({ db: t.db, sql: t.sql, providerFor: stub.providerFor, now: () => at });
    expect(await isDue(campaign.id)).toBe(true);
    await rollupDueCampaigns(t.db, new Date());
    expect(await analytics(tenant.id, campaign.id)).toMatchObject({
      byStatus: { in_progress: 3 },
      byOutcome: {},
      daily: [{ day: localDay(at, 'UTC'), dialled: 3, completed: 0 }],
    });

    // Quiet since long before the roll-up: not due.
    await t.db.execute(
      sql`update call_campaigns set updated_at = now() - interval '1 hour' where id = ${campaign.id}`,
    );
    expect(await isDue(campaign.id)).toBe(false);

    const [a = '', b = ''] = stub.dialled.map((d) => d.executionId);
    const post = (id: string, status: string, seconds: number) =>
      recordCallEvent(t.db, tenant.id, 'simulated', { id, status, conversation_duration: seconds });
    await post(a, 'completed', 40);
    await post(b, 'busy', 0);
    // Changed since the roll-up: due again, and the next tick counts the calls as they are now.
    expect(await isDue(campaign.id)).toBe(true);
    const tick = await rollupDueCampaigns(t.db, new Date());
    expect(tick.failed).toBe(0);
    expect(await analytics(tenant.id, campaign.id)).toMatchObject({
      byStatus: { in_progress: 1, completed: 1, queued: 1 },
      byOutcome: { completed: 1, busy: 1 },
      successRate: 1,
      averageDurationSeconds: 40,
      daily: [{ day: localDay(at, 'UTC'), dialled: 3, completed: 1 }],
    });
  });

  it('starts no roll-up once the worker is stopping; the campaign stays due', async () => {
    const at = new Date();
    const { campaign } = await makeCallerCampaign(t.db, { contacts: 1, at });
    const stopped = AbortSignal.abort();
    const tick = await rollupDueCampaigns(t.db, at, { signal: stopped });
    expect(tick.due).toBeGreaterThan(0);
    expect(tick.rolled).toBe(0);
    expect(await isDue(campaign.id)).toBe(true);
  });

  it('leaves a quiet campaign alone, and refreshes a running one now and then', async () => {
    const { tenant, campaignId } = await seededCampaign(fc.sample(call, { numRuns: 10, seed: 7 }));
    expect(await isDue(campaignId)).toBe(true); // never rolled
    await rollupCampaignStats(t.db, tenant.id, campaignId);
    // Its row last moved long before the roll-up: nothing changed since.
    await t.db.execute(sql`update call_campaigns set updated_at = now() - interval '1 hour',
      status = 'completed' where id = ${campaignId}`);
    expect(await isDue(campaignId)).toBe(false);
    await t.db.execute(sql`update call_campaigns set status = 'running' where id = ${campaignId}`);
    await t.db.execute(
      sql`update call_campaigns set updated_at = now() - interval '1 hour' where id = ${campaignId}`,
    );
    expect(await isDue(campaignId)).toBe(false);
    expect(await isDue(campaignId, new Date(Date.now() + 11 * 60_000))).toBe(true);
  });

  it('does not roll deleted campaigns or deactivated workspaces', async () => {
    const gone = await seededCampaign([{ status: 'queued' }]);
    await t.db.execute(
      sql`update call_campaigns set deleted_at = now() where id = ${gone.campaignId}`,
    );
    const asleep = await seededCampaign([{ status: 'queued' }]);
    await t.db.execute(
      sql`update tenants set deactivated_at = now() where id = ${asleep.tenant.id}`,
    );
    expect(await isDue(gone.campaignId)).toBe(false);
    expect(await isDue(asleep.campaignId)).toBe(false);
  });
});
