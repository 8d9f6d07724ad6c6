/**
 * The live progress monitor's figures: counts equal what the queue holds,
 * the rate counts only calls finished in the window, the last five errors
 * carry the contact's name, the ETA is never negative and grows with the work
 * left, and another workspace's campaign is not found.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  estimateEtaSeconds,
  getCampaignProgress,
  RATE_SAMPLE,
  RATE_WINDOW_MS,
} from '../../../src/lib/campaigns/progress';
import { makeTenant } from '../../factories';
import { makeCallerCampaign } from '../../factories/campaigns';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();
const NOW = new Date('2026-06-10T12:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

async function campaignWith(contacts: number) {
  const { tenant, campaign } = await makeCallerCampaign(t.db, {
    contacts: Array.from({ length: contacts }, (_, i) => ({
      name: i % 2 === 0 ? `Person ${i}` : '',
    })),
    limit: 5,
    at: new Date(NOW.getTime() - 3_600_000),
  });
  return { tenant, campaign };
}

/** Moves the campaign's rows to the given statuses (as the owner, the way the engine would leave them). */
async function setStatuses(
  campaignId: string,
  statuses: { status: string; finishedAgoMs?: number }[],
) {
  const rows = await t.sql<{ id: number }[]>`
    select id from call_queue where campaign_id = ${campaignId} order by id`;
  for (const [i, s] of statuses.entries()) {
    const row = rows[i];
    if (!row) break;
    const finished = s.finishedAgoMs === undefined ? null : ago(s.finishedAgoMs);
    await t.sql`update call_queue set status = ${s.status}, finished_at = ${finished}
      where id = ${row.id}`;
  }
  await countersFromRows(campaignId);
}

/** The campaign's counters as the transitions keep them: equal to its rows. */
async function countersFromRows(campaignId: string) {
  await t.sql`update call_campaigns k set
      queued_calls = (select count(*) from call_queue q where q.campaign_id = k.id and q.status = 'queued'),
      active_calls = (select count(*) from call_queue q where q.campaign_id = k.id
                       and q.status in ('dispatching', 'in_progress')),
      completed_calls = (select count(*) from call_queue q where q.campaign_id = k.id and q.status = 'completed'),
      failed_calls = (select count(*) from call_queue q where q.campaign_id = k.id and q.status = 'failed'),
      cancelled_calls = (select count(*) from call_queue q where q.campaign_id = k.id and q.status = 'cancelled'),
      skipped_calls = (select count(*) from call_queue q where q.campaign_id = k.id and q.status = 'skipped')
    where k.id = ${campaignId}`;
}

async function directCounts(campaignId: string) {
  const rows = await t.sql<{ status: string; n: number }[]>`
    select status, count(*)::int as n from call_queue where campaign_id = ${campaignId} group by status`;
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

describe('getCampaignProgress', () => {
  it('counts equal the queue’s own counts, with rate and ETA from calls finished in the window', async () => {
    const { tenant, campaign } = await campaignWith(12);
    await t.sql`update call_campaigns set status = 'running', started_at = ${ago(RATE_WINDOW_MS * 2)}
      where id = ${campaign.id}`;
    await setStatuses(campaign.id, [
      { status: 'completed', finishedAgoMs: 30_000 },
      { status: 'completed', finishedAgoMs: 60_000 },
      { status: 'failed', finishedAgoMs: 120_000 },
      { status: 'cancelled', finishedAgoMs: 200_000 },
      { status: 'completed', finishedAgoMs: RATE_WINDOW_MS + 60_000 }, // outside the window
      { status: 'skipped', finishedAgoMs: 10_000 },
      { status: 'in_progress' },
      { status: 'dispatching' },
    ]);
    const result = await getCampaignProgress(t.db, tenant.id, campaign.id, NOW);
    if (!result.ok) throw new Error(result.error.message);
    const p = result.data;
    const direct = await directCounts(campaign.id);
    for (const [status, n] of Object.entries(p.byStatus)) expect(n).toBe(direct[status] ?? 0);
    expect(p).toMatchObject({
      status: 'running',
      total: 12,
      completed: 6,
      success: 3,
      failed: 1,
      byStatus: { queued: 4, dispatching: 1, in_progress: 1 },
    });
    // 5 calls finished in the last 5 minutes: 1 a minute; 6 open rows left → 6 minutes.
    expect(p.callsPerMinute).toBe(1);
    expect(p.etaSeconds).toBe(360);
  });

  it('rates a young campaign over its own age, and gives no ETA when nothing moves or it is paused', async () => {
    const { tenant, campaign } = await campaignWith(4);
    await t.sql`update call_campaigns set status = 'running', started_at = ${ago(120_000)}
      where id = ${campaign.id}`;
    const idle = await getCampaignProgress(t.db, tenant.id, campaign.id, NOW);
    expect(idle.ok && idle.data).toMatchObject({ callsPerMinute: 0, etaSeconds: null });
    await setStatuses(campaign.id, [{ status: 'completed', finishedAgoMs: 5_000 }]);
    await setStatuses(campaign.id, [
      { status: 'completed', finishedAgoMs: 5_000 },
      { status: 'completed', finishedAgoMs: 6_000 },
    ]);
    const young = await getCampaignProgress(t.db, tenant.id, campaign.id, NOW);
    // Two calls in the two minutes since it started: 1 a minute, 2 left.
    expect(young.ok && young.data).toMatchObject({ callsPerMinute: 1, etaSeconds: 120 });
    await t.sql`update call_campaigns set status = 'paused' where id = ${campaign.id}`;
    const paused = await getCampaignProgress(t.db, tenant.id, campaign.id, NOW);
    expect(paused.ok && paused.data.etaSeconds).toBeNull();
  });

  it('rates a busy campaign over its newest finishes when they span less than the window', async () => {
    const { tenant, campaign } = await campaignWith(1);
    await t.sql`update call_campaigns set status = 'running', started_at = ${ago(RATE_WINDOW_MS * 2)}
      where id = ${campaign.id}`;
    // RATE_SAMPLE + 500 calls finished one every 10 ms up to a second ago, as if 6,000 a minute;
    // then a lull. The newest RATE_SAMPLE span 20 s (+ the second): ~5,700 a minute.
    await t.sql`insert into call_queue (tenant_id, campaign_id, user_id, phone_e164, timezone,
        scheduled_at, status, attempt, finished_at)
      select q.tenant_id, q.campaign_id, q.user_id, q.phone_e164, q.timezone, q.scheduled_at,
             'completed', 1, ${NOW.toISOString()}::timestamptz - interval '1 second' - g * interval '10 ms'
      from call_queue q, generate_series(0, ${RATE_SAMPLE + 499}) g
      where q.campaign_id = ${campaign.id}`;
    await countersFromRows(campaign.id);
    const result = await getCampaignProgress(t.db, tenant.id, campaign.id, NOW);
    if (!result.ok) throw new Error(result.error.message);
    const spanMinutes = (1_000 + (RATE_SAMPLE - 1) * 10) / 60_000;
    expect(result.data.callsPerMinute).toBeCloseTo(RATE_SAMPLE / spanMinutes, 0);
    expect(result.data.byStatus).toMatchObject({ queued: 1, completed: RATE_SAMPLE + 500 });
    expect(result.data.etaSeconds).toBe(1);
  });

  it('lists the five newest errors, newest first, with the contact’s name when it has one', async () => {
    const { tenant, campaign } = await campaignWith(3);
    const rows = await t.sql<{ id: number; contact_name: string }[]>`
      select id, contact_name from call_queue where campaign_id = ${campaign.id} order by id`;
    for (let i = 0; i < 7; i++) {
      const row = rows[i % rows.length];
      await t.sql`insert into campaign_error_logs
          (tenant_id, campaign_id, queue_id, attempt, category, message, created_at)
        values (${tenant.id}, ${campaign.id}, ${i === 6 ? null : (row?.id ?? null)}, 1, 'provider',
                ${`error ${i}`}, ${ago((10 - i) * 1000)})`;
    }
    const result = await getCampaignProgress(t.db, tenant.id, campaign.id, NOW);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.data.recentErrors.map((e) => e.message)).toEqual([
      'error 6',
      'error 5',
      'error 4',
      'error 3',
      'error 2',
    ]);
    expect(result.data.recentErrors[0]?.contactName).toBeNull(); // no queue row
    const named = rows.map((r) => r.contact_name || null);
    expect(result.data.recentErrors[1]?.contactName).toBe(named[5 % 3]);
    expect(result.data.recentErrors[2]?.at).toBe(ago(6000));
  });

  it('answers NOT_FOUND for another workspace’s campaign, an unknown id and a malformed one', async () => {
    const { campaign } = await campaignWith(1);
    const other = await makeTenant(t.db);
    for (const id of [campaign.id, '00000000-0000-4000-8000-000000000000', 'nope']) {
      const result = await getCampaignProgress(t.db, other.id, id, NOW);
      expect(result.ok ? 'found' : result.error.code).toBe('NOT_FOUND');
    }
  });
});

describe('estimateEtaSeconds', () => {
  it('is null with nothing left or no rate', () => {
    expect(estimateEtaSeconds(0, 10)).toBeNull();
    expect(estimateEtaSeconds(5, 0)).toBeNull();
    expect(estimateEtaSeconds(-1, 10)).toBeNull();
    expect(estimateEtaSeconds(5, Number.NaN)).toBeNull();
  });

  it('is never negative and never shrinks as the work left grows (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.double({ min: -10, max: 100_000, noNaN: true }),
        (remaining, more, rate) => {
          const eta = estimateEtaSeconds(remaining, rate);
          const bigger = estimateEtaSeconds(remaining + more, rate);
          if (eta !== null) expect(eta).toBeGreaterThanOrEqual(0);
          if (eta !== null) expect(bigger).not.toBeNull();
          if (eta !== null && bigger !== null) expect(bigger).toBeGreaterThanOrEqual(eta);
        },
      ),
    );
  });
});
