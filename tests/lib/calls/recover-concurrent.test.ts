/**
 * Two recovery sweeps at once (every worker runs one; after a PostgreSQL
 * restart they all find the same rows). A sweep lists the rows due, then
 * takes them one by one, each after a provider lookup; meanwhile another
 * sweep may settle a row, and a dispatcher may claim it again. The first
 * sweep must then leave it alone: a queued row is not "lost" (it was failed
 * as such: the PostgreSQL-restart system test's one row in ten runs), and a
 * fresh claim is not an expired lease (recovering it would dial it twice).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { claimDueCalls } from '../../../src/lib/calls/dispatch/claim';
import { DEFAULT_CLAIM, runDispatchCycle } from '../../../src/lib/calls/dispatch/cycle';
import { recoverCalls } from '../../../src/lib/calls/dispatch/recover';
import type { CallProvider, LookupResult } from '../../../src/lib/calls/providers/types';
import { makeTenant } from '../../factories';
import {
  idleCallSystem,
  makeCaller,
  makeCampaign,
  manualProvider,
  queueRowsOf,
  setSystemCallLimit,
  slotsInFlight,
} from '../../factories/campaigns';
import { makeContacts, uniquePhone } from '../../factories/contacts';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase({ max: 8 });
const T0 = new Date('2026-06-10T12:00:00Z');
const seconds = (n: number) => new Date(T0.getTime() + n * 1000);

async function setup(contacts: number) {
  const tenant = await makeTenant(t.db);
  const user = await makeCaller(t.db, tenant, contacts);
  const people = await makeContacts(
    t.db,
    tenant.id,
    Array.from({ length: contacts }, (_, i) => ({ name: `R ${i}`, phoneE164: uniquePhone() })),
  );
  const campaign = await makeCampaign(
    t.db,
    tenant.id,
    user.id,
    { contacts: { ids: people.map((p) => p.id) }, maxAttempts: 2, retryDelayMinutes: 1 },
    T0,
  );
  const rows = () => queueRowsOf(t.db, tenant.id, campaign.id);
  return { tenant, user, campaign, rows };
}

const nothing: LookupResult = { ok: true, execution: null };
const ended = (executionId: string, status: 'no-answer'): LookupResult => ({
  ok: true,
  execution: { executionId, status, durationSeconds: 0, raw: { id: executionId, status } },
});

/**
 * A provider whose first lookup lets `meanwhile` run before it answers
 * `answer`: what another worker does while this sweep waits for the provider.
 */
function interleaving(meanwhile: () => Promise<unknown>, answer: LookupResult) {
  let first = true;
  const during = async () => {
    if (first) {
      first = false;
      await meanwhile();
    }
    return answer;
  };
  const provider: CallProvider = {
    ...manualProvider().provider,
    findExecutionByRef: during,
    getExecution: during,
  };
  return async () => provider;
}

const sweep = (providerFor: () => Promise<CallProvider>, at: Date) =>
  recoverCalls(t.db, t.sql, providerFor, () => at, { staleInProgressMinutes: 15, limit: 100 });

describe('recovery sweeps racing each other', () => {
  beforeEach(async () => {
    await idleCallSystem(t.db);
    await setSystemCallLimit(t.db, 100);
  });

  it('leaves rows another sweep queued again after it listed them: none is failed as lost', async () => {
    const { user, rows } = await setup(2);
    await claimDueCalls(t.sql, { ...DEFAULT_CLAIM, max: 2 }, T0); // both die: leases end at 60 s
    const other = interleaving(async () => {}, nothing);
    const mine = interleaving(() => sweep(other, seconds(61)), nothing);

    const summary = await sweep(mine, seconds(61));

    expect((await rows()).map((r) => [r.status, r.outcome, r.attempt])).toEqual([
      ['queued', 'dispatcher_stopped', 0],
      ['queued', 'dispatcher_stopped', 0],
    ]);
    expect(summary).toMatchObject({ redialLater: 0, settled: 0 });
    expect((await slotsInFlight(t.db))[user.id]).toBe(0);
  });

  it('leaves calls in progress that another sweep settled for a retry: none is failed as lost', async () => {
    const { user, rows } = await setup(2);
    const dialler = manualProvider();
    await runDispatchCycle({
      db: t.db,
      sql: t.sql,
      providerFor: dialler.providerFor,
      now: () => T0,
    });
    expect((await rows()).map((r) => r.status)).toEqual(['in_progress', 'in_progress']);
    // Neither final webhook came; both are stale 16 minutes on, and the provider says no-answer.
    const [a] = dialler.dialled.map((d) => d.executionId);
    const other: () => Promise<CallProvider> = async () => ({
      ...dialler.provider,
      getExecution: async (id) => ended(id, 'no-answer'),
    });
    const mine = interleaving(() => sweep(other, seconds(16 * 60)), ended(a ?? '', 'no-answer'));

    await sweep(mine, seconds(16 * 60));

    expect((await rows()).map((r) => [r.status, r.outcome, r.attempt])).toEqual([
      ['queued', 'no_answer', 1],
      ['queued', 'no_answer', 1],
    ]);
    expect((await slotsInFlight(t.db))[user.id]).toBe(0);
  });

  it('leaves a row claimed again meanwhile to its new dispatcher: a fresh lease is not recovered', async () => {
    const { user, rows } = await setup(1);
    await claimDueCalls(t.sql, DEFAULT_CLAIM, T0); // dies: lease ends at 60 s
    const other = interleaving(async () => {}, nothing);
    const reclaimed: unknown[] = [];
    // Meanwhile: the other sweep queues it again, and a dispatcher claims it (lease to 121 s).
    const mine = interleaving(async () => {
      await sweep(other, seconds(61));
      reclaimed.push(...(await claimDueCalls(t.sql, DEFAULT_CLAIM, seconds(61))));
    }, nothing);

    const summary = await sweep(mine, seconds(61));

    expect(reclaimed).toHaveLength(1);
    expect(summary).toMatchObject({ redialLater: 0 });
    const [row] = await rows();
    expect(row).toMatchObject({ status: 'dispatching', attempt: 1 });
    expect(row?.leaseExpiresAt?.toISOString()).toBe(seconds(121).toISOString());
    expect((await slotsInFlight(t.db))[user.id]).toBe(1);
  });
});
