/**
 * The incremental tick: what it re-rolls and what it leaves alone. A late
 * webhook ending a past day's call makes that day dirty; a closed, unchanged
 * day is not rolled again.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  backfillTenant,
  findDaysToRoll,
  getDashboardStats,
  rollupAllTenants,
  rollupTenant,
  toRanges,
} from '../../../src/lib/analytics';
import { recordCallEvent } from '../../../src/lib/calls/record-call-event';
import { withTenant } from '../../../src/lib/db/tenant';
import { makeTenant } from '../../factories';
import { useTestDatabase } from '../../helpers/db';
import { insertCalls, localDay, makeCallCampaign } from './seed-calls';

const t = useTestDatabase();
const DAY = 86_400_000;

async function dayRow(tenantId: string, day: string) {
  const [row] = await t.db.execute<{
    placed: number;
    connected: number;
    in_progress: number;
    talk: number;
  }>(sql`
    select calls_placed as placed, calls_connected as connected, calls_in_progress as in_progress,
      talk_seconds::int as talk
    from stats_daily where tenant_id = ${tenantId} and day = ${day}::date`);
  return row;
}

describe('the roll-up tick', () => {
  it('re-rolls a past day when a late webhook ends one of its calls, and only then', async () => {
    const tenant = await makeTenant(t.db, { timezone: 'UTC' });
    const campaign = await makeCallCampaign(t.db, tenant);
    const now = new Date();
    const dialled = new Date(now.getTime() - 3 * DAY);
    const past = localDay(dialled, 'UTC');
    await insertCalls(t.db, tenant.id, campaign, [
      {
        status: 'in_progress',
        dialledAt: dialled,
        providerCallId: 'exec-late-1',
        updatedAt: new Date(now.getTime() - 3 * DAY),
      },
    ]);
    // A tick rolls today, yesterday and the never-rolled past day with a call.
    expect(await findDaysToRoll(t.db, tenant.id, now)).toContain(past);
    await rollupTenant(t.db, tenant.id, now);
    expect(await dayRow(tenant.id, past)).toMatchObject({
      placed: 1,
      in_progress: 1,
      connected: 0,
    });
    // Nothing changed since: the past day is not rolled again.
    expect(await findDaysToRoll(t.db, tenant.id, now)).not.toContain(past);

    const answer = await recordCallEvent(t.db, tenant.id, 'simulated', {
      id: 'exec-late-1',
      status: 'completed',
      conversation_duration: 42,
    });
    expect(answer.ok).toBe(true);
    expect(await findDaysToRoll(t.db, tenant.id, now)).toContain(past);
    await rollupTenant(t.db, tenant.id, now);
    expect(await dayRow(tenant.id, past)).toMatchObject({
      placed: 1,
      in_progress: 0,
      connected: 1,
      talk: 42,
    });
  });

  it('rolls yesterday until it has been rolled after its end, then leaves it closed', async () => {
    const tenant = await makeTenant(t.db, { timezone: 'Europe/Berlin' });
    const beforeMidnight = new Date('2026-05-04T21:50:00Z'); // 23:50 in Berlin (CEST)
    await rollupTenant(t.db, tenant.id, beforeMidnight);
    const afterMidnight = new Date('2026-05-04T22:05:00Z'); // 00:05 on the 5th: within the grace
    expect(await findDaysToRoll(t.db, tenant.id, afterMidnight)).toEqual([
      '2026-05-04',
      '2026-05-05',
    ]);
    await rollupTenant(t.db, tenant.id, afterMidnight);
    const closing = new Date('2026-05-04T22:20:00Z'); // 00:20: past the grace, this tick closes it
    expect(await findDaysToRoll(t.db, tenant.id, closing)).toEqual(['2026-05-04', '2026-05-05']);
    await rollupTenant(t.db, tenant.id, closing);
    expect(await findDaysToRoll(t.db, tenant.id, new Date('2026-05-04T22:25:00Z'))).toEqual([
      '2026-05-05',
    ]);
  });

  it('re-rolls days whose new leads changed after a sync, from the first rolled day on', async () => {
    const tenant = await makeTenant(t.db, { timezone: 'UTC' });
    const now = new Date();
    const today = localDay(now, 'UTC');
    const tenDaysAgo = addDays(today, -10);
    await rollupTenant(t.db, tenant.id, now);
    await backfillTenant(t.db, tenant.id, addDays(today, -20), now);
    // A sync brings leads created ten days ago and thirty days ago (before the first rolled day).
    await t.db.execute(sql`insert into sync_runs (tenant_id, trigger, status, finished_at)
      values (${tenant.id}, 'scheduled', 'success', now() + interval '1 second')`);
    await t.db.execute(sql`insert into lead_daily_counts (tenant_id, run_id, day, source, stage, leads)
      values (${tenant.id}, gen_random_uuid(), ${tenDaysAgo}::date, 'Web', 'New', 3),
             (${tenant.id}, gen_random_uuid(), ${addDays(today, -30)}::date, 'Web', 'New', 5)`);
    const days = await findDaysToRoll(t.db, tenant.id, now);
    expect(days).toContain(tenDaysAgo);
    expect(days).not.toContain(addDays(today, -30));
    await rollupTenant(t.db, tenant.id, now);
    const [row] = await t.db.execute<{ leads: number }>(sql`select leads_synced as leads
      from stats_daily where tenant_id = ${tenant.id} and day = ${tenDaysAgo}::date`);
    expect(row?.leads).toBe(3);
  });

  it('rolls every tenant, each only from its own rows', async () => {
    const mine = await makeTenant(t.db, { timezone: 'UTC' });
    const theirs = await makeTenant(t.db, { timezone: 'UTC' });
    const now = new Date();
    const earlier = new Date(now.getTime() - 60_000);
    await insertCalls(t.db, mine.id, await makeCallCampaign(t.db, mine), [
      {
        status: 'completed',
        outcome: 'completed',
        dialledAt: earlier,
        finishedAt: earlier,
        durationSeconds: 10,
      },
    ]);
    await insertCalls(t.db, theirs.id, await makeCallCampaign(t.db, theirs), [
      { status: 'failed', outcome: 'busy', dialledAt: earlier, finishedAt: earlier },
      { status: 'failed', outcome: 'busy', dialledAt: earlier, finishedAt: earlier },
    ]);
    const summary = await rollupAllTenants(t.db, now);
    expect(summary.failed).toBe(0);
    const [a, b] = await Promise.all([
      getDashboardStats(t.db, mine.id, 'today', now),
      getDashboardStats(t.db, theirs.id, 'today', now),
    ]);
    expect(a.current).toMatchObject({
      callsPlaced: 1,
      callsConnected: 1,
      connectRate: 1,
      talkSeconds: 10,
    });
    expect(b.current).toMatchObject({ callsPlaced: 2, callsConnected: 0, connectRate: 0 });
    // As the app role, one tenant's transaction sees none of the other's rows.
    const seen = await withTenant(t.db, mine.id, (tx) =>
      tx.execute<{ n: number }>(
        sql`select count(*)::int as n from stats_daily where tenant_id = ${theirs.id}`,
      ),
    );
    expect(seen[0]?.n).toBe(0);
  });
});

describe('toRanges', () => {
  it('folds consecutive days into one range each', () => {
    expect(
      toRanges(['2026-02-27', '2026-03-01', '2026-02-28', '2026-03-03', '2026-03-03']),
    ).toEqual([
      { from: '2026-02-27', to: '2026-03-01' },
      { from: '2026-03-03', to: '2026-03-03' },
    ]);
    expect(toRanges([])).toEqual([]);
  });
});
