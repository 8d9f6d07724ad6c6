import { sql } from 'drizzle-orm';
import type { CampaignRow } from '../campaigns/campaign-view';
import type { TenantTx } from '../db/tenant';
import { emitLiveEvent } from '../events/emit';
import { nextAttempt } from './next-attempt';

/**
 * Every move of a queue row out of `dispatching` or `in_progress` goes through
 * here, inside the caller's tenant transaction with the row locked: the row,
 * the campaign's counters, the user's and the system's call slots, the
 * campaign's completion and the dispatcher's wake-up move together, so a slot
 * is released exactly once and shown counts are stored counts.
 */
export interface LockedCall {
  tenantId: string;
  id: number;
  campaignId: string;
  userId: string;
  status: string;
  attempt: number;
  timezone: string;
  providerCallId: string | null;
  providerStatusRank: number;
}

const HOLDS_SLOT = new Set(['dispatching', 'in_progress']);

export async function lockCall(
  tx: TenantTx,
  tenantId: string,
  id: number,
): Promise<LockedCall | null> {
  const [row] = await tx.execute<Record<string, unknown>>(sql`
    select tenant_id, id, campaign_id, user_id, status, attempt, timezone, provider_call_id,
           provider_status_rank
    from call_queue where tenant_id = ${tenantId} and id = ${id} for update`);
  return row ? toLocked(row) : null;
}

/** `forUpdate: false` only reads it (what it was a moment ago; nothing is decided on it). */
export async function lockCallByExecution(
  tx: TenantTx,
  tenantId: string,
  executionId: string,
  forUpdate = true,
): Promise<LockedCall | null> {
  const [row] = await tx.execute<Record<string, unknown>>(sql`
    select tenant_id, id, campaign_id, user_id, status, attempt, timezone, provider_call_id,
           provider_status_rank
    from call_queue where tenant_id = ${tenantId} and provider_call_id = ${executionId}
    ${forUpdate ? sql`for update` : sql``}`);
  return row ? toLocked(row) : null;
}

function toLocked(row: Record<string, unknown>): LockedCall {
  return {
    tenantId: String(row.tenant_id),
    id: Number(row.id),
    campaignId: String(row.campaign_id),
    userId: String(row.user_id),
    status: String(row.status),
    attempt: Number(row.attempt),
    timezone: String(row.timezone),
    providerCallId: (row.provider_call_id as string | null) ?? null,
    providerStatusRank: Number(row.provider_status_rank),
  };
}

/**
 * Serialises everything about one provider execution: a webhook and the
 * record of the dial it belongs to can race (the provider answers fast), and
 * without this each could commit without seeing the other.
 */
export async function lockExecution(tx: TenantTx, executionId: string): Promise<void> {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtext('call-execution'), hashtext(${executionId}))`,
  );
}

/**
 * lockExecution for a transaction applying a provider status, which then
 * commits without waiting for its WAL flush, as apply_call_status does
 * (migration 0014): these transactions lock the call's campaign, so every
 * status of a busy campaign queued behind the others' disk writes (bench:soak,
 * a 50,000-call campaign: waits of up to 3 s on the campaign row). A status
 * lost to a crash leaves the call as it was, and the stale-call sweep applies
 * the provider's record of it later.
 */
export async function lockExecutionToApplyStatus(tx: TenantTx, executionId: string) {
  await tx.execute(sql`
    select set_config('synchronous_commit', 'off', true),
           pg_advisory_xact_lock(hashtext('call-execution'), hashtext(${executionId}))`);
}

/** The provider accepted the call: it is ringing somewhere, holding its slot until a final status. */
export async function markDialled(
  tx: TenantTx,
  call: LockedCall,
  executionId: string,
  at: Date,
): Promise<void> {
  // `at`: the dispatcher's clock, which the stale-call sweep compares dialled_at with.
  await tx.execute(sql`
    update call_queue set status = 'in_progress', provider_call_id = ${executionId},
      lease_expires_at = null, dialled_at = ${at.toISOString()}::timestamptz, updated_at = now()
    where tenant_id = ${call.tenantId} and id = ${call.id} and status = 'dispatching'`);
}

/** Records the provider's latest status on the row (only ever forwards). */
export async function recordProviderStatus(
  tx: TenantTx,
  call: LockedCall,
  status: string,
  rank: number,
  durationSeconds: number | null,
): Promise<void> {
  await tx.execute(sql`
    update call_queue set provider_status = ${status}, provider_status_rank = ${rank},
      duration_seconds = coalesce(${durationSeconds}, duration_seconds), updated_at = now()
    where tenant_id = ${call.tenantId} and id = ${call.id}`);
}

export type FinalStatus = 'completed' | 'failed' | 'cancelled' | 'skipped';

/** Ends the call for good with `outcome`. */
export async function finishCall(
  tx: TenantTx,
  call: LockedCall,
  status: FinalStatus,
  outcome: string,
  error: string | null = null,
): Promise<void> {
  await tx.execute(sql`
    update call_queue set status = ${status}, outcome = ${outcome}, last_error = ${error},
      lease_expires_at = null, finished_at = now(), updated_at = now()
    where tenant_id = ${call.tenantId} and id = ${call.id}`);
  const column = {
    completed: 'completed_calls',
    failed: 'failed_calls',
    cancelled: 'cancelled_calls',
    skipped: 'skipped_calls',
  }[status];
  await moveCounters(tx, call, column);
  await afterLeavingSlot(tx, call);
}

/**
 * Puts the call back in the queue for another try at `at` (already inside the
 * window), or fails it with `outcome` when no try is left or no window opens
 * before the campaign ends. `countAttempt: false` (rate limits, our own
 * outages) gives the attempt back.
 */
export async function retryOrFail(
  tx: TenantTx,
  call: LockedCall,
  campaign: CampaignRow,
  options: { notBefore: Date; countAttempt: boolean; outcome: string; error: string | null },
): Promise<'retried' | 'failed'> {
  if (campaign.status === 'cancelled' || campaign.status === 'completed') {
    await finishCall(tx, call, 'cancelled', 'campaign_cancelled', options.error);
    return 'failed';
  }
  const attempt = options.countAttempt ? call.attempt : call.attempt - 1;
  const next = nextAttempt(campaign, call.timezone, attempt, options.notBefore);
  if (!next) {
    await finishCall(tx, call, 'failed', options.outcome, options.error);
    return 'failed';
  }
  const { at, notAfter } = next;
  await tx.execute(sql`
    update call_queue set status = 'queued', attempt = ${attempt},
      scheduled_at = ${campaign.status === 'paused' ? 'infinity' : at.toISOString()}::timestamptz,
      not_after = ${notAfter?.toISOString() ?? null}::timestamptz,
      provider_call_id = null, provider_status = null, provider_status_rank = 0,
      outcome = ${options.outcome}, last_error = ${options.error}, lease_expires_at = null,
      updated_at = now()
    where tenant_id = ${call.tenantId} and id = ${call.id}`);
  await moveCounters(tx, call, 'queued_calls');
  await afterLeavingSlot(tx, call);
  return 'retried';
}

async function moveCounters(tx: TenantTx, call: LockedCall, toColumn: string) {
  const fromColumn = HOLDS_SLOT.has(call.status) ? 'active_calls' : 'queued_calls';
  if (fromColumn === toColumn) return; // a queued row rescheduled stays queued
  const from = sql.raw(fromColumn);
  const to = sql.raw(toColumn);
  await tx.execute(sql`
    update call_campaigns set ${from} = ${from} - 1, ${to} = ${to} + 1, updated_at = now()
    where tenant_id = ${call.tenantId} and id = ${call.campaignId}`);
}

/**
 * Gives the slot back. The dispatchers are woken by the caller after the
 * commit (wakeDispatchers): a NOTIFY inside the transaction takes the
 * database-wide notify lock at commit, and these transactions hold their
 * campaign's row until then — one campaign's retrying webhooks queued up to
 * 2–3 s behind each other in bench:soak.
 */
async function afterLeavingSlot(tx: TenantTx, call: LockedCall): Promise<void> {
  if (HOLDS_SLOT.has(call.status)) {
    await tx.execute(sql`select release_call_slots(${call.userId}::uuid, 1)`);
  }
  await completeIfDone(tx, call.tenantId, call.campaignId);
}

/**
 * A running campaign with no open row left is complete; a cancelled one whose
 * last ringing call just ended is finished.
 */
export async function completeIfDone(tx: TenantTx, tenantId: string, campaignId: string) {
  const done = await tx.execute(sql`
    update call_campaigns
    set status = case when status = 'cancelled' then status else 'completed' end,
        finished_at = coalesce(finished_at, now()), updated_at = now()
    where tenant_id = ${tenantId} and id = ${campaignId}
      and (status in ('running', 'scheduled') or (status = 'cancelled' and finished_at is null))
      and not exists (
        select 1 from call_queue q
        where q.tenant_id = ${tenantId} and q.campaign_id = ${campaignId}
          and q.status in ('queued', 'dispatching', 'in_progress'))
    returning id`);
  if (done.length > 0) {
    await emitLiveEvent(tx, { tenantId, type: 'campaign.status', id: campaignId });
  }
}
