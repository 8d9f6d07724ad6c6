/**
 * Provider webhooks applied to calls (checklist 19, 20, 26): stored once per
 * (execution, status), order-tolerant, retried or finished by outcome, and
 * never able to reach another tenant's call. Real PostgreSQL, fake clocks.
 */
import { eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { runDispatchCycle } from '../../../src/lib/calls/dispatch/cycle';
import type { BolnaStatus, CallProvider } from '../../../src/lib/calls/providers/types';
import { LOW_BALANCE, recordCallEvent } from '../../../src/lib/calls/record-call-event';
import { lockExecutionToApplyStatus } from '../../../src/lib/calls/transitions';
import { getCampaign } from '../../../src/lib/campaigns/get-campaign';
import type { CreateCampaignInput } from '../../../src/lib/campaigns/schemas';
import { callEvents, campaignAuditLogs } from '../../../src/lib/db/schema';
import { withTenant } from '../../../src/lib/db/tenant';
import { makeTenant } from '../../factories';
import {
  idleCallSystem,
  makeCallerCampaign,
  manualProvider,
  queueRowsOf,
  setSystemCallLimit,
  slotsInFlight,
} from '../../factories/campaigns';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase({ max: 12 });
const NOON = new Date('2026-06-10T12:00:00Z'); // a Wednesday
const NINE_TO_SIX = { days: [0, 1, 2, 3, 4, 5, 6], startMinute: 9 * 60, endMinute: 18 * 60 };

type Provider = ReturnType<typeof manualProvider>;

function cycle(providerFor: Provider['providerFor'], now: Date) {
  return runDispatchCycle({ db: t.db, sql: t.sql, providerFor, now: () => now });
}

function post(tenantId: string, id: string, status: BolnaStatus | string, extra = {}, now = NOON) {
  return recordCallEvent(
    t.db,
    tenantId,
    'simulated',
    { id, status, conversation_duration: 42, ...extra },
    now,
  );
}

const rowsOf = (tenantId: string, campaignId: string) => queueRowsOf(t.db, tenantId, campaignId);

async function counts(tenantId: string, campaignId: string) {
  const campaign = await getCampaign(t.db, tenantId, campaignId);
  if (!campaign.ok) throw new Error('campaign gone');
  return campaign.data;
}

/** A campaign of `contacts` contacts, and one dispatcher cycle at `at` (the user may run `limit`). */
async function dialled(
  options: {
    contacts?: number;
    limit?: number;
    at?: Date;
    campaign?: Partial<CreateCampaignInput>;
  } = {},
) {
  const at = options.at ?? NOON;
  const { tenant, user, campaign } = await makeCallerCampaign(t.db, { ...options, at });
  const provider = manualProvider();
  await cycle(provider.providerFor, at);
  return { tenant, user, campaign, provider };
}

describe('recordCallEvent: idempotency', () => {
  beforeEach(async () => {
    await idleCallSystem(t.db);
    await setSystemCallLimit(t.db, 100);
  });

  it('applies an (execution, status) once; the replay is a duplicate that changes nothing', async () => {
    const { tenant, user, campaign, provider } = await dialled();
    const executionId = provider.dialled[0]?.executionId ?? '';
    expect(await post(tenant.id, executionId, 'completed')).toEqual({
      ok: true,
      data: { duplicate: false, applied: 'finished' },
    });
    const [first] = await rowsOf(tenant.id, campaign.id);
    expect(await post(tenant.id, executionId, 'completed')).toEqual({
      ok: true,
      data: { duplicate: true, applied: 'ignored' },
    });
    const [again] = await rowsOf(tenant.id, campaign.id);
    expect(again).toEqual(first);
    expect(again).toMatchObject({ status: 'completed', outcome: 'completed', durationSeconds: 42 });
    expect((await slotsInFlight(t.db))[user.id]).toBe(0);
    expect((await counts(tenant.id, campaign.id)).counts).toMatchObject({
      completed: 1,
      active: 0,
    });
  });

  it('ten identical deliveries in parallel store one event and make one change', async () => {
    const { tenant, user, campaign, provider } = await dialled({ contacts: 2, limit: 2 });
    const executionId = provider.dialled[0]?.executionId ?? '';
    const results = await Promise.all(
      Array.from({ length: 10 }, () => post(tenant.id, executionId, 'completed')),
    );
    const data = results.map((r) => (r.ok ? r.data : null));
    expect(data.filter((d) => d?.duplicate === false)).toEqual([
      { duplicate: false, applied: 'finished' },
    ]);
    expect(data.filter((d) => d?.duplicate === true)).toHaveLength(9);
    const events = await withTenant(t.db, tenant.id, (tx) =>
      tx.select().from(callEvents).where(eq(callEvents.executionId, executionId)),
    );
    expect(events).toHaveLength(1);
    // The other call still holds its slot: the completed one was released exactly once.
    expect((await slotsInFlight(t.db))[user.id]).toBe(1);
    expect((await counts(tenant.id, campaign.id)).counts).toMatchObject({
      completed: 1,
      active: 1,
    });
  });

  it('rejects a body without an id or a known status and stores nothing', async () => {
    const tenant = await makeTenant(t.db);
    expect(await recordCallEvent(t.db, tenant.id, 'bolna', { status: 'completed' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    expect(
      await recordCallEvent(t.db, tenant.id, 'bolna', { id: 'x', status: 'weird' }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const events = await withTenant(t.db, tenant.id, (tx) => tx.select().from(callEvents));
    expect(events).toEqual([]);
  });
});

const FLOW: BolnaStatus[] = [
  'initiated',
  'ringing',
  'in-progress',
  'call-disconnected',
  'completed',
];

describe('recordCallEvent: order tolerance (checklist 20)', () => {
  beforeEach(async () => {
    await idleCallSystem(t.db);
    await setSystemCallLimit(t.db, 100);
  });

  it('call-disconnected is not final: the call keeps its slot until completed', async () => {
    const { tenant, user, campaign, provider } = await dialled();
    const executionId = provider.dialled[0]?.executionId ?? '';
    expect(await post(tenant.id, executionId, 'call-disconnected')).toMatchObject({
      ok: true,
      data: { applied: 'progress' },
    });
    const [row] = await rowsOf(tenant.id, campaign.id);
    expect(row).toMatchObject({ status: 'in_progress', providerStatus: 'call-disconnected' });
    expect((await slotsInFlight(t.db))[user.id]).toBe(1);
    expect((await counts(tenant.id, campaign.id)).status).toBe('running');
  });

  it('any order and duplication of a call’s statuses gives the same final row and one slot release', async () => {
    const deliveries = fc
      .array(fc.constantFrom(...FLOW), { maxLength: 6 })
      .chain((extra) =>
        fc.shuffledSubarray([...FLOW, ...extra], { minLength: FLOW.length + extra.length }),
      );
    await fc.assert(
      fc.asyncProperty(deliveries, fc.boolean(), async (statuses, parallel) => {
        await idleCallSystem(t.db);
        // Two calls in flight: a double release would show as the other call's slot vanishing.
        const { tenant, user, campaign, provider } = await dialled({ contacts: 2, limit: 2 });
        const [mine, other] = provider.dialled.map((d) => d.executionId);
        const deliver = (status: BolnaStatus) => post(tenant.id, mine ?? '', status);
        if (parallel) await Promise.all(statuses.map(deliver));
        else for (const status of statuses) await deliver(status);

        const rows = await rowsOf(tenant.id, campaign.id);
        const done = rows.find((r) => r.providerCallId === mine);
        expect(done).toMatchObject({
          status: 'completed',
          outcome: 'completed',
          providerStatus: 'completed',
          providerStatusRank: 5,
          durationSeconds: 42,
          attempt: 1,
          leaseExpiresAt: null,
        });
        expect(rows.find((r) => r.providerCallId === other)?.status).toBe('in_progress');
        const slots = await slotsInFlight(t.db);
        expect(slots[user.id]).toBe(1);
        expect(slots.system).toBe(1);
        expect((await counts(tenant.id, campaign.id)).counts).toMatchObject({
          total: 2,
          queued: 0,
          active: 1,
          completed: 1,
          failed: 0,
        });
        const [events] = await withTenant(t.db, tenant.id, (tx) =>
          tx.execute<{ n: number }>(
            sql`select count(*)::int as n from call_events where execution_id = ${mine ?? ''}`,
          ),
        );
        expect(events?.n).toBe(new Set(statuses).size);
      }),
      { numRuns: 25 },
    );
  });
});

describe('recordCallEvent: outcomes', () => {
  beforeEach(async () => {
    await idleCallSystem(t.db);
    await setSystemCallLimit(t.db, 100);
  });

  it('no-answer and busy requeue at the next window instant after the retry delay, then fail after max attempts', async () => {
    const at = new Date('2026-06-10T17:00:00Z');
    const { tenant, user, campaign, provider } = await dialled({
      at,
      campaign: {
        window: NINE_TO_SIX,
        timezone: 'UTC',
        useContactTimezone: false,
        maxAttempts: 3,
        retryDelayMinutes: 60,
      },
    });
    // 17:30 + 60 min is after the window closes: the next opening is 09:00 tomorrow.
    const first = provider.dialled[0]?.executionId ?? '';
    expect(
      await post(tenant.id, first, 'no-answer', {}, new Date('2026-06-10T17:30:00Z')),
    ).toMatchObject({ ok: true, data: { applied: 'retried' } });
    let [row] = await rowsOf(tenant.id, campaign.id);
    expect(row).toMatchObject({
      status: 'queued',
      attempt: 1,
      outcome: 'no_answer',
      providerCallId: null,
      providerStatusRank: 0,
    });
    expect(row?.scheduledAt.toISOString()).toBe('2026-06-11T09:00:00.000Z');
    expect(row?.notAfter?.toISOString()).toBe('2026-06-11T18:00:00.000Z');
    expect((await slotsInFlight(t.db))[user.id]).toBe(0);
    expect((await counts(tenant.id, campaign.id)).counts).toMatchObject({ queued: 1, active: 0 });

    // Not before its time; then attempt 2, busy at 09:05 → 10:05 the same day (inside the window).
    expect((await cycle(provider.providerFor, new Date('2026-06-11T08:59:00Z'))).claimed).toBe(0);
    expect((await cycle(provider.providerFor, new Date('2026-06-11T09:00:00Z'))).dialled).toBe(1);
    const second = provider.dialled[1]?.executionId ?? '';
    await post(tenant.id, second, 'busy', {}, new Date('2026-06-11T09:05:00Z'));
    [row] = await rowsOf(tenant.id, campaign.id);
    expect(row).toMatchObject({ status: 'queued', attempt: 2, outcome: 'busy' });
    expect(row?.scheduledAt.toISOString()).toBe('2026-06-11T10:05:00.000Z');

    // Attempt 3 of 3: no retry left.
    expect((await cycle(provider.providerFor, new Date('2026-06-11T10:05:00Z'))).dialled).toBe(1);
    const third = provider.dialled[2]?.executionId ?? '';
    expect(
      await post(tenant.id, third, 'no-answer', {}, new Date('2026-06-11T10:06:00Z')),
    ).toMatchObject({ ok: true, data: { applied: 'finished' } });
    [row] = await rowsOf(tenant.id, campaign.id);
    expect(row).toMatchObject({ status: 'failed', attempt: 3, outcome: 'no_answer' });
    const view = await counts(tenant.id, campaign.id);
    expect(view.status).toBe('completed');
    expect(view.counts).toMatchObject({ queued: 0, active: 0, failed: 1 });
    expect((await slotsInFlight(t.db))[user.id]).toBe(0);
  });

  it('failed is retried once, then the call fails though attempts remain', async () => {
    const { tenant, campaign, provider } = await dialled({
      campaign: { maxAttempts: 5, retryDelayMinutes: 1 },
    });
    await post(tenant.id, provider.dialled[0]?.executionId ?? '', 'failed');
    let [row] = await rowsOf(tenant.id, campaign.id);
    expect(row).toMatchObject({ status: 'queued', attempt: 1, outcome: 'failed' });
    expect(row?.scheduledAt.toISOString()).toBe('2026-06-10T12:01:00.000Z');

    const later = new Date('2026-06-10T12:01:00Z');
    expect((await cycle(provider.providerFor, later)).dialled).toBe(1);
    await post(tenant.id, provider.dialled[1]?.executionId ?? '', 'error', {}, later);
    [row] = await rowsOf(tenant.id, campaign.id);
    expect(row).toMatchObject({ status: 'failed', attempt: 2, outcome: 'failed' });
    expect((await counts(tenant.id, campaign.id)).status).toBe('completed');
  });

  it('completed with answered_by_voice_mail is a completed call with outcome voicemail', async () => {
    const { tenant, campaign, provider } = await dialled();
    await post(tenant.id, provider.dialled[0]?.executionId ?? '', 'completed', {
      answered_by_voice_mail: true,
    });
    const [row] = await rowsOf(tenant.id, campaign.id);
    expect(row).toMatchObject({ status: 'completed', outcome: 'voicemail' });
    expect((await counts(tenant.id, campaign.id)).counts.completed).toBe(1);
  });

  it('balance-low fails the call and pauses the campaign, with an audit entry', async () => {
    const { tenant, user, campaign, provider } = await dialled({ contacts: 3, limit: 1 });
    await post(tenant.id, provider.dialled[0]?.executionId ?? '', 'balance-low');
    const rows = await rowsOf(tenant.id, campaign.id);
    expect(rows.filter((r) => r.status === 'failed')).toEqual([
      expect.objectContaining({ outcome: 'balance_low' }),
    ]);
    const view = await counts(tenant.id, campaign.id);
    expect(view).toMatchObject({ status: 'paused', pausedReason: LOW_BALANCE });
    expect(view.counts).toMatchObject({ queued: 2, active: 0, failed: 1 });
    const audit = await withTenant(t.db, tenant.id, (tx) =>
      tx.select().from(campaignAuditLogs).where(eq(campaignAuditLogs.campaignId, campaign.id)),
    );
    expect(audit).toContainEqual(
      expect.objectContaining({
        action: 'pause',
        actorType: 'system',
        actorId: 'webhooks',
        details: { reason: LOW_BALANCE },
      }),
    );
    // Paused: the waiting rows are not claimed.
    expect((await cycle(provider.providerFor, NOON)).claimed).toBe(0);
    expect((await slotsInFlight(t.db))[user.id]).toBe(0);
  });
});

describe('recordCallEvent: a delivery that beats the record of the dial', () => {
  beforeEach(async () => {
    await idleCallSystem(t.db);
    await setSystemCallLimit(t.db, 100);
  });

  /** A provider that reports the call's statuses before placeCall even returns. */
  function eagerProvider(tenantId: string, statuses: BolnaStatus[]) {
    const placed: string[] = [];
    const provider: CallProvider = {
      name: 'simulated',
      async placeCall() {
        const executionId = `eager-${tenantId.slice(0, 8)}-${placed.length + 1}`;
        placed.push(executionId);
        for (const status of statuses) {
          const stored = await post(tenantId, executionId, status);
          expect(stored).toEqual({ ok: true, data: { duplicate: false, applied: 'stored' } });
        }
        return { ok: true, executionId };
      },
      getExecution: async () => ({ ok: true, execution: null }),
      findExecutionByRef: async () => ({ ok: true, execution: null }),
      stopCall: async () => ({ ok: true }),
    };
    return { placed, providerFor: async () => provider };
  }

  it('applies the stored final status when the dial is recorded', async () => {
    const { tenant, user, campaign } = await makeCallerCampaign(t.db, { limit: 2, at: NOON });
    const eager = eagerProvider(tenant.id, ['completed', 'ringing', 'initiated']);
    expect((await cycle(eager.providerFor, NOON)).dialled).toBe(1);
    const [row] = await rowsOf(tenant.id, campaign.id);
    expect(row).toMatchObject({
      status: 'completed',
      outcome: 'completed',
      providerCallId: eager.placed[0],
      providerStatus: 'completed',
      durationSeconds: 42,
    });
    expect((await slotsInFlight(t.db))[user.id]).toBe(0);
    const view = await counts(tenant.id, campaign.id);
    expect(view.status).toBe('completed');
    expect(view.counts).toMatchObject({ active: 0, completed: 1 });
  });

  it('applies stored progress and leaves the call in progress', async () => {
    const { tenant, user, campaign } = await makeCallerCampaign(t.db, { limit: 2, at: NOON });
    const eager = eagerProvider(tenant.id, ['ringing', 'initiated']);
    await cycle(eager.providerFor, NOON);
    const [row] = await rowsOf(tenant.id, campaign.id);
    expect(row).toMatchObject({ status: 'in_progress', providerStatus: 'ringing' });
    expect((await slotsInFlight(t.db))[user.id]).toBe(1);
  });

  it('a stored balance-low pauses the campaign too', async () => {
    const { tenant, campaign } = await makeCallerCampaign(t.db, { contacts: 2, at: NOON });
    const eager = eagerProvider(tenant.id, ['balance-low']);
    await cycle(eager.providerFor, NOON);
    const view = await counts(tenant.id, campaign.id);
    expect(view).toMatchObject({ status: 'paused', pausedReason: LOW_BALANCE });
    expect(view.counts).toMatchObject({ queued: 1, failed: 1, active: 0 });
  });
});

describe('apply_call_status: commit', () => {
  beforeEach(async () => {
    await idleCallSystem(t.db);
    await setSystemCallLimit(t.db, 100);
  });

  // Webhooks of one campaign take turns on its row until each commits: they commit
  // without waiting for the WAL flush (migration 0014); a status lost to a crash is
  // found again by the stale-call sweep, which asks the provider (recover.test.ts).
  it('commits its own transaction without waiting for the flush, and only its own', async () => {
    const { tenant, provider } = await dialled();
    const executionId = provider.dialled[0]?.executionId ?? '';
    const inside = await t.sql.begin(async (tx) => {
      const [applied] = await tx`
        select applied from apply_call_status(${tenant.id}::uuid, 'simulated', ${executionId},
          'completed', '{}'::jsonb, 5::smallint, 'completed', 'completed', null, 42)`;
      expect(applied?.applied).toBe('finished');
      const [setting] = await tx`select current_setting('synchronous_commit') as value`;
      return setting?.value;
    });
    expect(inside).toBe('off');
    const [outside] = await t.sql`select current_setting('synchronous_commit') as value`;
    expect(outside?.value).toBe('on');
  });

  it('and so do the statuses applied in TypeScript (retries, confirmations), for their transaction only', async () => {
    const { tenant } = await dialled();
    const inside = await withTenant(t.db, tenant.id, async (tx) => {
      await lockExecutionToApplyStatus(tx, 'exec-any');
      const [row] = await tx.execute<{ value: string }>(
        sql`select current_setting('synchronous_commit') as value`,
      );
      return row?.value;
    });
    expect(inside).toBe('off');
    const [outside] = await t.sql`select current_setting('synchronous_commit') as value`;
    expect(outside?.value).toBe('on');
  });
});

describe('recordCallEvent: tenants', () => {
  beforeEach(async () => {
    await idleCallSystem(t.db);
    await setSystemCallLimit(t.db, 100);
  });

  it('never touches another tenant’s call, even given its execution id', async () => {
    const { tenant, user, campaign, provider } = await dialled();
    const executionId = provider.dialled[0]?.executionId ?? '';
    const intruder = await makeTenant(t.db);
    expect(await post(intruder.id, executionId, 'completed')).toEqual({
      ok: true,
      data: { duplicate: false, applied: 'stored' },
    });
    expect(await post(intruder.id, executionId, 'balance-low')).toMatchObject({
      ok: true,
      data: { applied: 'stored' },
    });
    const [row] = await rowsOf(tenant.id, campaign.id);
    expect(row).toMatchObject({ status: 'in_progress', providerStatusRank: 0 });
    expect((await slotsInFlight(t.db))[user.id]).toBe(1);
    expect((await counts(tenant.id, campaign.id)).status).toBe('running');

    // The owner's own delivery of the same status is not a duplicate of the intruder's.
    expect(await post(tenant.id, executionId, 'completed')).toEqual({
      ok: true,
      data: { duplicate: false, applied: 'finished' },
    });
  });
});
