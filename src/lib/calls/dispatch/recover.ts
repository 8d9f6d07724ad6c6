import { sql as drizzleSql } from 'drizzle-orm';
import type postgres from 'postgres';
import { lockCampaign } from '../../campaigns/internal';
import type { Database } from '../../db/client';
import { type TenantTx, withTenant } from '../../db/tenant';
import { applyExecution, executionUpdateOf } from '../apply-status';
import { touchCampaignProgress } from '../live-progress';
import type { ExecutionSnapshot, LookupResult } from '../providers/types';
import { applyStoredEvents } from '../record-call-event';
import {
  finishCall,
  type LockedCall,
  lockCall,
  lockExecution,
  markDialled,
  retryOrFail,
} from '../transitions';
import { wakeDispatchers } from '../wake-dispatchers';
import { callRefOf, type ProviderResolver } from './dial';

export interface RecoverOptions {
  /** In progress this long without a final status: ask the provider (checklist 15). Fractions allowed. */
  staleInProgressMinutes: number;
  limit: number;
}

export type RecoverSummary = {
  redialLater: number;
  foundDialled: number;
  settled: number;
  unknown: number;
};

/**
 * Calls a stopped or stuck process left behind. A `dispatching` row whose
 * lease ran out may or may not have reached the provider: we ask it for an
 * execution under the row's reference before deciding, so a crash between
 * "provider accepted" and "we recorded it" never dials twice (checklist 14).
 * A call in progress for too long is settled from the provider's record, so
 * its slot cannot leak. When the provider can't tell, the row waits for the
 * next sweep rather than risk a second dial.
 */
export async function recoverCalls(
  db: Database,
  sql: postgres.Sql,
  providerFor: ProviderResolver,
  now: () => Date,
  options: RecoverOptions = { staleInProgressMinutes: 15, limit: 100 },
): Promise<RecoverSummary> {
  const summary: RecoverSummary = { redialLater: 0, foundDialled: 0, settled: 0, unknown: 0 };
  const rows = await sql<{ tenant_id: string; id: string }[]>`
    select tenant_id, id from calls_needing_recovery(
      ${`${options.staleInProgressMinutes} minutes`}::interval, ${options.limit},
      ${now().toISOString()}::timestamptz)`;
  for (const row of rows) {
    const tenantId = row.tenant_id;
    const snapshot = await withTenant(db, tenantId, async (tx) => {
      const call = await lockIfStillDue(tx, tenantId, Number(row.id), now(), options);
      const campaign = call && (await lockCampaign(tx, tenantId, call.campaignId));
      return call && campaign ? { call, campaign } : null;
    });
    if (!snapshot) continue;
    const { call, campaign } = snapshot;
    const provider = await providerFor(tenantId, campaign.provider);
    let lookup: LookupResult;
    if (call.status === 'dispatching') {
      const since = new Date(now().getTime() - 24 * 3_600_000);
      lookup = await provider.findExecutionByRef(campaign.agentId, callRefOf(call), since);
    } else if (call.providerCallId) {
      lookup = await provider.getExecution(call.providerCallId);
    } else {
      lookup = { ok: true, execution: null };
    }
    if (!lookup.ok) {
      summary.unknown += 1;
      continue;
    }
    const outcome = await settleFromLookup(db, tenantId, call, lookup.execution, now(), options);
    summary[outcome] += 1;
    if (outcome !== 'unknown') {
      touchCampaignProgress(db, [call]);
      wakeDispatchers(db); // a slot may be free, now that it is committed
    }
  }
  return summary;
}

/**
 * The row, locked, if it still needs what calls_needing_recovery listed it
 * for. Every worker sweeps, each row after a provider lookup: by the time one
 * sweep reaches a row, another may have queued it again (it must not then be
 * failed as "lost"), and a dispatcher may have claimed it again (a fresh
 * lease: recovering it would free its slot and let it be dialled twice).
 */
async function lockIfStillDue(
  tx: TenantTx,
  tenantId: string,
  id: number,
  now: Date,
  options: RecoverOptions,
): Promise<LockedCall | null> {
  const call = await lockCall(tx, tenantId, id);
  if (!call) return null;
  const stale = `${options.staleInProgressMinutes} minutes`;
  const at = now.toISOString();
  const [due] = await tx.execute<{ due: boolean }>(drizzleSql`
    select (status = 'dispatching' and lease_expires_at < ${at}::timestamptz)
        or (status = 'in_progress' and dialled_at < ${at}::timestamptz - ${stale}::interval) as due
    from call_queue where tenant_id = ${tenantId} and id = ${id}`);
  return due?.due ? call : null;
}

async function settleFromLookup(
  db: Database,
  tenantId: string,
  looked: LockedCall,
  execution: ExecutionSnapshot | null,
  now: Date,
  options: RecoverOptions,
): Promise<'redialLater' | 'foundDialled' | 'settled' | 'unknown'> {
  return withTenant(db, tenantId, async (tx) => {
    const call = await lockIfStillDue(tx, tenantId, looked.id, now, options);
    const campaign = call && (await lockCampaign(tx, tenantId, call.campaignId));
    // Someone else moved it since the lookup (a webhook, another sweep, a new claim): not ours.
    if (!call || !campaign || call.status !== looked.status || call.attempt !== looked.attempt) {
      return 'unknown';
    }
    if (call.status === 'dispatching') {
      if (!execution) {
        await retryOrFail(tx, call, campaign, {
          notBefore: now,
          countAttempt: false,
          outcome: 'dispatcher_stopped',
          error: null,
        });
        return 'redialLater';
      }
      // As when a dial is recorded: webhooks for this execution may have been stored meanwhile.
      await lockExecution(tx, execution.executionId);
      await markDialled(tx, call, execution.executionId, now);
      const dialled = { ...call, status: 'in_progress', providerCallId: execution.executionId };
      const applied = await applyExecution(
        tx,
        dialled,
        campaign,
        executionUpdateOf(execution),
        now,
      );
      if (applied === 'progress' || applied === 'ignored') {
        const current = await lockCall(tx, tenantId, call.id);
        if (current?.status === 'in_progress') await applyStoredEvents(tx, current, now);
      }
      return 'foundDialled';
    }
    if (!execution) {
      await finishCall(tx, call, 'failed', 'lost', 'The provider has no record of this call');
      return 'settled';
    }
    const applied = await applyExecution(tx, call, campaign, executionUpdateOf(execution), now);
    return applied === 'finished' || applied === 'retried' ? 'settled' : 'unknown';
  });
}
