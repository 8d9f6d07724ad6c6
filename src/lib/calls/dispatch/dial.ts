import { sql } from 'drizzle-orm';
import type { CampaignRow } from '../../campaigns/campaign-view';
import { lockCampaign } from '../../campaigns/internal';
import { pauseCampaign } from '../../campaigns/pause-campaign';
import { isWithinWindow } from '../../campaigns/schedule';
import type { Database } from '../../db/client';
import type { CallProviderName } from '../../db/schema';
import { campaignErrorLogs } from '../../db/schema';
import { type TenantTx, withTenant } from '../../db/tenant';
import { touchCampaignProgress } from '../live-progress';
import type { CallProvider, PlaceCallResult } from '../providers/types';
import { gateBatch, type HoldReason, type KeyGate, reportDial } from '../rate-limit/gate';
import type { KeyIdResolver } from '../rate-limit/keys';
import { applyStoredEvents, LOW_BALANCE } from '../record-call-event';
import {
  finishCall,
  type LockedCall,
  lockCall,
  lockExecution,
  markDialled,
  retryOrFail,
} from '../transitions';
import { wakeConfirmers, wakeDispatchers } from '../wake-dispatchers';
import type { ClaimedCall } from './claim';

/** What the provider is told about a dial, so a lost answer can be found again (recover.ts). */
export function callRefOf(call: { tenantId: string; id: number; attempt: number }): string {
  return `${call.tenantId}:${call.id}:${call.attempt}`;
}

export type ProviderResolver = ((
  tenantId: string,
  provider: CallProviderName,
) => Promise<CallProvider>) & {
  /**
   * Which API key the provider it resolves dials with (provider-registry.ts):
   * rate limits and the circuit breaker are kept per key. A resolver without
   * it gets one bucket per tenant and provider.
   */
  keyIdOf?: KeyIdResolver;
};

export type DialOutcome =
  | 'dialled'
  | 'retried'
  | 'failed'
  | 'outside_window'
  | 'lost_lease'
  | 'not_dialled'
  /** Held back by the provider key's rate limit or circuit breaker: queued again, attempt not spent. */
  | 'deferred'
  /** The provider may have placed it (no answer): left to the lease sweep to look up (recover.ts). */
  | 'unconfirmed';

/**
 * Dials a claimed batch. First, per provider key, the circuit breaker and the
 * rate limit are asked once for the whole batch (rate-limit/gate.ts, in
 * Postgres so all dispatchers share them); calls that get no go-ahead return
 * to the queue without spending their attempt, and free their slots, until
 * the key has a token for them or its breaker lets a probe through. The rest
 * are dialled concurrently.
 */
export async function dialClaimedBatch(
  db: Database,
  providerFor: ProviderResolver,
  calls: ClaimedCall[],
  now: () => Date,
): Promise<DialOutcome[]> {
  if (calls.length === 0) return [];
  const { admitted, held } = await gateBatch(db, providerFor.keyIdOf, calls, now());
  const statuses = await campaignStatusesOf(
    db,
    admitted.map((a) => a.call),
  );
  const outcomes = await Promise.all([
    ...held.map(({ call, notBefore, reason }) => holdBack(db, call, notBefore, reason)),
    ...admitted.map(({ call, gate }) =>
      dialClaimed(db, providerFor, call, now, gate, statuses.get(campaignKey(call)) ?? 'deleted'),
    ),
  ]);
  // The claim moved these campaigns' counts too (queued → active), so always.
  touchCampaignProgress(db, calls);
  return outcomes;
}

const campaignKey = (call: { tenantId: string; campaignId: string }) =>
  `${call.tenantId}:${call.campaignId}`;

/** The batch's campaigns as they are now, in one read (campaign_statuses in drizzle/0009). */
async function campaignStatusesOf(
  db: Database,
  calls: readonly ClaimedCall[],
): Promise<Map<string, string>> {
  if (calls.length === 0) return new Map();
  const tenants = `{${calls.map((c) => c.tenantId).join(',')}}`;
  const campaigns = `{${calls.map((c) => c.campaignId).join(',')}}`;
  const rows = await db.execute<{ tenant_id: string; campaign_id: string; status: string }>(
    sql`select * from campaign_statuses(${tenants}::uuid[], ${campaigns}::uuid[])`,
  );
  return new Map(
    rows.map((r) => [campaignKey({ tenantId: r.tenant_id, campaignId: r.campaign_id }), r.status]),
  );
}

/**
 * Places one claimed call and records what happened. The window is checked
 * again just before dialling (the claim left a margin, but a slow cycle must
 * still never call outside it), and so are the campaign (paused or cancelled
 * since the claim: `campaignStatus`, read for the whole batch just before) and
 * the contact (deleted or opted out since the campaign was created, as the
 * claim saw it). The provider is called outside any transaction; its answer is
 * recorded only if the row is still ours.
 */
export async function dialClaimed(
  db: Database,
  providerFor: ProviderResolver,
  call: ClaimedCall,
  now: () => Date,
  /** The go-ahead of dialClaimedBatch; without it the call asks for one itself. */
  gate?: KeyGate,
  campaignStatus?: string,
): Promise<DialOutcome> {
  if (!gate || campaignStatus === undefined) {
    return (await dialClaimedBatch(db, providerFor, [call], now))[0] ?? 'lost_lease';
  }
  const at = now();
  if (campaignStatus !== 'running' && campaignStatus !== 'scheduled') {
    let outcome: DialOutcome = 'lost_lease';
    await settle(db, call, async (tx, locked, fresh) => {
      if (!fresh) {
        await finishCall(tx, locked, 'cancelled', 'campaign_deleted');
        outcome = 'not_dialled';
        return;
      }
      // Paused: back to the queue to wait; cancelled: cancelled (retryOrFail knows both).
      await retryOrFail(tx, locked, fresh, {
        notBefore: at,
        countAttempt: false,
        outcome: `campaign_${fresh.status}`,
        error: null,
      });
      outcome = 'not_dialled';
    });
    return outcome;
  }
  if (call.contactState !== 'callable') {
    const reason = call.contactState;
    let outcome: DialOutcome = 'lost_lease';
    await settle(db, call, async (tx, locked) => {
      await finishCall(tx, locked, 'skipped', reason);
      outcome = 'not_dialled';
    });
    return outcome;
  }
  const open =
    isWithinWindow(call.window, call.timezone, at) &&
    (!call.endAt || call.endAt > at) &&
    (!call.notAfter || call.notAfter > at);
  if (!open) {
    await holdBack(db, call, at, 'outside_window');
    return 'outside_window';
  }

  if (at >= call.dialBy) {
    // Held up (a slow cycle, a stalled process) until too little of the lease is
    // left to be sure the dial's answer lands before recovery may look for it:
    // back to the queue, attempt not spent.
    await holdBack(db, call, at, 'dial_late');
    return 'not_dialled';
  }

  let result: PlaceCallResult;
  try {
    const provider = await providerFor(call.tenantId, call.provider);
    result = await provider.placeCall({
      agentId: call.agentId,
      to: call.phoneE164,
      from: call.fromNumber,
      callRef: callRefOf(call),
      userData: call.contactName ? { name: call.contactName } : {},
    });
  } catch (error) {
    result = {
      ok: false,
      failure: 'retryable',
      message: error instanceof Error ? error.message : 'provider unavailable',
    };
  }
  await reportDial(db, gate, result, now());
  if (!result.ok && result.unconfirmed) return leaveUnconfirmed(db, call, result.message);
  if (result.ok) {
    // The common case in one round trip; statuses that beat it here take the long way below.
    const recorded = await recordDial(db, call, result.executionId, now());
    if (recorded === 'dialled') return 'dialled';
    if (recorded === 'lost') return 'lost_lease';
  }

  let outcome: DialOutcome = 'lost_lease';
  let pauseReason: string | null = null;
  await settle(db, call, async (tx, locked, fresh) => {
    if (result.ok) {
      await lockExecution(tx, result.executionId);
      await markDialled(tx, locked, result.executionId, now());
      const settledBy = await applyStoredEvents(
        tx,
        { ...locked, status: 'in_progress', providerCallId: result.executionId },
        now(),
      );
      // The provider reported it before we recorded the dial: pause as the webhook would have.
      if (settledBy === 'balance-low') pauseReason = LOW_BALANCE;
      outcome = 'dialled';
      return;
    }
    await tx.insert(campaignErrorLogs).values({
      tenantId: call.tenantId,
      campaignId: call.campaignId,
      queueId: call.id,
      attempt: call.attempt,
      category: result.failure,
      message: result.message,
    });
    if (result.failure === 'invalid_number' || result.failure === 'fatal' || !fresh) {
      await finishCall(tx, locked, 'failed', result.failure, result.message);
      outcome = 'failed';
      return;
    }
    if (result.failure === 'auth' || result.failure === 'balance_low') {
      pauseReason =
        result.failure === 'auth'
          ? 'The call provider refused our credentials. Check the API key in Settings, then resume.'
          : LOW_BALANCE;
    }
    const delayMs =
      result.failure === 'rate_limited'
        ? (result.retryAfterMs ?? 60_000)
        : result.failure === 'retryable'
          ? fresh.retryDelayMinutes * 60_000
          : 0;
    // `fresh`, not the campaign read before dialling: it may have been paused or cancelled meanwhile.
    const state = await retryOrFail(tx, locked, fresh, {
      notBefore: new Date(now().getTime() + delayMs),
      // Our provider's limits and outages are not the contact's fault.
      countAttempt: result.failure === 'retryable',
      outcome: result.failure,
      error: result.message,
    });
    outcome = state === 'retried' ? 'retried' : 'failed';
  });
  // Statuses that beat the record of the dial may have queued a confirmation (Bolna's
  // finals, checklist 18): the confirmers need not wait for their next sweep.
  if (result.ok) wakeConfirmers(db);
  if (pauseReason) {
    await pauseCampaign(
      db,
      call.tenantId,
      call.campaignId,
      { type: 'system', job: 'dispatcher' },
      pauseReason,
    );
  }
  return outcome;
}

/**
 * A dial the provider may have placed without telling us (it timed out, the
 * connection was cut, or it answered without an id): dialling the row again
 * now could ring the contact twice. It stays `dispatching` with its lease and
 * slot; when the lease runs out, recovery asks the provider for this
 * attempt's reference and records the call, or queues the row again without
 * spending the attempt (recover.ts, as after a crash).
 */
async function leaveUnconfirmed(
  db: Database,
  call: ClaimedCall,
  message: string,
): Promise<DialOutcome> {
  let outcome: DialOutcome = 'lost_lease';
  await settle(db, call, async (tx) => {
    await tx.insert(campaignErrorLogs).values({
      tenantId: call.tenantId,
      campaignId: call.campaignId,
      queueId: call.id,
      attempt: call.attempt,
      category: 'unconfirmed',
      message,
    });
    outcome = 'unconfirmed';
  });
  return outcome;
}

/**
 * Back to the queue at `notBefore` (or the window's next opening), attempt
 * given back, slot freed: held by the rate limit or breaker, outside its
 * window, or too late in its lease to dial. A deleted campaign's row is cancelled.
 */
async function holdBack(
  db: Database,
  call: ClaimedCall,
  notBefore: Date,
  reason: HoldReason | 'outside_window' | 'dial_late',
): Promise<DialOutcome> {
  let outcome: DialOutcome = 'lost_lease';
  await settle(db, call, async (tx, locked, fresh) => {
    if (!fresh) {
      await finishCall(tx, locked, 'cancelled', 'campaign_deleted');
      outcome = 'not_dialled';
      return;
    }
    const state = await retryOrFail(tx, locked, fresh, {
      notBefore,
      countAttempt: false,
      outcome: reason,
      error: null,
    });
    outcome = state === 'retried' ? 'deferred' : 'failed';
  });
  return outcome;
}

/**
 * record_dial (drizzle/0009): dispatching → in_progress with the execution id,
 * if the row is still this attempt; 'events_waiting' when a status for the
 * execution arrived first, and nothing was changed.
 */
async function recordDial(
  db: Database,
  call: ClaimedCall,
  executionId: string,
  at: Date,
): Promise<'dialled' | 'lost' | 'events_waiting'> {
  const [row] = await db.execute<{ recorded: 'dialled' | 'lost' | 'events_waiting' }>(sql`
    select record_dial(${call.tenantId}::uuid, ${call.id}, ${call.attempt}::smallint,
                       ${executionId}, ${at.toISOString()}::timestamptz) as recorded`);
  return row?.recorded ?? 'lost';
}

/**
 * Runs `fn` with the row locked, only if it is still the dispatching row we
 * claimed, with the campaign as it is now (locked after the row, the order
 * webhooks use).
 */
async function settle(
  db: Database,
  call: ClaimedCall,
  fn: (tx: TenantTx, locked: LockedCall, campaign: CampaignRow | null) => Promise<unknown>,
): Promise<void> {
  await withTenant(db, call.tenantId, async (tx) => {
    const locked = await lockCall(tx, call.tenantId, call.id);
    if (locked?.status !== 'dispatching' || locked.attempt !== call.attempt) return;
    await fn(tx, locked, await lockCampaign(tx, call.tenantId, call.campaignId));
  });
  // Whatever it did may have freed the slot: wake the dispatchers now it is committed.
  wakeDispatchers(db);
}
