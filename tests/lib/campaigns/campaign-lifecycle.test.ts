/**
 * A campaign's life as the dispatcher sees it: start now or later, windows that
 * cross midnight or a clock change, pause/resume/cancel between and during
 * cycles, contacts that opt out or disappear, completion, and the tenant wall.
 * Real PostgreSQL, a provider the test drives, and a fake clock (`now`).
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { claimDueCalls } from '../../../src/lib/calls/dispatch/claim';
import { DEFAULT_CLAIM, runDispatchCycle } from '../../../src/lib/calls/dispatch/cycle';
import { dialClaimed } from '../../../src/lib/calls/dispatch/dial';
import type { CallProvider } from '../../../src/lib/calls/providers/types';
import { recordCallEvent } from '../../../src/lib/calls/record-call-event';
import type { Actor } from '../../../src/lib/campaigns/audit';
import { cancelCampaign } from '../../../src/lib/campaigns/cancel-campaign';
import { deleteCampaign } from '../../../src/lib/campaigns/delete-campaign';
import { getCampaign } from '../../../src/lib/campaigns/get-campaign';
import { pauseCampaign } from '../../../src/lib/campaigns/pause-campaign';
import { resumeCampaign } from '../../../src/lib/campaigns/resume-campaign';
import type { CreateCampaignInput } from '../../../src/lib/campaigns/schemas';
import { deleteContact } from '../../../src/lib/contacts/delete-contact';
import { optOutContacts } from '../../../src/lib/contacts/opt-out-contacts';
import { callQueue, campaignAuditLogs, campaignErrorLogs } from '../../../src/lib/db/schema';
import { withTenant } from '../../../src/lib/db/tenant';
import {
  idleCallSystem,
  makeCallerCampaign,
  manualProvider,
  setSystemCallLimit,
  slotsInFlight,
} from '../../factories/campaigns';
import { uniquePhone } from '../../factories/contacts';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase({ max: 8 });
const NOON = new Date('2026-06-10T12:00:00Z'); // a Wednesday
const minutes = (from: Date, n: number) => new Date(from.getTime() + n * 60_000);

type Provider = { providerFor: ReturnType<typeof manualProvider>['providerFor'] };

function cycle(provider: Provider, now: Date) {
  return runDispatchCycle({
    db: t.db,
    sql: t.sql,
    providerFor: provider.providerFor,
    now: () => now,
  });
}

function end(tenantId: string, executionId: string, status = 'completed', now = NOON) {
  return recordCallEvent(t.db, tenantId, 'bolna', { id: executionId, status }, now);
}

async function rowsOf(tenantId: string, campaignId: string) {
  return withTenant(t.db, tenantId, (tx) =>
    tx
      .select()
      .from(callQueue)
      .where(and(eq(callQueue.tenantId, tenantId), eq(callQueue.campaignId, campaignId)))
      .orderBy(asc(callQueue.id)),
  );
}

/** Queued rows parked until a resume (scheduled at infinity, which a JS Date cannot hold). */
async function waitingForResume(tenantId: string, campaignId: string) {
  const [row] = await withTenant(t.db, tenantId, (tx) =>
    tx.execute<{ n: number }>(sql`
      select count(*)::int as n from call_queue
      where campaign_id = ${campaignId} and status = 'queued' and scheduled_at = 'infinity'`),
  );
  return row?.n;
}

async function viewOf(tenantId: string, campaignId: string) {
  const view = await getCampaign(t.db, tenantId, campaignId);
  if (!view.ok) throw new Error('campaign gone');
  return view.data;
}

/** A tenant, a caller allowed `limit` calls, `n` named contacts and a campaign of them created at `at`. */
async function setup(
  options: { n?: number; limit?: number; at?: Date; campaign?: Partial<CreateCampaignInput> } = {},
) {
  const made = await makeCallerCampaign(t.db, {
    contacts: options.n ?? 3,
    limit: options.limit,
    at: options.at ?? NOON,
    campaign: { useContactTimezone: false, ...options.campaign },
  });
  const actor: Actor = { type: 'user', userId: made.user.id };
  return { ...made, actor };
}

describe('pause and resume', () => {
  beforeEach(async () => {
    await idleCallSystem(t.db);
    await setSystemCallLimit(t.db, 100);
  });

  it('a paused campaign is skipped by the next cycle; resuming continues from now', async () => {
    const { tenant, user, actor, campaign } = await setup({ n: 3, limit: 1 });
    const provider = manualProvider();
    expect((await cycle(provider, NOON)).dialled).toBe(1);

    const paused = await pauseCampaign(t.db, tenant.id, campaign.id, actor, 'lunch');
    expect(paused).toMatchObject({ ok: true, data: { status: 'paused', pausedReason: 'lunch' } });
    await end(tenant.id, provider.dialled[0]?.executionId ?? '');
    // The call in flight finished normally; its freed slot is not used while paused.
    expect((await cycle(provider, minutes(NOON, 5))).claimed).toBe(0);
    expect(provider.dialled).toHaveLength(1);
    expect((await slotsInFlight(t.db))[user.id]).toBe(0);
    expect((await viewOf(tenant.id, campaign.id)).counts).toMatchObject({
      queued: 2,
      completed: 1,
    });

    const resumeAt = minutes(NOON, 30);
    const resumed = await resumeCampaign(t.db, tenant.id, campaign.id, actor, resumeAt);
    expect(resumed).toMatchObject({ ok: true, data: { status: 'running', pausedReason: null } });
    const waiting = (await rowsOf(tenant.id, campaign.id)).filter((r) => r.status === 'queued');
    expect(waiting.map((r) => r.scheduledAt.toISOString())).toEqual([
      resumeAt.toISOString(),
      resumeAt.toISOString(),
    ]);
    expect((await cycle(provider, resumeAt)).dialled).toBe(1);
    const audit = await withTenant(t.db, tenant.id, (tx) =>
      tx.select().from(campaignAuditLogs).where(eq(campaignAuditLogs.campaignId, campaign.id)),
    );
    expect(audit.map((a) => a.action)).toEqual(['create', 'pause', 'resume']);
  });

  it('a row claimed just before the pause is not dialled; it waits for the resume', async () => {
    const { tenant, user, actor, campaign } = await setup({ n: 1 });
    const [claimed] = await claimDueCalls(t.sql, DEFAULT_CLAIM, NOON);
    await pauseCampaign(t.db, tenant.id, campaign.id, actor);
    const provider = manualProvider();
    expect(
      await dialClaimed(t.db, provider.providerFor, claimed ?? ({} as never), () => NOON),
    ).toBe('not_dialled');
    expect(provider.dialled).toEqual([]);
    const [row] = await rowsOf(tenant.id, campaign.id);
    expect(row).toMatchObject({ status: 'queued', attempt: 0 });
    expect(await waitingForResume(tenant.id, campaign.id)).toBe(1);
    expect((await slotsInFlight(t.db))[user.id]).toBe(0);

    await resumeCampaign(t.db, tenant.id, campaign.id, { type: 'user', userId: user.id }, NOON);
    expect((await cycle(provider, NOON)).dialled).toBe(1);
  });

  it('a claim held up until little of its lease is left goes back to the queue undialled', async () => {
    const { tenant, user, campaign } = await setup({ n: 2, limit: 2 });
    const [late, inTime] = await claimDueCalls(t.sql, DEFAULT_CLAIM, NOON);
    const provider = manualProvider();
    // Lease 60 s, a provider request may take 20 s: no dial may start from 40 s on,
    // or recovery (after 60 s) could look for it while it is still in flight.
    const seconds = (n: number) => () => new Date(NOON.getTime() + n * 1000);
    expect(await dialClaimed(t.db, provider.providerFor, late ?? ({} as never), seconds(40))).toBe(
      'not_dialled',
    );
    expect(provider.dialled).toEqual([]);
    expect(
      await dialClaimed(t.db, provider.providerFor, inTime ?? ({} as never), seconds(39)),
    ).toBe('dialled');
    const rows = await rowsOf(tenant.id, campaign.id);
    expect(rows.map((r) => [r.status, r.attempt])).toEqual(
      expect.arrayContaining([
        ['queued', 0],
        ['in_progress', 1],
      ]),
    );
    expect((await slotsInFlight(t.db))[user.id]).toBe(1);
  });

  it('a call that ends unanswered while paused waits too, then is retried after the resume', async () => {
    const { tenant, actor, campaign } = await setup({ n: 1, campaign: { retryDelayMinutes: 5 } });
    const provider = manualProvider();
    await cycle(provider, NOON);
    await pauseCampaign(t.db, tenant.id, campaign.id, actor);
    await end(tenant.id, provider.dialled[0]?.executionId ?? '', 'no-answer');
    const [row] = await rowsOf(tenant.id, campaign.id);
    expect(row).toMatchObject({ status: 'queued', attempt: 1, outcome: 'no_answer' });
    expect(await waitingForResume(tenant.id, campaign.id)).toBe(1);
    expect((await cycle(provider, minutes(NOON, 10))).claimed).toBe(0);
    await resumeCampaign(t.db, tenant.id, campaign.id, actor, minutes(NOON, 20));
    expect((await cycle(provider, minutes(NOON, 20))).dialled).toBe(1);
    expect(provider.dialled.map((d) => d.callRef.split(':')[2])).toEqual(['1', '2']);
  });

  it('resuming a campaign whose last calls ended while it was paused completes it', async () => {
    const { tenant, actor, campaign } = await setup({ n: 2, limit: 2 });
    const provider = manualProvider();
    await cycle(provider, NOON);
    await pauseCampaign(t.db, tenant.id, campaign.id, actor);
    for (const d of provider.dialled) await end(tenant.id, d.executionId);
    expect((await viewOf(tenant.id, campaign.id)).status).toBe('paused');
    const resumed = await resumeCampaign(t.db, tenant.id, campaign.id, actor, minutes(NOON, 1));
    expect(resumed).toMatchObject({ ok: true, data: { status: 'completed' } });
    expect((await viewOf(tenant.id, campaign.id)).finishedAt).not.toBeNull();
  });

  it('a paused campaign that is deleted leaves no queued row behind for the window sweep', async () => {
    const { tenant, actor, campaign } = await setup({ n: 2 });
    await pauseCampaign(t.db, tenant.id, campaign.id, actor);
    expect(await deleteCampaign(t.db, tenant.id, campaign.id, actor)).toMatchObject({ ok: true });
    // At midnight UTC the all-day window's occurrence closes: the sweep reaches these rows.
    const midnight = new Date('2026-06-11T00:00:00Z');
    await cycle(manualProvider(), midnight);
    const rows = await rowsOf(tenant.id, campaign.id);
    expect(rows.map((r) => [r.status, r.outcome])).toEqual([
      ['cancelled', 'campaign_deleted'],
      ['cancelled', 'campaign_deleted'],
    ]);
    // Not returned again (a sweep that kept meeting them would stall at its batch limit).
    const [left] = await t.db.execute<{ n: number }>(
      sql`select count(*)::int as n from calls_to_reschedule('30 seconds', 500, ${midnight.toISOString()}::timestamptz)
          where campaign_id = ${campaign.id}`,
    );
    expect(left?.n).toBe(0);
  });

  it('only running or scheduled campaigns pause; only paused or draft ones resume', async () => {
    const { tenant, actor, campaign } = await setup({ n: 1 });
    expect(await resumeCampaign(t.db, tenant.id, campaign.id, actor, NOON)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    await pauseCampaign(t.db, tenant.id, campaign.id, actor);
    expect(await pauseCampaign(t.db, tenant.id, campaign.id, actor)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
  });
});

describe('cancel', () => {
  beforeEach(async () => {
    await idleCallSystem(t.db);
    await setSystemCallLimit(t.db, 100);
  });

  it('cancels every waiting call; calls already ringing finish, then the campaign is finished', async () => {
    const { tenant, user, actor, campaign } = await setup({ n: 4, limit: 2 });
    const provider = manualProvider();
    await cycle(provider, NOON);
    const cancelled = await cancelCampaign(t.db, tenant.id, campaign.id, actor);
    expect(cancelled).toMatchObject({
      ok: true,
      data: {
        status: 'cancelled',
        finishedAt: null,
        counts: { queued: 0, active: 2, cancelled: 2 },
      },
    });
    const rows = await rowsOf(tenant.id, campaign.id);
    expect(rows.filter((r) => r.status === 'queued')).toEqual([]);
    expect(rows.filter((r) => r.status === 'cancelled').map((r) => r.outcome)).toEqual([
      'campaign_cancelled',
      'campaign_cancelled',
    ]);

    expect((await cycle(provider, NOON)).claimed).toBe(0);
    await end(tenant.id, provider.dialled[0]?.executionId ?? '');
    // A retryable end of a cancelled campaign's call is not retried.
    await end(tenant.id, provider.dialled[1]?.executionId ?? '', 'no-answer');
    const view = await viewOf(tenant.id, campaign.id);
    expect(view.status).toBe('cancelled');
    expect(view.counts).toMatchObject({ queued: 0, active: 0, completed: 1, cancelled: 3 });
    expect(view.finishedAt).not.toBeNull();
    expect((await slotsInFlight(t.db))[user.id]).toBe(0);
    expect(await cancelCampaign(t.db, tenant.id, campaign.id, actor)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
  });

  it('a row claimed just before the cancel is cancelled, not dialled', async () => {
    const { tenant, user, actor, campaign } = await setup({ n: 2, limit: 1 });
    const [claimed] = await claimDueCalls(t.sql, DEFAULT_CLAIM, NOON);
    await cancelCampaign(t.db, tenant.id, campaign.id, actor);
    const provider = manualProvider();
    await dialClaimed(t.db, provider.providerFor, claimed ?? ({} as never), () => NOON);
    expect(provider.dialled).toEqual([]);
    expect((await rowsOf(tenant.id, campaign.id)).map((r) => r.status)).toEqual([
      'cancelled',
      'cancelled',
    ]);
    const view = await viewOf(tenant.id, campaign.id);
    expect(view.counts).toMatchObject({ queued: 0, active: 0, cancelled: 2 });
    expect(view.finishedAt).not.toBeNull();
    expect((await slotsInFlight(t.db))[user.id]).toBe(0);
  });

  it('a dial refused (retryable) after the campaign was cancelled meanwhile is cancelled, not queued again', async () => {
    const { tenant, actor, campaign } = await setup({ n: 1 });
    const provider: CallProvider = {
      ...manualProvider().provider,
      async placeCall() {
        // The user cancels while the provider is still answering.
        await cancelCampaign(t.db, tenant.id, campaign.id, actor);
        return { ok: false, failure: 'retryable', message: 'upstream 503' };
      },
    };
    expect((await cycle({ providerFor: async () => provider }, NOON)).retried).toBe(0);
    const [row] = await rowsOf(tenant.id, campaign.id);
    expect(row).toMatchObject({ status: 'cancelled' });
    const view = await viewOf(tenant.id, campaign.id);
    expect(view.counts).toMatchObject({ queued: 0, active: 0, cancelled: 1 });
    expect(view.finishedAt).not.toBeNull();
  });
});

describe('contacts', () => {
  beforeEach(async () => {
    await idleCallSystem(t.db);
    await setSystemCallLimit(t.db, 100);
  });

  it('opted-out contacts become skipped rows with outcome opted_out and are never dialled', async () => {
    const { tenant, people, campaign } = await makeCallerCampaign(t.db, {
      contacts: [
        { name: 'In', phoneE164: uniquePhone() },
        { name: 'Out', phoneE164: uniquePhone(), optedOutAt: new Date('2026-01-01T00:00:00Z') },
      ],
      limit: 5,
      at: NOON,
    });
    expect(campaign.counts).toMatchObject({ total: 2, queued: 1, skipped: 1 });
    const skipped = (await rowsOf(tenant.id, campaign.id)).find((r) => r.status === 'skipped');
    expect(skipped).toMatchObject({ contactId: people[1]?.id, outcome: 'opted_out' });
    const provider = manualProvider();
    await cycle(provider, NOON);
    expect(provider.dialled.map((d) => d.to)).toEqual([people[0]?.phoneE164]);
  });

  it('a contact who opts out after the campaign was created is skipped, not called', async () => {
    const { tenant, user, people, campaign } = await setup({ n: 2, limit: 2 });
    await optOutContacts(t.db, tenant.id, [people[0]?.id ?? 0]);
    const provider = manualProvider();
    const summary = await cycle(provider, NOON);
    expect(summary).toMatchObject({ claimed: 2, dialled: 1, not_dialled: 1 });
    expect(provider.dialled.map((d) => d.to)).toEqual([people[1]?.phoneE164]);
    const rows = await rowsOf(tenant.id, campaign.id);
    expect(rows.find((r) => r.contactId === people[0]?.id)).toMatchObject({
      status: 'skipped',
      outcome: 'opted_out',
    });
    expect((await slotsInFlight(t.db))[user.id]).toBe(1);
    expect((await viewOf(tenant.id, campaign.id)).counts).toMatchObject({ skipped: 1, active: 1 });
  });

  it('a contact deleted while queued is skipped (contact_deleted), not called; the campaign still completes', async () => {
    const { tenant, user, people, campaign } = await setup({ n: 2, limit: 2 });
    expect(await deleteContact(t.db, tenant.id, people[0]?.id)).toMatchObject({ ok: true });
    const orphan = (await rowsOf(tenant.id, campaign.id)).find((r) => r.contactId === null);
    expect(orphan).toMatchObject({ status: 'queued', phoneE164: people[0]?.phoneE164 });

    const provider = manualProvider();
    await cycle(provider, NOON);
    expect(provider.dialled.map((d) => d.to)).toEqual([people[1]?.phoneE164]);
    const rows = await rowsOf(tenant.id, campaign.id);
    expect(rows.find((r) => r.id === orphan?.id)).toMatchObject({
      status: 'skipped',
      outcome: 'contact_deleted',
    });
    await end(tenant.id, provider.dialled[0]?.executionId ?? '');
    const view = await viewOf(tenant.id, campaign.id);
    expect(view.status).toBe('completed');
    expect(view.counts).toMatchObject({ total: 2, completed: 1, skipped: 1, active: 0, queued: 0 });
    expect((await slotsInFlight(t.db))[user.id]).toBe(0);
  });
});

describe('start and completion', () => {
  beforeEach(async () => {
    await idleCallSystem(t.db);
    await setSystemCallLimit(t.db, 100);
  });

  it('a start in the past starts now', async () => {
    const { tenant, campaign } = await setup({
      n: 1,
      campaign: { startAt: new Date('2026-06-01T00:00:00Z') },
    });
    expect(campaign).toMatchObject({
      status: 'running',
      startAt: NOON.toISOString(),
      startedAt: NOON.toISOString(),
    });
    const [row] = await rowsOf(tenant.id, campaign.id);
    expect(row?.scheduledAt.toISOString()).toBe(NOON.toISOString());
    expect((await cycle(manualProvider(), NOON)).dialled).toBe(1);
  });

  it('a start in the future is scheduled: nothing is claimed before it, then it runs', async () => {
    const start = new Date('2026-06-11T08:00:00Z');
    const { tenant, campaign } = await setup({ n: 1, campaign: { startAt: start } });
    expect(campaign).toMatchObject({ status: 'scheduled', startedAt: null });
    const provider = manualProvider();
    expect((await cycle(provider, NOON)).claimed).toBe(0);
    expect((await cycle(provider, minutes(start, -1))).claimed).toBe(0);
    expect((await cycle(provider, start)).dialled).toBe(1);
    expect(await viewOf(tenant.id, campaign.id)).toMatchObject({
      status: 'running',
      startedAt: start.toISOString(),
    });
  });

  it('a campaign whose every contact is opted out is complete at once', async () => {
    const { tenant, campaign } = await makeCallerCampaign(t.db, {
      contacts: [
        { name: 'Out', phoneE164: uniquePhone(), optedOutAt: new Date('2026-01-01T00:00:00Z') },
      ],
      at: NOON,
    });
    expect(campaign.counts).toMatchObject({ total: 1, skipped: 1, queued: 0 });
    await cycle(manualProvider(), NOON);
    expect((await viewOf(tenant.id, campaign.id)).status).toBe('completed');
  });

  it('completes when no open row remains, whatever the outcomes', async () => {
    const { tenant, campaign } = await setup({ n: 3, limit: 3, campaign: { maxAttempts: 1 } });
    const provider = manualProvider();
    await cycle(provider, NOON);
    const [a, b, c] = provider.dialled.map((d) => d.executionId);
    await end(tenant.id, a ?? '', 'completed');
    await end(tenant.id, b ?? '', 'no-answer');
    expect((await viewOf(tenant.id, campaign.id)).status).toBe('running');
    await end(tenant.id, c ?? '', 'completed');
    const view = await viewOf(tenant.id, campaign.id);
    expect(view).toMatchObject({
      status: 'completed',
      counts: { total: 3, completed: 2, failed: 1, queued: 0, active: 0 },
    });
    expect(view.finishedAt).not.toBeNull();
  });
});

describe('calling windows on the dispatcher’s clock', () => {
  beforeEach(async () => {
    await idleCallSystem(t.db);
    await setSystemCallLimit(t.db, 100);
  });

  it('a window crossing midnight (Wednesdays 22:00–02:00 New York) calls after midnight and not at its close', async () => {
    const window = { days: [3], startMinute: 22 * 60, endMinute: 2 * 60 };
    const created = new Date('2026-06-11T00:00:00Z'); // Wed 20:00 in New York
    const { tenant, campaign } = await setup({
      n: 3,
      at: created,
      campaign: { window, timezone: 'America/New_York', maxAttempts: 1 },
    });
    const rows = await rowsOf(tenant.id, campaign.id);
    expect(rows.map((r) => r.scheduledAt.toISOString())).toEqual(
      Array(3).fill('2026-06-11T02:00:00.000Z'),
    );
    const provider = manualProvider();
    expect((await cycle(provider, new Date('2026-06-11T01:59:00Z'))).claimed).toBe(0);
    expect((await cycle(provider, new Date('2026-06-11T02:00:00Z'))).dialled).toBe(1);
    await end(tenant.id, provider.dialled[0]?.executionId ?? '');
    // Thu 01:30 in New York: still Wednesday's window.
    expect((await cycle(provider, new Date('2026-06-11T05:30:00Z'))).dialled).toBe(1);
    await end(tenant.id, provider.dialled[1]?.executionId ?? '');
    // Thu 01:59:45: too close to the 02:00 close to start a call; moved to next Wednesday.
    const late = await cycle(provider, new Date('2026-06-11T05:59:45Z'));
    expect(late).toMatchObject({ claimed: 0, rescheduled: 1 });
    const last = (await rowsOf(tenant.id, campaign.id)).find((r) => r.status === 'queued');
    expect(last?.scheduledAt.toISOString()).toBe('2026-06-18T02:00:00.000Z');
    expect(last?.notAfter?.toISOString()).toBe('2026-06-18T06:00:00.000Z');
    expect(provider.dialled).toHaveLength(2);
  });

  it('on the spring-forward day the window opens at the jump, not an hour early', async () => {
    // 2026-03-08: New York clocks go 02:00 EST → 03:00 EDT. Window Sundays 02:30–04:00.
    const window = { days: [0], startMinute: 150, endMinute: 240 };
    const { tenant, campaign } = await setup({
      n: 1,
      at: new Date('2026-03-08T06:00:00Z'), // 01:00 EST
      campaign: { window, timezone: 'America/New_York' },
    });
    const [row] = await rowsOf(tenant.id, campaign.id);
    expect(row?.scheduledAt.toISOString()).toBe('2026-03-08T07:00:00.000Z'); // 03:00 EDT
    expect(row?.notAfter?.toISOString()).toBe('2026-03-08T08:00:00.000Z'); // 04:00 EDT
    const provider = manualProvider();
    // 06:30Z would be 02:30 had the clocks not moved.
    expect((await cycle(provider, new Date('2026-03-08T06:30:00Z'))).claimed).toBe(0);
    expect((await cycle(provider, new Date('2026-03-08T07:00:00Z'))).dialled).toBe(1);
  });

  it('on the fall-back day the window closes at the first 01:30, not the repeated one', async () => {
    // 2026-11-01: New York clocks go 02:00 EDT → 01:00 EST. Window Sundays 00:30–01:30.
    const window = { days: [0], startMinute: 30, endMinute: 90 };
    const { tenant, campaign } = await setup({
      n: 2,
      at: new Date('2026-11-01T04:00:00Z'), // 00:00 EDT
      campaign: { window, timezone: 'America/New_York' },
    });
    const provider = manualProvider();
    expect((await cycle(provider, new Date('2026-11-01T04:30:00Z'))).dialled).toBe(1); // 00:30 EDT
    // 01:15 EST: the wall clock is inside 00:30–01:30 again, but the window closed at 05:30Z.
    const repeated = await cycle(provider, new Date('2026-11-01T06:15:00Z'));
    expect(repeated).toMatchObject({ claimed: 0, rescheduled: 1 });
    const waiting = (await rowsOf(tenant.id, campaign.id)).find((r) => r.status === 'queued');
    expect(waiting?.scheduledAt.toISOString()).toBe('2026-11-08T05:30:00.000Z'); // 00:30 EST
  });
});

describe('provider refusals (checklist 26)', () => {
  beforeEach(async () => {
    await idleCallSystem(t.db);
    await setSystemCallLimit(t.db, 100);
  });

  it('refused credentials pause the campaign, logged; the calls wait without spending an attempt', async () => {
    const { tenant, user, campaign } = await setup({ n: 3, limit: 2 });
    const provider = manualProvider(() => ({
      ok: false,
      failure: 'auth',
      message: 'Bolna answered 401',
    }));
    expect(await cycle(provider, NOON)).toMatchObject({ claimed: 2, retried: 2 });
    const view = await viewOf(tenant.id, campaign.id);
    expect(view.status).toBe('paused');
    expect(view.pausedReason).toMatch(/refused our credentials/);
    expect(view.counts).toMatchObject({ queued: 3, active: 0, failed: 0 });
    expect((await rowsOf(tenant.id, campaign.id)).map((r) => [r.status, r.attempt])).toEqual([
      ['queued', 0],
      ['queued', 0],
      ['queued', 0],
    ]);
    expect(await waitingForResume(tenant.id, campaign.id)).toBe(3);
    expect((await slotsInFlight(t.db))[user.id]).toBe(0);
    const audit = await withTenant(t.db, tenant.id, (tx) =>
      tx.select().from(campaignAuditLogs).where(eq(campaignAuditLogs.campaignId, campaign.id)),
    );
    expect(audit.filter((a) => a.action === 'pause')).toEqual([
      expect.objectContaining({ actorType: 'system', actorId: 'dispatcher' }),
    ]);
    const errors = await withTenant(t.db, tenant.id, (tx) =>
      tx.select().from(campaignErrorLogs).where(eq(campaignErrorLogs.campaignId, campaign.id)),
    );
    expect(errors.map((e) => [e.category, e.message])).toEqual([
      ['auth', 'Bolna answered 401'],
      ['auth', 'Bolna answered 401'],
    ]);
    expect((await cycle(provider, minutes(NOON, 1))).claimed).toBe(0);
  });

  it('an outage retries after the campaign’s delay (attempt spent), a rate limit after Retry-After (not spent), a bad number fails', async () => {
    const { tenant, campaign, people } = await setup({
      n: 3,
      limit: 3,
      campaign: { retryDelayMinutes: 10 },
    });
    const [outage, limited, invalid] = people.map((p) => p.phoneE164);
    const provider = manualProvider((input) =>
      input.to === outage
        ? { ok: false, failure: 'retryable', message: 'Bolna answered 503' }
        : input.to === limited
          ? { ok: false, failure: 'rate_limited', message: 'slow down', retryAfterMs: 30_000 }
          : { ok: false, failure: 'invalid_number', message: 'not a number' },
    );
    expect(await cycle(provider, NOON)).toMatchObject({ claimed: 3, retried: 2, failed: 1 });
    const rows = await rowsOf(tenant.id, campaign.id);
    const byPhone = (phone: string | undefined) => rows.find((r) => r.phoneE164 === phone);
    expect(byPhone(outage)).toMatchObject({ status: 'queued', attempt: 1, outcome: 'retryable' });
    expect(byPhone(outage)?.scheduledAt.toISOString()).toBe(minutes(NOON, 10).toISOString());
    expect(byPhone(limited)).toMatchObject({ status: 'queued', attempt: 0 });
    expect(byPhone(limited)?.scheduledAt.toISOString()).toBe('2026-06-10T12:00:30.000Z');
    expect(byPhone(invalid)).toMatchObject({ status: 'failed', outcome: 'invalid_number' });
    expect((await viewOf(tenant.id, campaign.id)).status).toBe('running');
  });
});

describe('another tenant', () => {
  beforeEach(() => idleCallSystem(t.db));

  it('cannot pause, resume or cancel a campaign (NOT_FOUND), and it stays as it was', async () => {
    const { tenant, campaign } = await setup({ n: 1 });
    const { tenant: other, actor: intruder } = await setup({ n: 1 });
    expect(other.id).not.toBe(tenant.id);
    const notFound = { ok: false, error: { code: 'NOT_FOUND' } };
    expect(await pauseCampaign(t.db, other.id, campaign.id, intruder)).toMatchObject(notFound);
    expect(await cancelCampaign(t.db, other.id, campaign.id, intruder)).toMatchObject(notFound);
    expect(await resumeCampaign(t.db, other.id, campaign.id, intruder, NOON)).toMatchObject(
      notFound,
    );
    expect(await pauseCampaign(t.db, other.id, 'not-a-uuid', intruder)).toMatchObject(notFound);
    const view = await viewOf(tenant.id, campaign.id);
    expect(view).toMatchObject({ status: 'running', counts: { queued: 1, cancelled: 0 } });
    const audit = await withTenant(t.db, tenant.id, (tx) =>
      tx.select().from(campaignAuditLogs).where(eq(campaignAuditLogs.campaignId, campaign.id)),
    );
    expect(audit.map((a) => a.action)).toEqual(['create']);
  });
});
