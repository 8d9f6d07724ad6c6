import { and, eq, sql } from 'drizzle-orm';
import { fail, ok, type Result } from '../api/result';
import { lockCampaign } from '../campaigns/internal';
import { pauseCampaign } from '../campaigns/pause-campaign';
import type { Database } from '../db/client';
import { callConfirmations, callEvents } from '../db/schema';
import { type TenantTx, withTenant } from '../db/tenant';
import { applyRetryInOneStatement, type StatementOutcome } from './apply-retry';
import { type Applied, applyExecution, BALANCE_ERROR } from './apply-status';
import { touchCampaignProgress } from './live-progress';
import { confirmsFinalStatuses } from './providers/confirmation';
import {
  BolnaExecutionPayload,
  classifyExecution,
  executionDurationSeconds,
} from './providers/statuses';
import { type LockedCall, lockCallByExecution, lockExecutionToApplyStatus } from './transitions';
import { wakeConfirmers, wakeDispatchers } from './wake-dispatchers';

/** What a webhook did: applied as `Applied`, kept for a call not yet recorded, or held for the provider's confirmation. */
export type Received = Applied | 'stored' | 'confirming';

/**
 * A provider webhook for the tenant: stored once per (execution, status) —
 * a replay is answered as a duplicate and changes nothing — then applied to
 * the call it belongs to. A delivery that beats our own record of the dial
 * (the provider answers fast) waits in call_events and is applied when the
 * dial is recorded (`applyStoredEvents`). A final status from a provider that
 * signs nothing (Bolna) only queues a confirmation: the worker applies what
 * the provider itself then reports (confirm-final-statuses.ts, checklist 18).
 */
export async function recordCallEvent(
  db: Database,
  tenantId: string,
  provider: 'bolna' | 'simulated',
  body: unknown,
  now = new Date(),
): Promise<Result<{ duplicate: boolean; applied: Received }>> {
  const parsed = BolnaExecutionPayload.safeParse(body);
  if (!parsed.success)
    return fail('VALIDATION', 'Expected a call execution with an id and a status');
  const payload = parsed.data;
  const result =
    (await applyInOneStatement(db, tenantId, provider, payload, body, now)) ??
    (await withTenant(db, tenantId, async (tx): Promise<Recorded> => {
      await lockExecutionToApplyStatus(tx, payload.id);
      const inserted = await tx
        .insert(callEvents)
        .values({
          tenantId,
          provider,
          executionId: payload.id,
          status: payload.status,
          raw: body as object,
        })
        .onConflictDoNothing()
        .returning({ id: callEvents.id });
      if (inserted.length === 0) return ok({ duplicate: true, applied: 'ignored' });
      const call = await lockCallByExecution(tx, tenantId, payload.id);
      if (!call) return ok({ duplicate: false, applied: 'stored' });
      const applied = await applyTo(tx, call, payload, now);
      return ok({ duplicate: false, applied, campaignId: call.campaignId });
    }));
  const { campaignId } = result.ok ? result.data : {};
  if (result.ok && result.data.applied === 'confirming') wakeConfirmers(db);
  if (
    result.ok &&
    campaignId &&
    (result.data.applied === 'finished' || result.data.applied === 'retried')
  ) {
    touchCampaignProgress(db, [{ tenantId, campaignId }]);
    wakeDispatchers(db); // its slot is free, now that it is committed
  }
  if (
    result.ok &&
    payload.status === 'balance-low' &&
    result.data.applied !== 'confirming' &&
    result.data.campaignId
  ) {
    await pauseCampaign(
      db,
      tenantId,
      result.data.campaignId,
      { type: 'system', job: 'webhooks' },
      LOW_BALANCE,
    );
  }
  return result.ok
    ? ok({ duplicate: result.data.duplicate, applied: result.data.applied })
    : result;
}

type Recorded = Result<{
  duplicate: boolean;
  applied: Received;
  campaignId?: string;
}>;

/** How a status that needs no window arithmetic ends the call, for apply_call_status. */
function finalOf(payload: BolnaExecutionPayload) {
  const info = classifyExecution(payload);
  if (!info.terminal || !info.outcome) return { rank: info.rank, final: null };
  switch (info.outcome) {
    case 'completed':
    case 'voicemail':
      return {
        rank: info.rank,
        final: { status: 'completed', outcome: info.outcome, error: null },
      };
    case 'canceled':
      return { rank: info.rank, final: { status: 'cancelled', outcome: 'canceled', error: null } };
    case 'balance_low':
      return {
        rank: info.rank,
        final: { status: 'failed', outcome: 'balance_low', error: BALANCE_ERROR },
      };
    default:
      return null; // retried while attempts remain: applyExecution, with the calendar
  }
}

/**
 * Every status in one round trip or two: apply_call_status (drizzle/0016) does
 * what the transaction below does for progress and the final statuses that do
 * not retry (most deliveries), apply_call_retry for the retrying ones. Null:
 * this delivery takes the long way (a call not recorded yet, say).
 */
async function applyInOneStatement(
  db: Database,
  tenantId: string,
  provider: string,
  payload: BolnaExecutionPayload,
  body: unknown,
  now: Date,
): Promise<Recorded | null> {
  const how = finalOf(payload);
  const row = how
    ? await applyStatusStatement(db, tenantId, provider, payload, body, how)
    : await applyRetryInOneStatement(db, tenantId, provider, payload, body, now);
  if (!row) return null;
  if (row.applied === 'duplicate') return ok({ duplicate: true, applied: 'ignored' });
  return ok({
    duplicate: false,
    applied: row.applied as Received,
    campaignId: row.campaign_id ?? undefined,
  });
}

async function applyStatusStatement(
  db: Database,
  tenantId: string,
  provider: string,
  payload: BolnaExecutionPayload,
  body: unknown,
  how: NonNullable<ReturnType<typeof finalOf>>,
): Promise<StatementOutcome> {
  const [row] = await db.execute<StatementOutcome>(sql`
    select * from apply_call_status(
      ${tenantId}::uuid, ${provider}, ${payload.id}, ${payload.status}, ${JSON.stringify(body)}::jsonb,
      ${how.rank}::smallint, ${how.final?.status ?? null}, ${how.final?.outcome ?? null},
      ${how.final?.error ?? null}, ${executionDurationSeconds(payload)}::integer)`);
  if (!row) throw new Error('apply_call_status returned nothing');
  return row;
}

export const LOW_BALANCE =
  'The call provider reports a low balance. Top up the account, then resume.';

async function applyTo(
  tx: TenantTx,
  call: LockedCall,
  payload: BolnaExecutionPayload,
  now: Date,
): Promise<Applied | 'confirming'> {
  const campaign = await lockCampaign(tx, call.tenantId, call.campaignId);
  if (!campaign) return 'ignored';
  if (await heldForConfirmation(tx, call, campaign.provider, payload)) return 'confirming';
  return applyExecution(
    tx,
    call,
    campaign,
    {
      status: payload.status,
      answeredByVoicemail: payload.answered_by_voice_mail === true,
      durationSeconds: executionDurationSeconds(payload),
    },
    now,
  );
}

/**
 * A final status the provider must confirm first (as apply_call_status does
 * for the others): queued for the worker, the call left as it is — its status
 * rank too, or the confirmed status would rank as already seen.
 */
async function heldForConfirmation(
  tx: TenantTx,
  call: LockedCall,
  provider: string,
  payload: BolnaExecutionPayload,
): Promise<boolean> {
  if (!confirmsFinalStatuses(provider)) return false;
  if (call.status !== 'dispatching' && call.status !== 'in_progress') return false;
  const info = classifyExecution(payload);
  if (!info.terminal || info.rank <= call.providerStatusRank) return false;
  await tx
    .insert(callConfirmations)
    .values({ tenantId: call.tenantId, executionId: payload.id, status: payload.status })
    .onConflictDoNothing();
  return true;
}

/**
 * Applies the statuses already received for a call just marked dialled.
 * Returns the status that ended or requeued it (the caller pauses the
 * campaign on `balance-low`, as the webhook path does), else null.
 */
export async function applyStoredEvents(
  tx: TenantTx,
  call: LockedCall,
  now: Date,
): Promise<BolnaExecutionPayload['status'] | null> {
  if (!call.providerCallId) return null;
  const events = await tx
    .select({ raw: callEvents.raw })
    .from(callEvents)
    .where(
      and(eq(callEvents.tenantId, call.tenantId), eq(callEvents.executionId, call.providerCallId)),
    )
    .orderBy(sql`${callEvents.id}`);
  let current = call;
  for (const { raw } of events) {
    const parsed = BolnaExecutionPayload.safeParse(raw);
    if (!parsed.success) continue;
    const result = await applyTo(tx, current, parsed.data, now);
    if (result === 'finished' || result === 'retried') return parsed.data.status;
    const refreshed = await lockCallByExecution(tx, call.tenantId, call.providerCallId);
    if (!refreshed) return null;
    current = refreshed;
  }
  return null;
}
