import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { withTenant } from '../db/tenant';
import { processLogger } from '../log';
import { describeError } from '../log/describe-error';

/** Re-roll while the campaign changed less than this before the last roll-up (see campaign_stats_due). */
export const CAMPAIGN_STATS_SLACK_MINUTES = 5;
/** A running campaign is re-rolled at least this often even when its row did not move. */
export const CAMPAIGN_STATS_REFRESH_MINUTES = 10;
/** Campaigns one tick rolls at most, and how long it may keep starting new ones. */
export const CAMPAIGN_STATS_BATCH = 50;
export const CAMPAIGN_STATS_BUDGET_MS = 20_000;

/**
 * Replaces one campaign's rows in campaign_stats with a count of its queue
 * rows, and stamps campaign_stats_state.rolled_at with this transaction's
 * start: idempotent, re-running changes nothing but the stamp. The campaign's
 * rows are read once, through call_queue_campaign_status_idx and the heap
 * (outcome, duration and dial time are in no index): this is the cost the
 * detail page used to pay on every view. Returns false when another process
 * is rolling the same campaign (it will be done) or the campaign is gone.
 */
export async function rollupCampaignStats(
  db: DbOrTx,
  tenantId: string,
  campaignId: string,
): Promise<boolean> {
  return withTenant(db, tenantId, async (tx) => {
    // Two workers on one campaign would insert the same keys; the loser skips. No JIT:
    // compiling cost more than running the statement (as for the daily roll-up).
    const [lock] = await tx.execute<{ locked: boolean }>(sql`
      select set_config('jit', 'off', true) as jit,
        pg_try_advisory_xact_lock(hashtext('campaign-stats'), hashtext(${campaignId})) as locked`);
    if (!lock?.locked) return false;
    // The state row first: the stats rows' foreign key points at it (not at the hot campaign row).
    const state = await tx.execute(sql`
      insert into campaign_stats_state as s (tenant_id, campaign_id, rolled_at)
      select k.tenant_id, k.id, now() from call_campaigns k
      where k.tenant_id = ${tenantId} and k.id = ${campaignId} and k.deleted_at is null
      on conflict (tenant_id, campaign_id) do update set rolled_at = excluded.rolled_at
      returning 1`);
    if (state.length === 0) return false;
    await tx.execute(sql`
      delete from campaign_stats where tenant_id = ${tenantId} and campaign_id = ${campaignId}`);
    // Day: the last dial's local day in the campaign's zone, as getCampaignAnalytics reports it.
    await tx.execute(sql`
      insert into campaign_stats (tenant_id, campaign_id, day, status, outcome, calls,
        duration_sum, duration_count)
      select ${tenantId}, ${campaignId},
        (q.dialled_at at time zone (select k.timezone from call_campaigns k
          where k.tenant_id = ${tenantId} and k.id = ${campaignId}))::date,
        q.status, q.outcome, count(*), coalesce(sum(q.duration_seconds), 0), count(q.duration_seconds)
      from call_queue q
      where q.tenant_id = ${tenantId} and q.campaign_id = ${campaignId}
      group by 3, 4, 5`);
    return true;
  });
}

export type CampaignStatsTick = { due: number; rolled: number; skipped: number; failed: number };

/**
 * The worker's tick: the campaigns due (campaign_stats_due: never rolled,
 * changed, or running and not rolled for a while), stalest first, one
 * transaction each, until the batch or the time budget runs out; the rest
 * wait for the next tick. One campaign's failure is logged and counted.
 */
export async function rollupDueCampaigns(
  db: DbOrTx,
  now: Date,
  options: { batch?: number; budgetMs?: number; signal?: AbortSignal } = {},
): Promise<CampaignStatsTick> {
  const started = Date.now();
  const due = await db.execute<{ tenant_id: string; campaign_id: string }>(sql`
    select tenant_id, campaign_id from campaign_stats_due(${now.toISOString()}::timestamptz,
      make_interval(mins => ${CAMPAIGN_STATS_SLACK_MINUTES}),
      make_interval(mins => ${CAMPAIGN_STATS_REFRESH_MINUTES}),
      ${options.batch ?? CAMPAIGN_STATS_BATCH})`);
  const summary = { due: due.length, rolled: 0, skipped: 0, failed: 0 };
  for (const row of due) {
    // Out of time, or the worker is stopping: the rest are due again next tick.
    if (Date.now() - started > (options.budgetMs ?? CAMPAIGN_STATS_BUDGET_MS)) break;
    if (options.signal?.aborted) break;
    try {
      if (await rollupCampaignStats(db, row.tenant_id, row.campaign_id)) summary.rolled += 1;
      else summary.skipped += 1;
    } catch (error) {
      summary.failed += 1;
      processLogger().warn(
        { campaignId: row.campaign_id, reason: describeError(error) },
        'campaign stats roll-up failed; it stays due',
      );
    }
  }
  return summary;
}
