/**
 * Calls a stopped or stuck dispatcher left behind (checklist 13–15): an expired
 * lease is settled only after asking the provider, so nothing is dialled twice,
 * and a call in progress without a final webhook is settled from the provider's
 * record, so its slot cannot leak. Fake clocks throughout.
 */
import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { claimDueCalls } from '../../../src/lib/calls/dispatch/claim';
import { DEFAULT_CLAIM, runDispatchCycle } from '../../../src/lib/calls/dispatch/cycle';
import { callRefOf } from '../../../src/lib/calls/dispatch/dial';
import { recoverCalls } from '../../../src/lib/calls/dispatch/recover';
import type {
  BolnaStatus,
  CallProvider,
  LookupResult,
} from '../../../src/lib/calls/providers/types';
import { recordCallEvent } from '../../../src/lib/calls/record-call-event';
import { getCampaign } from '../../../src/lib/campaigns/get-campaign';
import { withTenant } from '../../../src/lib/db/tenant';
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
const seconds = (n: number) => new Date(T0.getTime() + n * 1000);

/** The manual provider, with the lookups a test decides. */
function lookupProvider(lookups: {
  byRef?: (callRef: string) => LookupResult;
  byId?: (executionId: string) => LookupResult;
}) {
  const manual = manualProvider();
  const asked: { byRef: string[]; byId: string[] } = { byRef: [], byId: [] };
  const provider: CallProvider = {
    ...manual.provider,
    async findExecutionByRef(_agentId, callRef) {
      asked.byRef.push(callRef);
      return lookups.byRef?.(callRef) ?? { ok: true, execution: null };
    },
    async getExecution(executionId) {
      asked.byId.push(executionId);
      return lookups.byId?.(executionId) ?? { ok: true, execution: null };
    },
  };
  return { ...manual, provider, asked, providerFor: async () => provider };
}

function found(executionId: string, status: BolnaStatus): LookupResult {
  return {
    ok: true,
    execution: { executionId, status, durationSeconds: 30, raw: { id: executionId, status } },
  };
}

function setup(contacts = 2, limit = 2) {
  return makeCallerCampaign(t.db, { contacts, limit, at: T0, campaign: { maxAttempts: 2 } });
}

const rowsOf = (tenantId: string, campaignId: string) => queueRowsOf(t.db, tenantId, campaignId);

async function countsOf(tenantId: string, campaignId: string) {
  const view = await getCampaign(t.db, tenantId, campaignId);
  if (!view.ok) throw new Error('campaign gone');
  return view.data;
}

/** A dispatcher that claimed and then died before dialling or recording the dial. */
function claimAndDie(at: Date, max = 1) {
  return claimDueCalls(t.sql, { ...DEFAULT_CLAIM, max }, at);
}

function recover(provider: { providerFor: () => Promise<CallProvider> }, at: Date) {
  return recoverCalls(t.db, t.sql, provider.providerFor, () => at);
}

describe('recovering expired leases (dispatching rows)', () => {
  beforeEach(async () => {
    await idleCallSystem(t.db);
    await setSystemCallLimit(t.db, 100);
  });

  it('only an expired lease is recovered; with no execution at the provider the row is queued again, attempt not counted, slot released', async () => {
    const { tenant, user, campaign } = await setup();
    const [stale] = await claimAndDie(T0); // lease to T0 + 60 s
    const [fresh] = await claimAndDie(seconds(56)); // lease to T0 + 116 s
    expect((await slotsInFlight(t.db))[user.id]).toBe(2);
    const provider = lookupProvider({});

    const summary = await recover(provider, seconds(61));
    expect(summary).toEqual({ redialLater: 1, foundDialled: 0, settled: 0, unknown: 0 });
    expect(provider.asked.byRef).toEqual([callRefOf(stale ?? { tenantId: '', id: 0, attempt: 0 })]);
    const rows = await rowsOf(tenant.id, campaign.id);
    expect(rows.find((r) => r.id === stale?.id)).toMatchObject({
      status: 'queued',
      attempt: 0,
      leaseExpiresAt: null,
      outcome: 'dispatcher_stopped',
    });
    expect(rows.find((r) => r.id === fresh?.id)).toMatchObject({ status: 'dispatching' });
    expect((await slotsInFlight(t.db))[user.id]).toBe(1);
    expect((await countsOf(tenant.id, campaign.id)).counts).toMatchObject({
      queued: 1,
      active: 1,
    });

    // Dialled again on the next cycle: one provider call for the row.
    const again = await runDispatchCycle({
      db: t.db,
      sql: t.sql,
      providerFor: provider.providerFor,
      now: () => seconds(62),
    });
    expect(again.dialled).toBe(1);
    expect(provider.dialled.map((d) => d.callRef)).toEqual([
      callRefOf({ tenantId: tenant.id, id: stale?.id ?? 0, attempt: 1 }),
    ]);
  });

  it('when the provider has the execution, the row becomes in progress with its id and is not dialled again', async () => {
    const { tenant, user, campaign } = await setup(1, 1);
    const [claimed] = await claimAndDie(T0);
    const ref = callRefOf(claimed ?? { tenantId: '', id: 0, attempt: 0 });
    const provider = lookupProvider({
      byRef: (callRef) =>
        callRef === ref ? found('exec-found-1', 'ringing') : found('?', 'failed'),
    });

    expect(await recover(provider, seconds(61))).toMatchObject({ foundDialled: 1 });
    const [row] = await rowsOf(tenant.id, campaign.id);
    expect(row).toMatchObject({
      status: 'in_progress',
      providerCallId: 'exec-found-1',
      providerStatus: 'ringing',
      attempt: 1,
      leaseExpiresAt: null,
    });
    expect(row?.dialledAt?.toISOString()).toBe(seconds(61).toISOString());
    expect((await slotsInFlight(t.db))[user.id]).toBe(1);

    const next = await runDispatchCycle({
      db: t.db,
      sql: t.sql,
      providerFor: provider.providerFor,
      now: () => seconds(62),
    });
    expect(next.claimed).toBe(0);
    expect(provider.dialled).toEqual([]); // no placeCall at all

    // Its webhook then finishes it as usual.
    await recordCallEvent(t.db, tenant.id, 'bolna', { id: 'exec-found-1', status: 'completed' });
    expect((await rowsOf(tenant.id, campaign.id))[0]?.status).toBe('completed');
    expect((await slotsInFlight(t.db))[user.id]).toBe(0);
    expect((await countsOf(tenant.id, campaign.id)).status).toBe('completed');
  });

  it('a final webhook stored while the row was orphaned is applied when recovery finds the execution', async () => {
    const { tenant, user, campaign } = await setup(1, 1);
    await claimAndDie(T0);
    // The provider reported the end before anyone recorded the dial.
    expect(
      await recordCallEvent(t.db, tenant.id, 'bolna', { id: 'exec-early', status: 'completed' }),
    ).toMatchObject({ ok: true, data: { applied: 'stored' } });
    const provider = lookupProvider({ byRef: () => found('exec-early', 'in-progress') });

    await recover(provider, seconds(61));
    const [row] = await rowsOf(tenant.id, campaign.id);
    expect(row).toMatchObject({ status: 'completed', providerCallId: 'exec-early' });
    expect((await slotsInFlight(t.db))[user.id]).toBe(0);
    expect((await countsOf(tenant.id, campaign.id)).counts).toMatchObject({
      completed: 1,
      active: 0,
    });
  });

  it('when the provider cannot tell, the row is left alone for the next sweep', async () => {
    const { tenant, user, campaign } = await setup(1, 1);
    await claimAndDie(T0);
    const before = await rowsOf(tenant.id, campaign.id);
    const provider = lookupProvider({ byRef: () => ({ ok: false, message: 'timeout' }) });

    expect(await recover(provider, seconds(61))).toEqual({
      redialLater: 0,
      foundDialled: 0,
      settled: 0,
      unknown: 1,
    });
    expect(await rowsOf(tenant.id, campaign.id)).toEqual(before);
    expect((await slotsInFlight(t.db))[user.id]).toBe(1);
    expect(provider.dialled).toEqual([]);
  });
});

describe('settling calls in progress without a final webhook (checklist 15)', () => {
  beforeEach(async () => {
    await idleCallSystem(t.db);
    await setSystemCallLimit(t.db, 100);
  });

  /** Two calls dialled at T0; returns them with the provider that dialled them. */
  async function twoInProgress(lookups: Parameters<typeof lookupProvider>[0]) {
    const { tenant, user, campaign } = await setup(2, 2);
    const provider = lookupProvider(lookups);
    await runDispatchCycle({
      db: t.db,
      sql: t.sql,
      providerFor: provider.providerFor,
      now: () => T0,
    });
    const [first, second] = provider.dialled.map((d) => d.executionId);
    return { tenant, user, campaign, provider, first: first ?? '', second: second ?? '' };
  }

  it('a stale call the provider says completed is finished; its slot is released exactly once', async () => {
    const { tenant, user, campaign, provider, first, second } = await twoInProgress({
      byId: (id) => found(id, 'completed'),
    });
    // Only the first is stale: the other was dialled recently.
    await withTenant(t.db, tenant.id, (tx) =>
      tx.execute(sql`update call_queue set dialled_at = ${seconds(20 * 60).toISOString()}::timestamptz
        where provider_call_id = ${second}`),
    );
    const at = seconds(16 * 60);
    expect(await recover(provider, at)).toMatchObject({ settled: 1 });
    expect(provider.asked.byId).toEqual([first]);
    const rows = await rowsOf(tenant.id, campaign.id);
    expect(rows.find((r) => r.providerCallId === first)).toMatchObject({
      status: 'completed',
      outcome: 'completed',
      durationSeconds: 30,
    });
    expect((await slotsInFlight(t.db))[user.id]).toBe(1);

    // A late webhook and a second sweep change nothing more.
    await recordCallEvent(t.db, tenant.id, 'bolna', { id: first, status: 'completed' });
    expect(await recover(provider, at)).toMatchObject({ settled: 0 });
    expect((await slotsInFlight(t.db))[user.id]).toBe(1);
    expect((await countsOf(tenant.id, campaign.id)).counts).toMatchObject({
      completed: 1,
      active: 1,
    });
  });

  it('a stale call the provider has no record of fails as lost', async () => {
    const { tenant, user, campaign, provider } = await twoInProgress({});
    expect(await recover(provider, seconds(16 * 60))).toMatchObject({ settled: 2 });
    const rows = await rowsOf(tenant.id, campaign.id);
    expect(rows.map((r) => [r.status, r.outcome])).toEqual([
      ['failed', 'lost'],
      ['failed', 'lost'],
    ]);
    expect((await slotsInFlight(t.db))[user.id]).toBe(0);
    const view = await countsOf(tenant.id, campaign.id);
    expect(view.status).toBe('completed');
    expect(view.counts).toMatchObject({ failed: 2, active: 0, queued: 0 });
  });

  it('a call still ringing at the provider stays in progress; a lookup failure changes nothing', async () => {
    const { tenant, user, campaign, provider } = await twoInProgress({
      byId: (id) => (id.endsWith('-1') ? found(id, 'in-progress') : { ok: false, message: 'down' }),
    });
    expect(await recover(provider, seconds(14 * 60))).toEqual({
      redialLater: 0,
      foundDialled: 0,
      settled: 0,
      unknown: 0,
    });
    expect(await recover(provider, seconds(16 * 60))).toMatchObject({ settled: 0, unknown: 2 });
    const rows = await rowsOf(tenant.id, campaign.id);
    expect(rows.map((r) => r.status)).toEqual(['in_progress', 'in_progress']);
    expect((await slotsInFlight(t.db))[user.id]).toBe(2);
  });
});
