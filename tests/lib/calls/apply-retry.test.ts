/**
 * Retrying statuses in one statement (drizzle/0016 apply_call_retry): the
 * same end as the locked TypeScript path for every mix of status, attempt,
 * limits, window, end and campaign status, and nothing written when what the
 * retry was computed from moved in between. Real PostgreSQL, fake clocks.
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { applyRetryInOneStatement } from '../../../src/lib/calls/apply-retry';
import { applyExecution } from '../../../src/lib/calls/apply-status';
import { runDispatchCycle } from '../../../src/lib/calls/dispatch/cycle';
import { BolnaExecutionPayload } from '../../../src/lib/calls/providers/statuses';
import type { BolnaStatus } from '../../../src/lib/calls/providers/types';
import { recordCallEvent } from '../../../src/lib/calls/record-call-event';
import {
  lockCallByExecution,
  lockExecutionToApplyStatus,
} from '../../../src/lib/calls/transitions';
import { getCampaign } from '../../../src/lib/campaigns/get-campaign';
import { lockCampaign } from '../../../src/lib/campaigns/internal';
import { APP_ROLE, withTenant } from '../../../src/lib/db/tenant';
import { sqlStateOf } from '../../../src/lib/log/describe-error';
import {
  idleCallSystem,
  makeCallerCampaign,
  manualProvider,
  queueRowsOf,
  setSystemCallLimit,
  slotsInFlight,
} from '../../factories/campaigns';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase({ max: 8 });
const NOON = new Date('2026-06-10T12:00:00Z'); // a Wednesday
const NINE_TO_SIX = { days: [1, 2, 3, 4, 5], startMinute: 9 * 60, endMinute: 18 * 60 };
const RETRYING: BolnaStatus[] = ['no-answer', 'busy', 'failed', 'error', 'stopped'];

interface Scenario {
  status: BolnaStatus;
  attempt: number;
  maxAttempts: number;
  retryDelayMinutes: number;
  campaignStatus: 'running' | 'scheduled' | 'paused' | 'cancelled' | 'completed';
  endInMinutes: number | null;
  receivedAt: Date;
}

/** One call dialled at noon, then put in the scenario's state straight in the tables. */
async function dialledCall(s: Scenario) {
  const { tenant, user, campaign } = await makeCallerCampaign(t.db, {
    at: NOON,
    campaign: {
      window: NINE_TO_SIX,
      timezone: 'UTC',
      useContactTimezone: false,
      maxAttempts: s.maxAttempts,
      retryDelayMinutes: s.retryDelayMinutes,
    },
  });
  const provider = manualProvider();
  await runDispatchCycle({
    db: t.db,
    sql: t.sql,
    providerFor: provider.providerFor,
    now: () => NOON,
  });
  const executionId = provider.dialled[0]?.executionId;
  if (!executionId) throw new Error('not dialled');
  const endAt =
    s.endInMinutes === null ? null : new Date(s.receivedAt.getTime() + s.endInMinutes * 60_000);
  await t.db.execute(sql`update call_queue set attempt = ${s.attempt}
    where tenant_id = ${tenant.id} and campaign_id = ${campaign.id}`);
  await t.db.execute(sql`update call_campaigns
    set status = ${s.campaignStatus}, end_at = ${endAt?.toISOString() ?? null}::timestamptz
    where tenant_id = ${tenant.id} and id = ${campaign.id}`);
  return { tenant, user, campaign, executionId };
}

/** What the webhook path did before 0016: the campaign locked, then applyExecution. */
async function applyTheLockedWay(tenantId: string, executionId: string, s: Scenario) {
  await withTenant(t.db, tenantId, async (tx) => {
    await lockExecutionToApplyStatus(tx, executionId);
    const call = await lockCallByExecution(tx, tenantId, executionId);
    const campaign = call && (await lockCampaign(tx, tenantId, call.campaignId));
    if (!call || !campaign) throw new Error('call or campaign gone');
    await applyExecution(
      tx,
      call,
      campaign,
      { status: s.status, answeredByVoicemail: false, durationSeconds: 42 },
      s.receivedAt,
    );
  });
}

/** Everything a status moves: the row, the campaign's counts and status, the user's slot. */
async function endState(c: Awaited<ReturnType<typeof dialledCall>>) {
  const [row] = await queueRowsOf(t.db, c.tenant.id, c.campaign.id);
  const campaign = await getCampaign(t.db, c.tenant.id, c.campaign.id);
  if (!row || !campaign.ok) throw new Error('gone');
  return {
    row: {
      status: row.status,
      attempt: row.attempt,
      outcome: row.outcome,
      lastError: row.lastError,
      scheduledAt: row.scheduledAt.getTime(),
      notAfter: row.notAfter?.getTime() ?? null,
      providerCallId: row.providerCallId === null,
      providerStatus: row.providerStatus,
      providerStatusRank: row.providerStatusRank,
      durationSeconds: row.durationSeconds,
      finished: row.finishedAt !== null,
    },
    campaign: {
      status: campaign.data.status,
      counts: campaign.data.counts,
      finished: campaign.data.finishedAt !== null,
    },
    slots: (await slotsInFlight(t.db))[c.user.id],
  };
}

const scenarios: fc.Arbitrary<Scenario> = fc.record({
  status: fc.constantFrom(...RETRYING),
  attempt: fc.integer({ min: 1, max: 4 }),
  maxAttempts: fc.integer({ min: 1, max: 4 }),
  retryDelayMinutes: fc.constantFrom(1, 60, 24 * 60),
  campaignStatus: fc.constantFrom('running', 'scheduled', 'paused', 'cancelled', 'completed'),
  // Before the retry's delay, inside the same window, days away, or none.
  endInMinutes: fc.constantFrom(null, 30, 180, 3 * 24 * 60),
  // Mid-window, near its close (the retry goes to the next day), a Friday (to Monday).
  receivedAt: fc.constantFrom(
    NOON,
    new Date('2026-06-10T17:30:00Z'),
    new Date('2026-06-12T17:59:00Z'),
  ),
});

describe('apply_call_retry', () => {
  beforeEach(async () => {
    await idleCallSystem(t.db);
    await setSystemCallLimit(t.db, 100);
  });

  it('ends every scenario as the locked TypeScript path does', async () => {
    await fc.assert(
      fc.asyncProperty(scenarios, async (s) => {
        const mine = await dialledCall(s);
        const theirs = await dialledCall(s);
        // The statement itself, not recordCallEvent (which falls back to the locked way).
        const body = { id: mine.executionId, status: s.status, conversation_duration: 42 };
        const answer = await applyRetryInOneStatement(
          t.db,
          mine.tenant.id,
          'simulated',
          BolnaExecutionPayload.parse(body),
          body,
          s.receivedAt,
        );
        expect(answer?.applied).toMatch(/^(retried|finished)$/);
        await applyTheLockedWay(theirs.tenant.id, theirs.executionId, s);
        expect(await endState(mine)).toEqual(await endState(theirs));
      }),
      { numRuns: 80 },
    );
  });

  it('fails whole, writing nothing, when what the retry was computed from moved; the caller reads again', async () => {
    const s: Scenario = {
      status: 'no-answer',
      attempt: 1,
      maxAttempts: 3,
      retryDelayMinutes: 60,
      campaignStatus: 'running',
      endInMinutes: null,
      receivedAt: NOON,
    };
    const c = await dialledCall(s);
    const before = await endState(c);
    const termsNow = async () => {
      const [context] = await t.db.execute<{ terms: string }>(
        sql`select terms from call_retry_context(${c.tenant.id}::uuid, ${c.executionId})`,
      );
      return context?.terms;
    };
    const read = await termsNow();
    // The campaign is edited between the caller's read and its statement.
    await t.db.execute(sql`update call_campaigns set retry_delay_minutes = 5
      where tenant_id = ${c.tenant.id} and id = ${c.campaign.id}`);
    const apply = (terms: string | undefined, attempt: number) =>
      t.db.execute(sql`
        select applied from apply_call_retry(${c.tenant.id}::uuid, 'simulated', ${c.executionId},
          'no-answer', '{}'::jsonb, 5::smallint, null, 'no_answer', ${attempt}::smallint,
          ${terms}, false, ${NOON.toISOString()}::timestamptz, null)`);
    const movedCode = (error: unknown) => sqlStateOf(error);
    expect(movedCode(await apply(read, 1).catch((e: unknown) => e))).toBe('SB409');
    // The same terms for another attempt than the row's: moved too.
    expect(movedCode(await apply(await termsNow(), 2).catch((e: unknown) => e))).toBe('SB409');
    expect(await endState(c)).toEqual(before);
    const [events] = await t.db.execute<{ n: number }>(
      sql`select count(*)::int as n from call_events where execution_id = ${c.executionId}`,
    );
    expect(events?.n).toBe(0);

    // recordCallEvent reads again and retries after the edited delay.
    const answer = await recordCallEvent(
      t.db,
      c.tenant.id,
      'simulated',
      { id: c.executionId, status: 'no-answer' },
      NOON,
    );
    expect(answer).toMatchObject({ ok: true, data: { applied: 'retried' } });
    const after = await endState(c);
    expect(after.row).toMatchObject({ status: 'queued', outcome: 'no_answer' });
    expect(after.row.scheduledAt).toBe(NOON.getTime() + 5 * 60_000);
  });

  it('keeps end_live_call to the functions that own it', async () => {
    const [row] = await t.db.execute<{ allowed: boolean }>(sql`
      select has_function_privilege(${APP_ROLE},
        'end_live_call(uuid, bigint, uuid, uuid, text, smallint, integer, text, text, text)',
        'execute') as allowed`);
    expect(row?.allowed).toBe(false);
  });

  it('stores a retrying status that beats the record of its dial, and replays answer duplicate', async () => {
    const { tenant } = await makeCallerCampaign(t.db, { at: NOON });
    const body = { id: 'exec-not-recorded-yet', status: 'busy' };
    expect(await recordCallEvent(t.db, tenant.id, 'simulated', body, NOON)).toMatchObject({
      ok: true,
      data: { duplicate: false, applied: 'stored' },
    });
    expect(await recordCallEvent(t.db, tenant.id, 'simulated', body, NOON)).toMatchObject({
      ok: true,
      data: { duplicate: true, applied: 'ignored' },
    });
  });
});
