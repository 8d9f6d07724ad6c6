import { and, sql as drizzleSql, eq } from 'drizzle-orm';
import type postgres from 'postgres';
import { lockCampaign } from '../campaigns/internal';
import { pauseCampaign } from '../campaigns/pause-campaign';
import type { Database } from '../db/client';
import { callConfirmations, campaignErrorLogs } from '../db/schema';
import { type TenantTx, withTenant } from '../db/tenant';
import { type Applied, applyExecution, executionUpdateOf } from './apply-status';
import type { ProviderResolver } from './dispatch/dial';
import { touchCampaignProgress } from './live-progress';
import { classifyStatus } from './providers/statuses';
import type { ExecutionSnapshot } from './providers/types';
import { LOW_BALANCE } from './record-call-event';
import { lockCallByExecution, lockExecutionToApplyStatus } from './transitions';
import { wakeDispatchers } from './wake-dispatchers';

export interface ConfirmOptions {
  /** Confirmations taken per sweep. */
  limit: number;
  /** Provider lookups under way at once. */
  concurrency: number;
}

export type ConfirmSummary = {
  /** The provider's final status was applied. */
  confirmed: number;
  /** The provider does not back the webhook: the call was left as it was, and the campaign's error log says so. */
  rejected: number;
  /** The lookup failed, or the provider's record has not caught up yet: looked up again later. */
  retryLater: number;
  /** The call had ended meanwhile (another sweep, a cancellation): nothing to confirm. */
  gone: number;
};

export const DEFAULT_CONFIRM: ConfirmOptions = { limit: 50, concurrency: 8 };

/** A provider still reporting a call as live is asked this many times before the webhook is refused. */
const LIVE_LOOKUPS = 4;

interface Due {
  tenant_id: string;
  execution_id: string;
  status: string;
  attempts: number;
}

/**
 * Checklist 18: a final status received from a provider that signs nothing
 * (webhook → call_confirmations) ends the call only once the provider's own
 * record (`GET /executions/{id}`) says it ended, and then as that record says.
 * The webhook handler only queues (it makes no provider call, checklist 19);
 * workers sweep here, each confirmation taken by one of them at a time.
 */
export async function confirmFinalStatuses(
  db: Database,
  sql: postgres.Sql,
  providerFor: ProviderResolver,
  now: () => Date,
  options: ConfirmOptions = DEFAULT_CONFIRM,
): Promise<ConfirmSummary> {
  const summary: ConfirmSummary = { confirmed: 0, rejected: 0, retryLater: 0, gone: 0 };
  const due = await sql<Due[]>`
    select tenant_id, execution_id, status, attempts
    from call_confirmations_due(${options.limit}, ${now().toISOString()}::timestamptz)`;
  let next = 0;
  const lanes = Array.from({ length: Math.min(options.concurrency, due.length) }, async () => {
    while (next < due.length) {
      const row = due[next++] as Due;
      summary[await confirmOne(db, providerFor, row, now)] += 1;
    }
  });
  await Promise.all(lanes);
  return summary;
}

async function confirmOne(
  db: Database,
  providerFor: ProviderResolver,
  row: Due,
  now: () => Date,
): Promise<keyof ConfirmSummary> {
  const { tenant_id: tenantId, execution_id: executionId } = row;
  // Which provider to ask; the call is locked and re-checked when the answer is applied.
  const campaign = await withTenant(db, tenantId, async (tx) => {
    const call = await lockCallByExecution(tx, tenantId, executionId, false);
    if (!call || (call.status !== 'in_progress' && call.status !== 'dispatching')) return null;
    return lockCampaign(tx, tenantId, call.campaignId, false);
  });
  if (!campaign) {
    await withTenant(db, tenantId, (tx) => forget(tx, tenantId, executionId));
    return 'gone';
  }
  const provider = await providerFor(tenantId, campaign.provider);
  const lookup = await provider.getExecution(executionId);
  if (!lookup.ok) return retryLater(db, row, now());
  const execution = lookup.execution;
  const live = execution !== null && !classifyStatus(execution.status).terminal;
  // Bolna's record can trail its own webhook by a moment: ask again before refusing.
  if (live && row.attempts < LIVE_LOOKUPS) return retryLater(db, row, now());

  const settled = await withTenant(db, tenantId, async (tx) => {
    await lockExecutionToApplyStatus(tx, executionId); // the webhooks' order: execution, row, campaign
    const call = await lockCallByExecution(tx, tenantId, executionId);
    const current = call && (await lockCampaign(tx, tenantId, call.campaignId));
    await forget(tx, tenantId, executionId);
    if (!call || !current || (call.status !== 'in_progress' && call.status !== 'dispatching')) {
      return null;
    }
    if (!execution || live) {
      await tx.insert(campaignErrorLogs).values({
        tenantId,
        campaignId: call.campaignId,
        queueId: call.id,
        attempt: call.attempt,
        category: 'unconfirmed_status',
        message: refusal(row.status, execution),
      });
      return { applied: 'refused' as const, campaignId: call.campaignId };
    }
    const update = executionUpdateOf(execution);
    const applied: Applied = await applyExecution(tx, call, current, update, now());
    return { applied, campaignId: call.campaignId };
  });
  if (!settled) return 'gone';
  if (settled.applied === 'refused') return 'rejected';
  if (settled.applied === 'finished' || settled.applied === 'retried') {
    touchCampaignProgress(db, [{ tenantId, campaignId: settled.campaignId }]);
    wakeDispatchers(db);
  }
  if (execution?.status === 'balance-low') {
    await pauseCampaign(
      db,
      tenantId,
      settled.campaignId,
      { type: 'system', job: 'webhooks' },
      LOW_BALANCE,
    );
  }
  return 'confirmed';
}

function refusal(claimed: string, execution: ExecutionSnapshot | null): string {
  const says = execution
    ? `the provider still reports "${execution.status}"`
    : 'the provider has no such call';
  return `A webhook reported "${claimed}" but ${says}: the call was left as it was.`;
}

async function forget(tx: TenantTx, tenantId: string, executionId: string) {
  await tx
    .delete(callConfirmations)
    .where(
      and(eq(callConfirmations.tenantId, tenantId), eq(callConfirmations.executionId, executionId)),
    );
}

/**
 * Backs off 5 s, 10 s, 20 s, then every 30 s: the call keeps its slot while
 * it waits, so after an outage its confirmation must not be minutes away.
 */
async function retryLater(db: Database, row: Due, now: Date): Promise<'retryLater'> {
  const seconds = Math.min(5 * 2 ** Math.max(row.attempts - 1, 0), 30);
  await withTenant(db, row.tenant_id, (tx) =>
    tx
      .update(callConfirmations)
      .set({
        nextAt: drizzleSql`${now.toISOString()}::timestamptz + ${`${seconds} seconds`}::interval`,
      })
      .where(
        and(
          eq(callConfirmations.tenantId, row.tenant_id),
          eq(callConfirmations.executionId, row.execution_id),
        ),
      ),
  );
  return 'retryLater';
}
