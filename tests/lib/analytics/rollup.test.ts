/**
 * The roll-up against the raw rows it summarises: for random calls, every
 * day's row equals a direct count; re-running changes nothing; days follow
 * the tenant's time zone.
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, rollupDays } from '../../../src/lib/analytics';
import { makeTenant } from '../../factories';
import { useTestDatabase } from '../../helpers/db';
import { insertCalls, localDay, makeCallCampaign, type SeedCall } from './seed-calls';

const t = useTestDatabase();
const NOW = new Date('2026-03-10T18:00:00Z');
const HOUR = 3_600_000;

/** Random rows as the dispatcher leaves them, spread over the 4 days before NOW. */
const call: fc.Arbitrary<SeedCall> = fc
  .record({
    kind: fc.constantFrom(
      'connected',
      'voicemail',
      'busy',
      'no_answer',
      'error',
      'invalid',
      'balance',
      'cancelled',
      'in_progress',
      'queued_retry',
      'skipped',
      'never_dialled_cancel',
    ),
    hoursAgo: fc.double({ min: 0, max: 96, noNaN: true }),
    duration: fc.option(fc.integer({ min: 0, max: 900 }), { nil: null }),
    attempt: fc.integer({ min: 1, max: 3 }),
  })
  .map(({ kind, hoursAgo, duration, attempt }): SeedCall => {
    const dialledAt = new Date(NOW.getTime() - hoursAgo * HOUR);
    const finishedAt = new Date(dialledAt.getTime() + 120_000);
    const done = { dialledAt, finishedAt, attempt, durationSeconds: duration };
    switch (kind) {
      case 'connected':
        return { ...done, status: 'completed', outcome: 'completed' };
      case 'voicemail':
        return { ...done, status: 'completed', outcome: 'voicemail' };
      case 'busy':
        return { ...done, status: 'failed', outcome: 'busy' };
      case 'no_answer':
        return { ...done, status: 'failed', outcome: 'no_answer' };
      case 'error':
        return { ...done, status: 'failed', outcome: 'failed' };
      case 'balance':
        return { ...done, status: 'failed', outcome: 'balance_low' };
      case 'cancelled':
        return { ...done, status: 'cancelled', outcome: 'canceled' };
      case 'in_progress':
        return { status: 'in_progress', dialledAt, attempt };
      case 'queued_retry':
        return { status: 'queued', outcome: 'busy', dialledAt, attempt };
      case 'invalid':
        return { status: 'failed', outcome: 'invalid_number', finishedAt, attempt };
      case 'skipped':
        return { status: 'skipped', outcome: 'opted_out', finishedAt, attempt: 0 };
      default:
        return { status: 'cancelled', outcome: 'campaign_cancelled', finishedAt, attempt: 0 };
    }
  });

type Figures = Record<string, number>;

/** The definitions of stats_daily (see schema/analytics.ts), counted straight from the rows. */
function directCount(calls: readonly SeedCall[], timeZone: string): Map<string, Figures> {
  const days = new Map<string, Figures>();
  for (const c of calls) {
    const placed = Boolean(c.dialledAt);
    const counted =
      ['in_progress', 'completed', 'failed', 'cancelled'].includes(c.status) &&
      (placed || c.status === 'failed');
    if (!counted) continue;
    const at = c.dialledAt ?? c.finishedAt;
    if (!at) continue;
    const day = localDay(at, timeZone);
    const f = days.get(day) ?? {};
    const add = (key: string, n = 1) => {
      f[key] = (f[key] ?? 0) + n;
    };
    if (placed) add('calls_placed');
    if (placed) add('attempts', c.attempt ?? 0);
    if (c.status === 'in_progress') add('calls_in_progress');
    if (c.status === 'completed') add('calls_completed');
    if (c.status === 'completed') add('talk_seconds', c.durationSeconds ?? 0);
    if (c.status === 'completed' && c.outcome === 'completed') add('calls_connected');
    if (c.status === 'completed' && c.outcome === 'voicemail') add('calls_voicemail');
    if (c.status === 'failed') {
      add('calls_failed');
      if (c.outcome === 'busy') add('calls_busy');
      else if (c.outcome === 'no_answer') add('calls_no_answer');
      else if (c.outcome === 'failed') add('failed_error');
      else if (c.outcome === 'invalid_number') add('failed_invalid_number');
      else add('failed_other');
    }
    if (c.status === 'cancelled') add('calls_cancelled');
    days.set(day, f);
  }
  return days;
}

const COLUMNS = [
  'calls_placed',
  'attempts',
  'calls_in_progress',
  'calls_connected',
  'calls_completed',
  'calls_voicemail',
  'calls_busy',
  'calls_no_answer',
  'calls_failed',
  'failed_error',
  'failed_invalid_number',
  'failed_other',
  'calls_cancelled',
  'talk_seconds',
] as const;

async function storedDays(tenantId: string): Promise<Map<string, Figures>> {
  const rows = await t.db.execute<Record<string, string | number>>(sql`
    select to_char(day, 'YYYY-MM-DD') as day, ${sql.raw(COLUMNS.join(', '))}
    from stats_daily where tenant_id = ${tenantId} order by day`);
  return new Map(
    rows.map((r) => [String(r.day), Object.fromEntries(COLUMNS.map((c) => [c, Number(r[c])]))]),
  );
}

function expectMatches(stored: Map<string, Figures>, expected: Map<string, Figures>) {
  for (const [day, figures] of stored) {
    const want = expected.get(day) ?? {};
    for (const column of COLUMNS)
      expect(figures[column], `${day} ${column}`).toBe(want[column] ?? 0);
  }
  for (const day of expected.keys()) expect(stored.has(day), `${day} rolled`).toBe(true);
}

describe('rollupDays', () => {
  it('equals a direct count over the raw rows, day by day, for random calls', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(call, { maxLength: 40 }),
        fc.constantFrom('UTC', 'America/New_York', 'Asia/Kolkata', 'Pacific/Auckland'),
        async (calls, timezone) => {
          const tenant = await makeTenant(t.db, { timezone });
          await insertCalls(t.db, tenant.id, await makeCallCampaign(t.db, tenant), calls);
          const today = localDay(NOW, timezone);
          const written = await rollupDays(t.db, tenant.id, addDays(today, -5), today, NOW);
          expect(written).toHaveLength(6);
          expectMatches(await storedDays(tenant.id), directCount(calls, timezone));
        },
      ),
      { numRuns: 20 },
    );
  });

  it('is idempotent: re-running a range replaces its days, never adds to them', async () => {
    const tenant = await makeTenant(t.db, { timezone: 'UTC' });
    const campaign = await makeCallCampaign(t.db, tenant);
    const calls = fc.sample(call, { numRuns: 60, seed: 7 });
    await insertCalls(t.db, tenant.id, campaign, calls);
    await rollupDays(t.db, tenant.id, '2026-03-05', '2026-03-10', NOW);
    const first = await storedDays(tenant.id);
    await rollupDays(t.db, tenant.id, '2026-03-05', '2026-03-10', NOW);
    await rollupDays(t.db, tenant.id, '2026-03-07', '2026-03-08', NOW);
    expect(await storedDays(tenant.id)).toEqual(first);
    expectMatches(first, directCount(calls, 'UTC'));
    // A row that disappears (its campaign deleted for good) is gone from its day on the next run.
    await t.db.execute(sql`delete from call_queue where tenant_id = ${tenant.id}`);
    await rollupDays(t.db, tenant.id, '2026-03-05', '2026-03-10', NOW);
    for (const figures of (await storedDays(tenant.id)).values()) {
      expect(figures.calls_placed).toBe(0);
      expect(figures.calls_failed).toBe(0);
    }
  });

  it('counts a call at 23:30 local on that local day, not on the UTC one', async () => {
    const tenant = await makeTenant(t.db, { timezone: 'America/Los_Angeles' });
    const campaign = await makeCallCampaign(t.db, tenant);
    // 23:30 in Los Angeles on 8 March 2026 (PDT since 02:00 that day) is 06:30 UTC on the 9th.
    const lateEvening = new Date('2026-03-09T06:30:00Z');
    // 00:30 local on the 8th (PST, still UTC-8) is 08:30 UTC on the 8th.
    const justAfterMidnight = new Date('2026-03-08T08:30:00Z');
    await insertCalls(t.db, tenant.id, campaign, [
      {
        status: 'completed',
        outcome: 'completed',
        dialledAt: lateEvening,
        finishedAt: lateEvening,
      },
      {
        status: 'completed',
        outcome: 'completed',
        dialledAt: justAfterMidnight,
        finishedAt: justAfterMidnight,
      },
      {
        status: 'completed',
        outcome: 'completed',
        dialledAt: new Date('2026-03-08T07:59:00Z'),
        finishedAt: new Date('2026-03-08T08:01:00Z'),
      },
    ]);
    await rollupDays(t.db, tenant.id, '2026-03-07', '2026-03-09', NOW);
    const days = await storedDays(tenant.id);
    expect(days.get('2026-03-07')?.calls_placed).toBe(1); // 23:59 on the 7th, local
    expect(days.get('2026-03-08')?.calls_placed).toBe(2);
    expect(days.get('2026-03-09')?.calls_placed).toBe(0);
  });

  it("never rolls a day after the tenant's today, and only takes the pipeline value for today", async () => {
    const tenant = await makeTenant(t.db, { timezone: 'UTC' });
    await t.db.execute(sql`insert into pipeline_stage_counts (tenant_id, run_id, stage, stage_order,
        likelihood, opportunities, total_value, weighted_value)
      values (${tenant.id}, gen_random_uuid(), 'Signed', 1, 90, 2, 1500.50, 1350)`);
    const written = await rollupDays(t.db, tenant.id, '2026-03-09', '2026-03-12', NOW);
    expect(written).toEqual(['2026-03-09', '2026-03-10']);
    const rows = await t.db.execute<{ day: string; pipeline_value: string | null }>(sql`
      select to_char(day, 'YYYY-MM-DD') as day, pipeline_value from stats_daily
      where tenant_id = ${tenant.id} order by day`);
    expect(rows.map((r) => [r.day, r.pipeline_value && Number(r.pipeline_value)])).toEqual([
      ['2026-03-09', null],
      ['2026-03-10', 1500.5],
    ]);
    // The next day, the 10th is a past day: its pipeline value stays what it was.
    await t.db.execute(
      sql`update pipeline_stage_counts set total_value = 9999 where tenant_id = ${tenant.id}`,
    );
    await rollupDays(t.db, tenant.id, '2026-03-10', '2026-03-11', new Date('2026-03-11T12:00:00Z'));
    const after = await t.db.execute<{ day: string; pipeline_value: string | null }>(sql`
      select to_char(day, 'YYYY-MM-DD') as day, pipeline_value from stats_daily
      where tenant_id = ${tenant.id} order by day`);
    expect(after.map((r) => [r.day, r.pipeline_value && Number(r.pipeline_value)])).toEqual([
      ['2026-03-09', null],
      ['2026-03-10', 1500.5],
      ['2026-03-11', 9999],
    ]);
  });
});
