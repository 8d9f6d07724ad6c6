/**
 * Checklist 14, "no double dial", for a dial whose answer is lost: Bolna
 * accepted the call but the request timed out (or the connection was cut, or
 * it answered without an execution id). Queued again as a plain retryable
 * failure, the row was dialled a second time under a new reference, and the
 * contact rang twice. Now the row keeps its lease, and the lease sweep asks the
 * provider for the attempt's reference before anything is dialled again.
 * Fake clocks throughout.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CLAIM, runDispatchCycle } from '../../../src/lib/calls/dispatch/cycle';
import { recoverCalls } from '../../../src/lib/calls/dispatch/recover';
import type {
  CallProvider,
  LookupResult,
  PlaceCallInput,
} from '../../../src/lib/calls/providers/types';
import { makeTenant } from '../../factories';
import {
  idleCallSystem,
  makeCaller,
  makeCampaign,
  queueRowsOf,
  setSystemCallLimit,
  slotsInFlight,
} from '../../factories/campaigns';
import { makeContacts, uniquePhone } from '../../factories/contacts';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase({ max: 8 });
const T0 = new Date('2026-06-10T12:00:00Z');
const seconds = (n: number) => new Date(T0.getTime() + n * 1000);
const LOST = { ok: false, failure: 'retryable', unconfirmed: true } as const;

/**
 * A provider whose answers to dials are lost: each request is recorded as
 * Bolna would (accepted, or not when `accepts` says so) and answered with a
 * timeout. Lookups by reference see what it recorded.
 */
function lossyProvider(accepts: () => boolean) {
  const requests: PlaceCallInput[] = [];
  const accepted = new Map<string, string>();
  const provider: CallProvider = {
    name: 'simulated',
    async placeCall(input) {
      requests.push(input);
      if (accepts()) accepted.set(input.callRef, `exec-${accepted.size + 1}`);
      return { ...LOST, message: 'Bolna did not answer within 15000 ms' };
    },
    async findExecutionByRef(_agentId, callRef): Promise<LookupResult> {
      const id = accepted.get(callRef);
      if (!id) return { ok: true, execution: null };
      const raw = { id, status: 'ringing' };
      return {
        ok: true,
        execution: { executionId: id, status: 'ringing', durationSeconds: null, raw },
      };
    },
    async getExecution() {
      return { ok: true, execution: null };
    },
    async stopCall() {
      return { ok: true };
    },
  };
  return { provider, requests, accepted, providerFor: async () => provider };
}

async function setup() {
  const tenant = await makeTenant(t.db);
  const user = await makeCaller(t.db, tenant, 1);
  const people = await makeContacts(t.db, tenant.id, [{ name: 'U', phoneE164: uniquePhone() }]);
  const campaign = await makeCampaign(
    t.db,
    tenant.id,
    user.id,
    { contacts: { ids: people.map((p) => p.id) }, maxAttempts: 3, retryDelayMinutes: 1 },
    T0,
  );
  return { tenant, user, campaign };
}

function cycle(lossy: ReturnType<typeof lossyProvider>, at: Date) {
  return runDispatchCycle(
    { db: t.db, sql: t.sql, providerFor: lossy.providerFor, now: () => at },
    DEFAULT_CLAIM,
  );
}

describe('a dial whose answer is lost', () => {
  beforeEach(async () => {
    await idleCallSystem(t.db);
    await setSystemCallLimit(t.db, 10);
  });

  it('is not dialled again: the lease sweep finds the call the provider placed and records it', async () => {
    const { tenant, user, campaign } = await setup();
    const lossy = lossyProvider(() => true);

    expect(await cycle(lossy, T0)).toMatchObject({ claimed: 1, unconfirmed: 1, retried: 0 });
    const [held] = await queueRowsOf(t.db, tenant.id, campaign.id);
    // Still ours, slot held: the call may be ringing.
    expect(held).toMatchObject({ status: 'dispatching', attempt: 1 });
    expect((await slotsInFlight(t.db))[user.id]).toBe(1);

    // Within its lease nothing touches it; once the lease is out, the sweep finds the call.
    expect(await cycle(lossy, seconds(30))).toMatchObject({ claimed: 0 });
    const recovered = await recoverCalls(t.db, t.sql, lossy.providerFor, () => seconds(61));
    expect(recovered).toMatchObject({ foundDialled: 1, redialLater: 0 });
    const [row] = await queueRowsOf(t.db, tenant.id, campaign.id);
    expect(row).toMatchObject({ status: 'in_progress', providerCallId: 'exec-1', attempt: 1 });
    // Past the retry delay (a minute), nothing is due: the contact was rung once.
    expect(await cycle(lossy, seconds(62))).toMatchObject({ claimed: 0 });
    expect(lossy.requests).toHaveLength(1);
  });

  it('when the provider has no such call, it is dialled again without spending the attempt', async () => {
    const { tenant, campaign } = await setup();
    let first = true;
    const lossy = lossyProvider(() => {
      const accept = !first;
      first = false;
      return accept;
    });

    await cycle(lossy, T0);
    expect(await recoverCalls(t.db, t.sql, lossy.providerFor, () => seconds(61))).toMatchObject({
      redialLater: 1,
    });
    expect((await queueRowsOf(t.db, tenant.id, campaign.id))[0]).toMatchObject({
      status: 'queued',
      attempt: 0,
    });
    // The second try reaches the provider (and is lost again, then found).
    await cycle(lossy, seconds(62));
    await recoverCalls(t.db, t.sql, lossy.providerFor, () => seconds(123));
    expect((await queueRowsOf(t.db, tenant.id, campaign.id))[0]).toMatchObject({
      status: 'in_progress',
      providerCallId: 'exec-1',
    });
    expect(lossy.requests).toHaveLength(2);
    expect(lossy.accepted.size).toBe(1);
  });
});
