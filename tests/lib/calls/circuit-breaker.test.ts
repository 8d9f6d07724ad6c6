/**
 * Checklist 26, "degrade, don't hammer": 5 consecutive 5xx/timeouts from one
 * provider key stop every dispatcher dialling with it for 30 s, then one
 * probe; its success closes the breaker, its failure opens it again. Kept in
 * Postgres (provider_rate_buckets), so dispatchers with pools of their own
 * agree. The manual provider counts every placeCall; fake clocks throughout.
 */
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CLAIM, runDispatchCycle } from '../../../src/lib/calls/dispatch/cycle';
import type { ProviderResolver } from '../../../src/lib/calls/dispatch/dial';
import type { PlaceCallResult } from '../../../src/lib/calls/providers/types';
import { recordProviderOutcome } from '../../../src/lib/calls/rate-limit/buckets';
import { BREAKER_FAILURES, BREAKER_OPEN_MS } from '../../../src/lib/calls/rate-limit/policy';
import { recordCallEvent } from '../../../src/lib/calls/record-call-event';
import { getCampaign } from '../../../src/lib/campaigns/get-campaign';
import { connectDatabase, type DatabaseHandle } from '../../../src/lib/db/client';
import { users } from '../../../src/lib/db/schema';
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
const T0 = new Date('2026-06-10T12:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

/** A second dispatcher process: a pool of its own. */
let other: DatabaseHandle;
beforeAll(() => {
  other = connectDatabase(t.url, { max: 4 });
});
afterAll(async () => {
  await other.close();
});

type Mode = 'fail' | 'ok' | 'auth' | 'invalid';

/**
 * The manual provider answering as `mode` says, counting every placeCall
 * (refused ones too), behind a resolver that names a key of its own.
 */
function flakyProvider() {
  const state = { mode: 'fail' as Mode, placed: 0 };
  const manual = manualProvider((): PlaceCallResult => {
    state.placed += 1;
    if (state.mode === 'fail') return { ok: false, failure: 'retryable', message: 'HTTP 503' };
    if (state.mode === 'auth') return { ok: false, failure: 'auth', message: 'HTTP 401' };
    if (state.mode === 'invalid')
      return { ok: false, failure: 'invalid_number', message: 'bad number' };
    return { ok: true, executionId: `cb-${randomUUID()}` };
  });
  const keyId = `test:${randomUUID()}`;
  const providerFor: ProviderResolver = Object.assign(async () => manual.provider, {
    keyIdOf: async () => keyId,
  });
  return { state, keyId, providerFor, dialled: manual.dialled };
}

function cycle(
  providerFor: ProviderResolver,
  now: Date,
  options: { db?: DatabaseHandle; max?: number } = {},
) {
  const handle = options.db ?? { db: t.db, sql: t.sql };
  return runDispatchCycle(
    { db: handle.db, sql: handle.sql, providerFor, now: () => now },
    { ...DEFAULT_CLAIM, max: options.max ?? DEFAULT_CLAIM.max },
  );
}

async function breakerOf(keyId: string) {
  const [row] = await t.db.execute<{
    failures: number;
    open_for_ms: number | null;
    probing: boolean;
  }>(sql`
    select consecutive_failures as failures,
           (extract(epoch from open_until - ${T0.toISOString()}::timestamptz) * 1000)::float8
             as open_for_ms,
           probe_started_at is not null as probing
    from provider_rate_buckets where key = ${keyId}`);
  return {
    failures: Number(row?.failures),
    /** open_until, in ms after T0 (null: closed). */
    openUntil: row?.open_for_ms == null ? null : Number(row.open_for_ms),
    probing: row?.probing ?? false,
  };
}

async function setup(n = 12, limit = 1) {
  const { tenant, user, campaign } = await makeCallerCampaign(t.db, {
    contacts: n,
    limit,
    at: T0,
    campaign: { maxAttempts: 3, retryDelayMinutes: 60 },
  });
  const setLimit = (limit: number) =>
    t.db.update(users).set({ concurrentCallsLimit: limit }).where(eq(users.id, user.id));
  return { tenant, user, campaign, setLimit };
}

const rowsOf = (tenantId: string, campaignId: string) => queueRowsOf(t.db, tenantId, campaignId);

describe('the circuit breaker', () => {
  beforeEach(async () => {
    await idleCallSystem(t.db);
    await setSystemCallLimit(t.db, 100);
  });

  it('opens after exactly 5 retryable failures in a row, holds every dispatcher off for 30 s, lets one probe through, re-opens on its failure and closes on its success', async () => {
    expect([BREAKER_FAILURES, BREAKER_OPEN_MS]).toEqual([5, 30_000]);
    const { tenant, user, campaign, setLimit } = await setup(12, 1);
    const p = flakyProvider();
    const s = 1_000;

    // Four failures: still closed, each next call is placed.
    for (let i = 1; i <= 4; i++) {
      expect(await cycle(p.providerFor, at(i * s))).toMatchObject({ claimed: 1, retried: 1 });
      expect(p.state.placed).toBe(i);
      expect(await breakerOf(p.keyId)).toMatchObject({ failures: i, openUntil: null });
    }
    // The fifth opens it, for 30 s from that failure.
    expect(await cycle(p.providerFor, at(5 * s))).toMatchObject({ retried: 1 });
    expect(p.state.placed).toBe(5);
    expect(await breakerOf(p.keyId)).toMatchObject({ failures: 5, openUntil: 5 * s + 30 * s });

    // Open: no placeCall at all, from either dispatcher; claimed calls go back,
    // attempt not spent, slot freed, to wait for the breaker.
    for (const [ms, db] of [
      [6 * s, undefined],
      [20 * s, other],
      [35 * s - 1, undefined],
    ] as const) {
      expect(await cycle(p.providerFor, at(ms), { db })).toMatchObject({
        claimed: 1,
        deferred: 1,
        dialled: 0,
        retried: 0,
      });
      expect((await slotsInFlight(t.db))[user.id]).toBe(0);
    }
    expect(p.state.placed).toBe(5);
    const held = (await rowsOf(tenant.id, campaign.id)).filter((r) => r.outcome === 'circuit_open');
    expect(held).toHaveLength(3);
    for (const row of held) {
      expect(row).toMatchObject({ status: 'queued', attempt: 0 });
      expect(row.scheduledAt.toISOString()).toBe(at(35 * s).toISOString());
    }

    // 30 s on, two dispatchers claim at once: exactly one probe goes out. It fails: open again.
    await setLimit(4);
    const [a, b] = await Promise.all([
      cycle(p.providerFor, at(35 * s), { max: 2 }),
      cycle(p.providerFor, at(35 * s), { db: other, max: 2 }),
    ]);
    expect(a.claimed + b.claimed).toBe(4);
    expect(a.retried + b.retried).toBe(1);
    expect(a.deferred + b.deferred).toBe(3);
    expect(p.state.placed).toBe(6);
    expect(await breakerOf(p.keyId)).toMatchObject({ openUntil: 65 * s, probing: false });

    for (const ms of [40 * s, 64 * s]) {
      const summary = await cycle(p.providerFor, at(ms));
      expect(summary.dialled + summary.retried).toBe(0);
    }
    expect(p.state.placed).toBe(6);

    // The next probe succeeds: closed, and dialling resumes at full width.
    p.state.mode = 'ok';
    expect(await cycle(p.providerFor, at(65 * s))).toMatchObject({ dialled: 1 });
    expect(p.state.placed).toBe(7);
    expect(await breakerOf(p.keyId)).toMatchObject({ failures: 0, openUntil: null });
    const resumed = await cycle(p.providerFor, at(70 * s));
    expect(resumed).toMatchObject({ claimed: 3, dialled: 3, deferred: 0 });
    expect(p.state.placed).toBe(10);

    // Waiting on the breaker never spent an attempt: only the 6 failed dials did.
    const rows = await rowsOf(tenant.id, campaign.id);
    expect(rows.reduce((sum, r) => sum + r.attempt, 0)).toBe(6 + 4);
  });

  it('while the probe is out, other calls with the key wait; a probe that never reports is retried after its lease', async () => {
    const { setLimit } = await setup(6, 1);
    const p = flakyProvider();
    for (let i = 0; i < 5; i++) {
      await recordProviderOutcome(t.db, p.keyId, { kind: 'failure' }, at(0));
    }
    expect(await breakerOf(p.keyId)).toMatchObject({ failures: 5, openUntil: 30_000 });
    // A dispatcher takes the probe and dies before dialling it (its lease holds the breaker).
    await t.db.execute(sql`select * from admit_provider_calls(${p.keyId}, 450, 50, 1,
      '30 seconds'::interval, ${at(30_000).toISOString()}::timestamptz)`);
    expect(await breakerOf(p.keyId)).toMatchObject({ probing: true, openUntil: 60_000 });
    await setLimit(2);
    expect(await cycle(p.providerFor, at(31_000))).toMatchObject({ claimed: 2, deferred: 2 });
    expect(p.state.placed).toBe(0);
    // The lease ran out without an answer: the next claim carries a new probe.
    p.state.mode = 'ok';
    expect(await cycle(p.providerFor, at(60_000))).toMatchObject({ dialled: 1, deferred: 1 });
    expect(await breakerOf(p.keyId)).toMatchObject({ failures: 0, openUntil: null });
  });

  it('a success in between resets the count: 4 failures, a success, 4 failures stay closed; a fifth opens it', async () => {
    const { tenant } = await setup(12, 1);
    const p = flakyProvider();
    let clock = 0;
    const next = () => {
      clock += 1_000;
      return at(clock);
    };
    for (let i = 0; i < 4; i++) await cycle(p.providerFor, next());
    p.state.mode = 'ok';
    expect(await cycle(p.providerFor, next())).toMatchObject({ dialled: 1 });
    expect(await breakerOf(p.keyId)).toMatchObject({ failures: 0, openUntil: null });
    // The call ends, freeing the user's only slot.
    const ended = await recordCallEvent(t.db, tenant.id, 'simulated', {
      id: p.dialled[0]?.executionId ?? '',
      status: 'completed',
      conversation_duration: 12,
    });
    expect(ended.ok).toBe(true);
    p.state.mode = 'fail';
    for (let i = 0; i < 4; i++) await cycle(p.providerFor, next());
    expect(p.state.placed).toBe(9);
    expect(await breakerOf(p.keyId)).toMatchObject({ failures: 4, openUntil: null });
    expect(await cycle(p.providerFor, next())).toMatchObject({ retried: 1 });
    expect(p.state.placed).toBe(10);
    expect((await breakerOf(p.keyId)).openUntil).not.toBeNull();
    expect(await cycle(p.providerFor, next())).toMatchObject({ deferred: 1, retried: 0 });
    expect(p.state.placed).toBe(10);
  });

  it('a provider that answers at all (a bad number, a refused key) breaks the run of failures', async () => {
    await setup(12, 1);
    const p = flakyProvider();
    for (let i = 1; i <= 4; i++) await cycle(p.providerFor, at(i * 1_000));
    p.state.mode = 'invalid';
    expect(await cycle(p.providerFor, at(5_000))).toMatchObject({ failed: 1 });
    expect(await breakerOf(p.keyId)).toMatchObject({ failures: 0, openUntil: null });
  });

  it('Bolna refusing the key (401/403) still pauses the campaign, and does not open the breaker', async () => {
    const { tenant, campaign } = await setup(3, 2);
    const p = flakyProvider();
    p.state.mode = 'auth';
    await cycle(p.providerFor, at(0));
    const view = await getCampaign(t.db, tenant.id, campaign.id);
    expect(view.ok && view.data.status).toBe('paused');
    expect(await breakerOf(p.keyId)).toMatchObject({ failures: 0, openUntil: null });
  });

  it('keys are independent: one key’s open breaker holds no other key’s calls', async () => {
    await setup(3, 3);
    const broken = flakyProvider();
    for (let i = 0; i < 5; i++) {
      await recordProviderOutcome(t.db, broken.keyId, { kind: 'failure' }, at(0));
    }
    const healthy = flakyProvider();
    healthy.state.mode = 'ok';
    expect(await cycle(healthy.providerFor, at(1_000))).toMatchObject({ dialled: 3 });
    expect((await breakerOf(broken.keyId)).openUntil).toBe(30_000);
  });
});
