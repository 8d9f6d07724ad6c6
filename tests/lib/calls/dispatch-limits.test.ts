/**
 * Checklist 12 and 17 against real PostgreSQL: several dispatcher instances,
 * each with its own connection pool, claim side by side while calls arrive and
 * end at random. The caps hold at every moment (rows in flight per user and in
 * total, sampled while the cycles run), call_slots always equals the rows in
 * flight between steps, no row is dialled twice, and every row ends in exactly
 * one final state with the campaign counters equal to the counts by status.
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import postgres from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { claimDueCalls } from '../../../src/lib/calls/dispatch/claim';
import { DEFAULT_CLAIM, runDispatchCycle } from '../../../src/lib/calls/dispatch/cycle';
import { callRefOf } from '../../../src/lib/calls/dispatch/dial';
import { recoverCalls } from '../../../src/lib/calls/dispatch/recover';
import type {
  CallProvider,
  ExecutionSnapshot,
  PlaceCallInput,
} from '../../../src/lib/calls/providers/types';
import { recordCallEvent } from '../../../src/lib/calls/record-call-event';
import { cancelCampaign } from '../../../src/lib/campaigns/cancel-campaign';
import { pauseCampaign } from '../../../src/lib/campaigns/pause-campaign';
import { resumeCampaign } from '../../../src/lib/campaigns/resume-campaign';
import { connectDatabase, type DatabaseHandle } from '../../../src/lib/db/client';
import type { PublicTenant } from '../../../src/lib/tenants/schemas';
import { makeTenant } from '../../factories';
import {
  idleCallSystem,
  makeCaller,
  makeCampaign,
  setSystemCallLimit,
  slotsInFlight,
} from '../../factories/campaigns';
import { makeContacts, uniquePhone } from '../../factories/contacts';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase({ max: 8 });
const T0 = new Date('2026-06-10T01:00:00Z');

/** Three dispatcher "instances": a pool each, as three worker processes would have. */
const instances: DatabaseHandle[] = [];
beforeAll(() => {
  for (let i = 0; i < 3; i++) instances.push(connectDatabase(t.url, { max: 3 }));
});
afterAll(async () => {
  await Promise.all(instances.map((i) => i.close()));
});

/**
 * A provider shared by every instance that holds each call open until the
 * test ends it, and remembers every dial: the calls live at the provider per
 * user (its high-water marks) and each callRef, which must never repeat.
 */
function heldProvider(userOfPhone: Map<string, string>) {
  const refs: string[] = [];
  const byRef = new Map<string, string>();
  const live = new Map<string, { userId: string; tenantId: string }>();
  const peak = { total: 0, perUser: new Map<string, number>() };
  let n = 0;
  const liveOf = (userId: string) => [...live.values()].filter((c) => c.userId === userId).length;
  const provider: CallProvider = {
    name: 'simulated',
    async placeCall(input: PlaceCallInput) {
      refs.push(input.callRef);
      const executionId = `held-${++n}-${Math.random().toString(36).slice(2, 8)}`;
      byRef.set(input.callRef, executionId);
      const userId = userOfPhone.get(input.to) ?? '?';
      live.set(executionId, { userId, tenantId: input.callRef.split(':')[0] ?? '' });
      peak.total = Math.max(peak.total, live.size);
      peak.perUser.set(userId, Math.max(peak.perUser.get(userId) ?? 0, liveOf(userId)));
      return { ok: true, executionId };
    },
    getExecution: async (id) => ({ ok: true, execution: snapshot(id) }),
    findExecutionByRef: async (_agent, ref) => ({ ok: true, execution: snapshot(byRef.get(ref)) }),
    stopCall: async () => ({ ok: true }),
  };
  /** What the provider knows of an execution: ringing while held, else completed. */
  const snapshot = (id: string | undefined): ExecutionSnapshot | null =>
    id && [...byRef.values()].includes(id)
      ? {
          executionId: id,
          status: live.has(id) ? 'in-progress' : 'completed',
          durationSeconds: 5,
          raw: {},
        }
      : null;
  return { refs, live, peak, provider, providerFor: async () => provider };
}

type Held = ReturnType<typeof heldProvider>;

/** Ends a live call at the provider, then delivers its final webhook (sometimes twice). */
async function end(held: Held, executionId: string, status: string, now: Date, twice = false) {
  const call = held.live.get(executionId);
  if (!call) return;
  held.live.delete(executionId);
  const deliver = () =>
    recordCallEvent(t.db, call.tenantId, 'bolna', { id: executionId, status }, now);
  await (twice ? Promise.all([deliver(), deliver()]) : deliver());
}

/** `count` dispatcher instances run one cycle each, at the same time, at `now`. */
function concurrentCycles(held: Held, count: number, now: Date) {
  return Promise.all(
    instances.slice(0, count).map((i) =>
      runDispatchCycle(
        { db: i.db, sql: i.sql, providerFor: held.providerFor, now: () => now },
        { ...DEFAULT_CLAIM, max: 2 }, // small claims: more interleaving between instances
      ),
    ),
  );
}

/** Rows holding a slot (dispatching or in progress), per user, straight from the table. */
async function rowsInFlight(): Promise<Record<string, number>> {
  const rows = await t.db.execute<{ user_id: string; n: number }>(sql`
    select user_id, count(*)::int as n from call_queue
    where status in ('dispatching', 'in_progress') group by user_id`);
  return Object.fromEntries(rows.map((r) => [r.user_id, Number(r.n)]));
}

interface Limits {
  system: number;
  users: Map<string, number>;
}

function assertWithinLimits(flight: Record<string, number>, limits: Limits) {
  const total = Object.values(flight).reduce((a, b) => a + b, 0);
  expect(total).toBeLessThanOrEqual(limits.system);
  for (const [userId, limit] of limits.users) {
    expect(flight[userId] ?? 0).toBeLessThanOrEqual(limit);
  }
}

/** Between steps nothing is half-done: the slots are exactly the rows in flight. */
async function assertSlotsMatchRows(limits: Limits) {
  const flight = await rowsInFlight();
  assertWithinLimits(flight, limits);
  const slots = await slotsInFlight(t.db);
  for (const userId of limits.users.keys()) expect(slots[userId] ?? 0).toBe(flight[userId] ?? 0);
  expect(slots.system ?? 0).toBe(Object.values(flight).reduce((a, b) => a + b, 0));
}

/** Samples the rows in flight while `work` runs: the caps must hold at every moment, not just between steps. */
async function sampledWhile<T>(limits: Limits, work: Promise<T>): Promise<T> {
  let done = false;
  const sampler = (async () => {
    while (!done) {
      assertWithinLimits(await rowsInFlight(), limits);
      await new Promise((r) => setTimeout(r, 1));
    }
  })();
  try {
    return await work;
  } finally {
    done = true;
    await sampler;
  }
}

/** Every row in one final state; counters = counts by status, campaign by campaign (checklist 17). */
async function assertCountersMatchRows(campaignIds: string[]) {
  const rows = await t.db.execute<Record<string, number | string>>(sql`
    select k.id, k.status, k.finished_at, k.total_calls, k.queued_calls, k.active_calls, k.completed_calls,
           k.failed_calls, k.cancelled_calls, k.skipped_calls,
           count(q.id)::int as total,
           count(q.id) filter (where q.status = 'queued')::int as queued,
           count(q.id) filter (where q.status in ('dispatching', 'in_progress'))::int as active,
           count(q.id) filter (where q.status = 'completed')::int as completed,
           count(q.id) filter (where q.status = 'failed')::int as failed,
           count(q.id) filter (where q.status = 'cancelled')::int as cancelled,
           count(q.id) filter (where q.status = 'skipped')::int as skipped
    from call_campaigns k left join call_queue q on q.tenant_id = k.tenant_id and q.campaign_id = k.id
    where k.id = any(${`{${campaignIds.join(',')}}`}::uuid[])
    group by k.tenant_id, k.id`);
  expect(rows).toHaveLength(campaignIds.length);
  for (const r of rows) {
    expect({
      total: r.total_calls,
      queued: r.queued_calls,
      active: r.active_calls,
      completed: r.completed_calls,
      failed: r.failed_calls,
      cancelled: r.cancelled_calls,
      skipped: r.skipped_calls,
    }).toEqual({
      total: r.total,
      queued: r.queued,
      active: r.active,
      completed: r.completed,
      failed: r.failed,
      cancelled: r.cancelled,
      skipped: r.skipped,
    });
  }
  return rows;
}

async function callers(tenant: PublicTenant, limits: number[], userOfPhone: Map<string, string>) {
  const users = [];
  for (const limit of limits) users.push({ user: await makeCaller(t.db, tenant, limit), limit });
  return {
    users,
    /** A campaign of `n` new contacts for `user`, created at `now`. */
    arrive: async (userId: string, n: number, now: Date) => {
      const people = await makeContacts(
        t.db,
        tenant.id,
        Array.from({ length: n }, (_, i) => ({ name: `P${i}`, phoneE164: uniquePhone() })),
      );
      for (const p of people) userOfPhone.set(p.phoneE164, userId);
      const campaign = await makeCampaign(
        t.db,
        tenant.id,
        userId,
        {
          contacts: { ids: people.map((p) => p.id) },
          useContactTimezone: false,
          maxAttempts: 2,
          retryDelayMinutes: 1,
        },
        now,
      );
      return campaign.id;
    },
  };
}

describe('caps across dispatcher instances (checklist 12)', () => {
  beforeEach(() => idleCallSystem(t.db));

  it('3 instances, system limit 3, users A and B limited to 2 with 5 queued each: 3 calls, 2 + 1, never more', async () => {
    await setSystemCallLimit(t.db, 3);
    const userOfPhone = new Map<string, string>();
    const tenant = await makeTenant(t.db);
    const { users, arrive } = await callers(tenant, [2, 2], userOfPhone);
    const [a, b] = users.map((u) => u.user.id) as [string, string];
    const campaigns = [await arrive(a, 5, T0), await arrive(b, 5, T0)];
    const limits: Limits = {
      system: 3,
      users: new Map([
        [a, 2],
        [b, 2],
      ]),
    };
    const held = heldProvider(userOfPhone);

    const summaries = await sampledWhile(limits, concurrentCycles(held, 3, T0));
    expect(summaries.reduce((s, c) => s + c.dialled, 0)).toBe(3);
    const flight = await rowsInFlight();
    expect([flight[a], flight[b]].sort()).toEqual([1, 2]);
    await assertSlotsMatchRows(limits);

    // Held open: more cycles claim nothing.
    await sampledWhile(limits, concurrentCycles(held, 3, T0));
    expect(held.refs).toHaveLength(3);

    // Calls end one by one; the instances keep within the caps until all ten are done.
    let now = T0;
    while (held.live.size > 0) {
      now = new Date(now.getTime() + 1000);
      const [next] = held.live.keys();
      await end(held, next ?? '', 'completed', now);
      await sampledWhile(limits, concurrentCycles(held, 3, now));
      await assertSlotsMatchRows(limits);
    }
    expect(held.peak.total).toBe(3);
    expect(held.peak.perUser.get(a)).toBe(2);
    expect(held.peak.perUser.get(b)).toBe(2);
    expect(new Set(held.refs).size).toBe(10);
    const rows = await assertCountersMatchRows(campaigns);
    expect(rows.map((r) => [r.status, r.completed_calls])).toEqual([
      ['completed', 5],
      ['completed', 5],
    ]);
  });

  it('random arrivals, ends, crashes, pauses and cancels with 2–3 concurrent instances never exceed a cap, never dial a row twice, and settle every row once (checklist 17)', async () => {
    const step = fc.oneof(
      fc.record({
        kind: fc.constant('arrive' as const),
        user: fc.nat(2),
        n: fc.integer({ min: 1, max: 4 }),
      }),
      fc.record({ kind: fc.constant('cycles' as const), count: fc.integer({ min: 2, max: 3 }) }),
      fc.record({
        kind: fc.constant('end' as const),
        pick: fc.nat(),
        status: fc.constantFrom('completed', 'completed', 'no-answer', 'busy', 'failed'),
        twice: fc.boolean(),
      }),
      // Ends and cycles at the same moment: releases race with claims.
      fc.record({
        kind: fc.constant('both' as const),
        pick: fc.nat(),
        count: fc.integer({ min: 2, max: 3 }),
      }),
      // An instance claims and dies, before or after the provider accepted the call.
      fc.record({ kind: fc.constant('crash' as const), accepted: fc.boolean() }),
      fc.record({ kind: fc.constant('recover' as const) }),
      fc.record({
        kind: fc.constantFrom('pause' as const, 'resume' as const, 'cancel' as const),
        pick: fc.nat(),
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 4 }),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 3, maxLength: 3 }),
        fc.array(step, { minLength: 5, maxLength: 25 }),
        async (systemLimit, userLimits, steps) => {
          await idleCallSystem(t.db);
          await setSystemCallLimit(t.db, systemLimit);
          const userOfPhone = new Map<string, string>();
          const tenant = await makeTenant(t.db);
          const { users, arrive } = await callers(tenant, userLimits, userOfPhone);
          const limits: Limits = {
            system: systemLimit,
            users: new Map(users.map((u) => [u.user.id, u.limit])),
          };
          const held = heldProvider(userOfPhone);
          const campaigns: string[] = [];
          let now = T0;
          const liveAt = (pick: number) => [...held.live.keys()][pick % held.live.size] ?? '';
          const actor = { type: 'user' as const, userId: users[0]?.user.id ?? '' };
          const recover = async () => {
            now = new Date(now.getTime() + 61_000); // past every lease
            await sampledWhile(
              limits,
              recoverCalls(t.db, t.sql, held.providerFor, () => now),
            );
          };

          for (const s of steps) {
            now = new Date(now.getTime() + 20_000);
            if (s.kind === 'arrive') {
              campaigns.push(await arrive(users[s.user]?.user.id ?? '', s.n, now));
            } else if (s.kind === 'cycles') {
              await sampledWhile(limits, concurrentCycles(held, s.count, now));
            } else if (s.kind === 'end' && held.live.size > 0) {
              await end(held, liveAt(s.pick), s.status, now, s.twice);
            } else if (s.kind === 'both') {
              const ending =
                held.live.size > 0 ? end(held, liveAt(s.pick), 'completed', now) : null;
              await sampledWhile(
                limits,
                Promise.all([concurrentCycles(held, s.count, now), ending]),
              );
            } else if (s.kind === 'crash') {
              const claimed = await claimDueCalls(
                instances[0]?.sql ?? t.sql,
                { ...DEFAULT_CLAIM, max: 1 },
                now,
              );
              for (const c of claimed) {
                if (!s.accepted) continue;
                const input = { agentId: c.agentId, to: c.phoneE164, from: null, userData: {} };
                await held.provider.placeCall({ ...input, callRef: callRefOf(c) });
              }
            } else if (s.kind === 'recover') {
              await recover();
            } else if (campaigns.length > 0 && 'pick' in s) {
              const id = campaigns[s.pick % campaigns.length] ?? '';
              if (s.kind === 'pause') await pauseCampaign(t.db, tenant.id, id, actor);
              if (s.kind === 'resume') await resumeCampaign(t.db, tenant.id, id, actor, now);
              if (s.kind === 'cancel') await cancelCampaign(t.db, tenant.id, id, actor);
            }
            await assertSlotsMatchRows(limits);
          }

          // Drain: resume what is paused, then keep recovering, dispatching and completing
          // (retries come due a minute later).
          for (const id of campaigns) await resumeCampaign(t.db, tenant.id, id, actor, now);
          for (let round = 0; round < 200; round++) {
            const [open] = await t.db.execute<{ n: number }>(sql`
              select count(*)::int as n from call_queue
              where campaign_id = any(${`{${campaigns.join(',')}}`}::uuid[])
                and status in ('queued', 'dispatching', 'in_progress')`);
            if (campaigns.length === 0 || open?.n === 0) break;
            await recover();
            await sampledWhile(limits, concurrentCycles(held, 3, now));
            for (const id of [...held.live.keys()]) await end(held, id, 'completed', now);
            await assertSlotsMatchRows(limits);
          }

          expect(new Set(held.refs).size).toBe(held.refs.length);
          expect(held.peak.total).toBeLessThanOrEqual(systemLimit);
          for (const [userId, limit] of limits.users) {
            expect(held.peak.perUser.get(userId) ?? 0).toBeLessThanOrEqual(limit);
          }
          if (campaigns.length === 0) return;
          const rows = await assertCountersMatchRows(campaigns);
          expect(rows.every((r) => r.status === 'completed' || r.status === 'cancelled')).toBe(
            true,
          );
          expect(rows.every((r) => r.finished_at !== null)).toBe(true);
          expect(rows.every((r) => r.queued === 0 && r.active === 0)).toBe(true);
          const slots = await slotsInFlight(t.db);
          expect(slots.system ?? 0).toBe(0);
        },
      ),
      { numRuns: 25 },
    );
  }, 60_000);
});

describe('the claim’s plan', () => {
  beforeEach(async () => {
    await idleCallSystem(t.db);
    await setSystemCallLimit(t.db, 100);
  });

  it('walks call_queue_due_idx for each user’s due rows in claim order, never sorting a campaign’s queue', async () => {
    const tenant = await makeTenant(t.db);
    const { users: callersOf, arrive } = await callers(tenant, [2, 2, 2], new Map());
    const users = callersOf.map((c) => c.user);
    const running = await arrive(users[0]?.id ?? '', 1, T0);
    const notices: string[] = [];
    // One connection of our own, to see auto_explain's plans (sent as notices).
    const own = postgres(t.url, { max: 1, onnotice: (n) => notices.push(String(n.message)) });
    try {
      await own
        .begin(async (tx) => {
          // Production-like statistics (rolled back): one running campaign with 30,000 queued
          // rows over three users, and 600 finished campaigns whose rows are all done (with
          // a join to call_campaigns, these statistics made the planner sort the whole queue).
          await tx`
            insert into call_campaigns (tenant_id, name, status, agent_id, window_days,
              window_start_minute, window_end_minute, timezone, created_by)
            select ${tenant.id}, 'old ' || g, 'completed', 'a', '{0,1,2,3,4,5,6}', 0, 1440, 'UTC',
                   ${users[0]?.id ?? ''}
            from generate_series(1, 600) g`;
          await tx`
            insert into call_queue (tenant_id, campaign_id, user_id, phone_e164, timezone,
                                    scheduled_at, status)
            select k.tenant_id, k.id, k.created_by, '+1202' || (7000000 + g), 'UTC',
                   ${T0.toISOString()}::timestamptz, 'completed'
            from call_campaigns k, generate_series(1, 50) g
            where k.tenant_id = ${tenant.id} and k.status = 'completed'`;
          for (const u of users) {
            await tx`
              insert into call_queue (tenant_id, campaign_id, user_id, phone_e164, timezone,
                                      scheduled_at, not_after)
              select ${tenant.id}, ${running}, ${u.id}, '+1202' || (6000000 + g), 'UTC',
                     ${T0.toISOString()}::timestamptz + (g || ' minutes')::interval,
                     ${T0.toISOString()}::timestamptz + (g + 600 || ' minutes')::interval
              from generate_series(1, 10000) g`;
          }
          await tx`analyze call_queue`;
          await tx`analyze call_campaigns`;
          await tx`load 'auto_explain'`;
          await tx`set local auto_explain.log_min_duration = 0`;
          await tx`set local auto_explain.log_nested_statements = on`;
          await tx`set local auto_explain.log_level = 'notice'`;
          const now = new Date(T0.getTime() + 3 * 86_400_000);
          const claimed = await tx`
            select * from claim_due_calls(100, '60 seconds', '30 seconds', ${now.toISOString()}::timestamptz)`;
          expect(claimed).toHaveLength(6); // two each: the caps hold here too
          throw new Rollback();
        })
        .catch((error: unknown) => {
          if (!(error instanceof Rollback)) throw error;
        });
    } finally {
      await own.end({ timeout: 5 });
    }
    const plan = notices.find((n) => n.includes('LockRows') && n.includes('call_queue q')) ?? '';
    expect(plan).toMatch(/Index Scan using call_queue_due_idx on call_queue q/);
    expect(plan).not.toMatch(/Sort Key: q\.scheduled_at/);
    expect(plan).not.toMatch(/call_queue_campaign_status_idx/);
  });
});

class Rollback extends Error {}
