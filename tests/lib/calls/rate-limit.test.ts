/**
 * Provider API rate limits (issue 6 §4): one token bucket per provider key in
 * Postgres (provider_rate_buckets, drizzle/0008), shared by every dispatcher.
 * Fake clocks throughout: the bucket only ever sees the `p_now` it is given.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runDispatchCycle } from '../../../src/lib/calls/dispatch/cycle';
import type { ProviderResolver } from '../../../src/lib/calls/dispatch/dial';
import { createProviderRegistry } from '../../../src/lib/calls/provider-registry';
import type { CallProvider, PlaceCallResult } from '../../../src/lib/calls/providers/types';
import {
  recordProviderOutcome,
  takeProviderTokens,
} from '../../../src/lib/calls/rate-limit/buckets';
import { bolnaKeyId, SIMULATOR_KEY_ID } from '../../../src/lib/calls/rate-limit/keys';
import { RATE_LIMITS } from '../../../src/lib/calls/rate-limit/policy';
import { connectDatabase, type Database, type DatabaseHandle } from '../../../src/lib/db/client';
import { campaignErrorLogs, tenantCallSettings } from '../../../src/lib/db/schema';
import { withTenant } from '../../../src/lib/db/tenant';
import { generateSecretsKey, sealSecret } from '../../../src/lib/secrets/seal';
import { makeTenant } from '../../factories';
import {
  idleCallSystem,
  makeCallerCampaign,
  manualProvider,
  queueRowsOf,
  setSystemCallLimit,
  slotsInFlight,
} from '../../factories/campaigns';
import { useAppRoleDatabase } from '../../helpers/app-role';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase({ max: 8 });
const app = useAppRoleDatabase(t);
const T0 = new Date('2026-06-10T12:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

/** Two dispatcher processes: a pool each. */
const pools: DatabaseHandle[] = [];
beforeAll(() => {
  for (let i = 0; i < 2; i++) pools.push(connectDatabase(t.url, { max: 3 }));
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

const newKey = () => `test:${randomUUID()}`;

/** 1 token = 60,000,000 units; r tokens a minute = r units a microsecond (as in the SQL). */
const UNIT = 60_000_000;

/** The bucket, exactly, in JavaScript: what one serialised taker after another gets. */
function modelBucket(ratePerMinute: number, burst: number) {
  let units = burst * UNIT;
  let refilledAt = Number.NEGATIVE_INFINITY;
  return {
    take(nowMs: number, want: number) {
      if (want <= 0) return 0;
      if (refilledAt === Number.NEGATIVE_INFINITY) refilledAt = nowMs; // created full
      if (nowMs > refilledAt) {
        units = Math.min(burst * UNIT, units + (nowMs - refilledAt) * 1000 * ratePerMinute);
        refilledAt = nowMs;
      }
      const granted = Math.min(want, Math.floor(units / UNIT));
      units -= granted * UNIT;
      return granted;
    },
  };
}

/** The most granted within any closed 60-second window. */
function busiestMinute(grants: { at: number; n: number }[]): number {
  let most = 0;
  for (const start of grants) {
    const inWindow = grants
      .filter((g) => g.at >= start.at && g.at <= start.at + 60_000)
      .reduce((sum, g) => sum + g.n, 0);
    most = Math.max(most, inWindow);
  }
  return most;
}

/** The bucket's row, its instants in microseconds after T0. */
async function bucketOf(key: string) {
  const [row] = await t.sql<{ units: string; refilled: string; deferred: string | null }[]>`
    select token_units as units,
           (extract(epoch from refilled_at - ${T0.toISOString()}::timestamptz) * 1e6)::bigint
             as refilled,
           (extract(epoch from deferred_until - ${T0.toISOString()}::timestamptz) * 1e6)::bigint
             as deferred
    from provider_rate_buckets where key = ${key}`;
  return {
    units: Number(row?.units),
    refilledUs: Number(row?.refilled),
    deferredUs: row?.deferred == null ? null : Number(row.deferred),
  };
}

describe('take_provider_tokens', () => {
  it('two dispatchers taking at once get exactly what one bucket holds, and never more than rate + burst in any 60 s', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 1, max: 10 }),
        fc.array(
          fc.record({
            advanceMs: fc.oneof(
              fc.integer({ min: 0, max: 1_500 }),
              fc.integer({ min: 0, max: 70_000 }),
            ),
            a: fc.nat(6),
            b: fc.nat(6),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        async (rate, burst, steps) => {
          const key = newKey();
          const limit = { ratePerMinute: rate, burst };
          const model = modelBucket(rate, burst);
          const grants: { at: number; n: number }[] = [];
          let now = T0.getTime();
          for (const step of steps) {
            now += step.advanceMs;
            const [a, b] = await Promise.all([
              takeProviderTokens(pools[0]?.db as Database, key, limit, step.a, new Date(now)),
              takeProviderTokens(pools[1]?.db as Database, key, limit, step.b, new Date(now)),
            ]);
            expect(a).toBeGreaterThanOrEqual(0);
            expect(a).toBeLessThanOrEqual(step.a);
            expect(b).toBeGreaterThanOrEqual(0);
            expect(b).toBeLessThanOrEqual(step.b);
            // Whichever dispatcher the row lock lets in first, together they get what the bucket had.
            expect(a + b).toBe(model.take(now, step.a + step.b));
            grants.push({ at: now, n: a + b });
          }
          expect(busiestMinute(grants)).toBeLessThanOrEqual(rate + burst);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('many takers hammering one bucket at one instant share exactly its burst', async () => {
    const key = newKey();
    const limit = { ratePerMinute: 500, burst: 37 };
    const takes = Array.from({ length: 30 }, (_, i) =>
      takeProviderTokens(pools[i % 2]?.db as Database, key, limit, 3, T0),
    );
    const granted = await Promise.all(takes);
    expect(granted.reduce((a, b) => a + b, 0)).toBe(37);
  });

  it('refills by elapsed time, exactly, up to the burst, also after a long idle spell', async () => {
    const key = newKey();
    const limit = { ratePerMinute: 3, burst: 2 }; // a token every 20 s
    expect(await takeProviderTokens(t.db, key, limit, 5, T0)).toBe(2);
    expect(await takeProviderTokens(t.db, key, limit, 5, at(19_999))).toBe(0);
    expect(await takeProviderTokens(t.db, key, limit, 5, at(20_000))).toBe(1);
    // Three 1/3-token refills make exactly one token: no rounding loses it.
    for (const ms of [26_667, 33_333]) {
      expect(await takeProviderTokens(t.db, key, limit, 5, at(ms))).toBe(0);
    }
    expect(await takeProviderTokens(t.db, key, limit, 5, at(40_000))).toBe(1);
    const tenYears = 10 * 365 * 24 * 3_600_000;
    const fast = { ratePerMinute: 600_000, burst: 10_000 };
    expect(await takeProviderTokens(t.db, key, fast, 20_000, at(tenYears))).toBe(10_000);
  });

  it('a clock behind the bucket’s refills nothing (never a token from the past)', async () => {
    const key = newKey();
    const limit = { ratePerMinute: 60, burst: 1 };
    expect(await takeProviderTokens(t.db, key, limit, 1, at(10_000))).toBe(1);
    expect(await takeProviderTokens(t.db, key, limit, 1, at(5_000))).toBe(0);
    expect(await takeProviderTokens(t.db, key, limit, 1, at(10_999))).toBe(0);
    expect(await takeProviderTokens(t.db, key, limit, 1, at(11_000))).toBe(1);
  });

  it('the restricted app role can take tokens (SECURITY DEFINER), so the worker needs no extra grant', async () => {
    const key = newKey();
    const limit = { ratePerMinute: 60, burst: 4 };
    expect(await takeProviderTokens(app.db, key, limit, 3, T0)).toBe(3);
    expect(await takeProviderTokens(t.db, key, limit, 3, T0)).toBe(1);
  });

  it('Bolna’s budget stays within its 500 /call requests a minute per key', () => {
    expect(RATE_LIMITS.bolna.ratePerMinute + RATE_LIMITS.bolna.burst).toBeLessThanOrEqual(500);
  });
});

describe('a provider 429', () => {
  it('empties the bucket and stops its refill for Retry-After', async () => {
    const key = newKey();
    const limit = { ratePerMinute: 60, burst: 5 }; // a token a second
    expect(await takeProviderTokens(t.db, key, limit, 1, T0)).toBe(1);
    await recordProviderOutcome(t.db, key, { kind: 'rate_limited', retryAfterMs: 10_000 }, T0);
    expect(await takeProviderTokens(t.db, key, limit, 5, at(1)), 'drained').toBe(0);
    expect(await takeProviderTokens(t.db, key, limit, 5, at(10_000))).toBe(0);
    expect(await takeProviderTokens(t.db, key, limit, 5, at(10_999))).toBe(0);
    expect(await takeProviderTokens(t.db, key, limit, 5, at(11_000)), 'refilling again').toBe(1);
    // A shorter Retry-After never shortens a pause already in force.
    await recordProviderOutcome(
      t.db,
      key,
      { kind: 'rate_limited', retryAfterMs: 30_000 },
      at(11_000),
    );
    await recordProviderOutcome(
      t.db,
      key,
      { kind: 'rate_limited', retryAfterMs: 1_000 },
      at(12_000),
    );
    expect(await bucketOf(key)).toMatchObject({ units: 0, refilledUs: 41_000_000 });
  });
});

/** The manual provider behind a resolver that names the key it dials with. */
function keyed(provider: CallProvider, keyId: string): ProviderResolver {
  return Object.assign(async () => provider, { keyIdOf: async () => keyId });
}

function setup(n: number, limit: number) {
  return makeCallerCampaign(t.db, {
    contacts: n,
    limit,
    at: T0,
    campaign: { provider: 'bolna', maxAttempts: 2 },
  });
}

const rowsOf = (tenantId: string, campaignId: string) => queueRowsOf(t.db, tenantId, campaignId);

describe('the dialler', () => {
  beforeEach(async () => {
    await idleCallSystem(t.db);
    await setSystemCallLimit(t.db, 100);
  });

  it('takes tokens for the claimed batch at once; calls without one go back to the queue, attempt not spent, slot freed, one token apart', async () => {
    const { tenant, user, campaign } = await setup(5, 5);
    const key = newKey();
    // The key has 2 tokens left at T0.
    await t.sql`insert into provider_rate_buckets (key, token_units, refilled_at)
                values (${key}, ${2 * UNIT}, ${T0.toISOString()}::timestamptz)`;
    let placed = 0;
    const manual = manualProvider(() => {
      placed += 1;
      return { ok: true, executionId: `rl-${randomUUID()}` };
    });
    const resolver = keyed(manual.provider, key);
    const cycle = (now: Date) =>
      runDispatchCycle({ db: t.db, sql: t.sql, providerFor: resolver, now: () => now });

    expect(await cycle(T0)).toMatchObject({ claimed: 5, dialled: 2, deferred: 3, failed: 0 });
    expect(placed).toBe(2);
    expect((await slotsInFlight(t.db))[user.id]).toBe(2);
    const rows = await rowsOf(tenant.id, campaign.id);
    const waiting = rows.filter((r) => r.status === 'queued');
    expect(waiting).toHaveLength(3);
    for (const row of waiting) expect(row).toMatchObject({ attempt: 0, outcome: 'rate_limited' });
    // Each waits for a token of its own: Bolna's 450 a minute is one every 133⅓ ms
    // (the first at 133.334 ms, read as 133 in milliseconds; the next ones rounded up).
    const times = waiting.map((r) => r.scheduledAt.getTime() - T0.getTime()).sort((a, b) => a - b);
    expect(times).toEqual([133, 267, 400]);
    const errors = await withTenant(t.db, tenant.id, (tx) =>
      tx.select().from(campaignErrorLogs).where(eq(campaignErrorLogs.campaignId, campaign.id)),
    );
    expect(errors, 'waiting for a token is no failed attempt').toEqual([]);

    // Before their time nothing is claimed; a second later the bucket has refilled.
    expect(await cycle(at(100))).toMatchObject({ claimed: 0 });
    expect(await cycle(at(1_000))).toMatchObject({ claimed: 3, dialled: 3, deferred: 0 });
    expect(placed).toBe(5);
    const after = await rowsOf(tenant.id, campaign.id);
    expect(after.map((r) => [r.status, r.attempt])).toEqual(
      Array.from({ length: 5 }, () => ['in_progress', 1]),
    );
  });

  it('a batch that finds the bucket empty lines up behind the calls already waiting', async () => {
    const { user } = await setup(6, 3);
    const key = newKey();
    await t.sql`insert into provider_rate_buckets (key, token_units, refilled_at)
                values (${key}, 0, ${T0.toISOString()}::timestamptz)`;
    const manual = manualProvider();
    const cycle = (now: Date) =>
      runDispatchCycle({
        db: t.db,
        sql: t.sql,
        providerFor: keyed(manual.provider, key),
        now: () => now,
      });
    expect(await cycle(T0)).toMatchObject({ claimed: 3, deferred: 3 });
    // Promised: the tokens at 133.334 ms, then 2 × 133.333 ms later.
    const first = (await bucketOf(key)).deferredUs ?? 0;
    expect(first).toBe(400_000);
    expect((await slotsInFlight(t.db))[user.id]).toBe(0);
    expect(await cycle(T0)).toMatchObject({ claimed: 3, deferred: 3 });
    // The next three tokens, not the same ones again.
    const second = (await bucketOf(key)).deferredUs ?? 0;
    expect(second - first).toBeGreaterThanOrEqual(399_999);
    expect(second - first).toBeLessThanOrEqual(400_001);
    expect(manual.dialled).toEqual([]);
  });

  it('a 429 is no failed attempt, and drains the key for Retry-After: no call goes out before it', async () => {
    const { tenant, campaign } = await setup(4, 2);
    const key = newKey();
    let placed = 0;
    const manual = manualProvider((): PlaceCallResult => {
      placed += 1;
      return placed === 1
        ? { ok: false, failure: 'rate_limited', message: 'slow down', retryAfterMs: 20_000 }
        : { ok: true, executionId: `rl-${randomUUID()}` };
    });
    const resolver = keyed(manual.provider, key);
    const cycle = (now: Date) =>
      runDispatchCycle({ db: t.db, sql: t.sql, providerFor: resolver, now: () => now });

    // Both calls of the first batch had their token before the 429 came back.
    expect(await cycle(T0)).toMatchObject({ claimed: 2, dialled: 1, retried: 1 });
    const limited = (await rowsOf(tenant.id, campaign.id)).find(
      (r) => r.outcome === 'rate_limited',
    );
    expect(limited).toMatchObject({ status: 'queued', attempt: 0 });
    expect(limited?.scheduledAt.toISOString()).toBe(at(20_000).toISOString());

    expect(await cycle(at(1_000))).toMatchObject({ claimed: 1, dialled: 0, deferred: 1 });
    expect(await cycle(at(19_999))).toMatchObject({ dialled: 0 });
    expect(placed).toBe(2);
    const rows = await rowsOf(tenant.id, campaign.id);
    expect(rows.filter((r) => r.status === 'queued').every((r) => r.attempt === 0)).toBe(true);
    const held = rows.find(
      (r) => r.status === 'queued' && r.outcome === 'rate_limited' && r.scheduledAt > at(20_000),
    );
    expect(held, 'held until a token after the pause').toBeDefined();
    const errors = await withTenant(t.db, tenant.id, (tx) =>
      tx.select().from(campaignErrorLogs).where(eq(campaignErrorLogs.campaignId, campaign.id)),
    );
    expect(errors.map((e) => e.category)).toEqual(['rate_limited']);
  });
});

describe('the registry’s keys', () => {
  it('name a Bolna key by its SHA-256, shared by tenants on the deployment key, and the simulator by a fixed name', async () => {
    const secretsKey = generateSecretsKey();
    const deploymentKey = `bn-deploy-${randomBytes(8).toString('hex')}`;
    const ownKey = `bn-own-${randomBytes(8).toString('hex')}`;
    const [a, b, own] = [await makeTenant(t.db), await makeTenant(t.db), await makeTenant(t.db)];
    await withTenant(t.db, own.id, (tx) =>
      tx
        .insert(tenantCallSettings)
        .values({
          tenantId: own.id,
          bolnaApiKeySealed: sealSecret(secretsKey, ownKey),
          webhookTokenHash: randomBytes(32).toString('hex'),
        })
        .onConflictDoUpdate({
          target: tenantCallSettings.tenantId,
          set: { bolnaApiKeySealed: sealSecret(secretsKey, ownKey) },
        }),
    );
    const registry = createProviderRegistry(t.db, {
      secretsKey,
      bolnaApiKey: deploymentKey,
      bolnaApiUrl: 'https://api.bolna.invalid',
    });
    try {
      const idA = await registry.keyIdOf(a.id, 'bolna');
      expect(idA).toBe(bolnaKeyId(deploymentKey));
      expect(idA).toMatch(/^bolna:[0-9a-f]{64}$/);
      expect(idA).not.toContain(deploymentKey);
      expect(await registry.keyIdOf(b.id, 'bolna')).toBe(idA);
      expect(await registry.keyIdOf(own.id, 'bolna')).toBe(bolnaKeyId(ownKey));
      expect(await registry.keyIdOf(a.id, 'simulated')).toBe(SIMULATOR_KEY_ID);
      // The dispatcher finds it on the resolver it is given.
      expect(await registry.providerFor.keyIdOf?.(own.id, 'bolna')).toBe(bolnaKeyId(ownKey));
    } finally {
      registry.close();
    }
    const stored = await t.db.execute<{ key: string }>(sql`select key from provider_rate_buckets`);
    for (const row of stored) {
      expect(row.key).not.toContain(deploymentKey);
      expect(row.key).not.toContain(ownKey);
    }
  });
});
