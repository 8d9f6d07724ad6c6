import { type SQL, sql } from 'drizzle-orm';
import type { CallStatus } from '../db/schema';

/**
 * A campaign's calls per status, whatever its size: its counters, which every
 * transition moves in the same transaction as the row (transitions.ts; the
 * 30-s bookkeeping repair corrects a drift), and the calls being dialled right
 * now split off from the active ones (the counters keep dispatching and in
 * progress together) through call_queue_campaign_status_idx, which reads only
 * those — at most the campaign's share of the concurrency limit. Counting the
 * campaign's rows instead walked all of them on every page view and live update.
 */
export type StatusCounterColumns = {
  queued_calls: number;
  active_calls: number;
  completed_calls: number;
  failed_calls: number;
  cancelled_calls: number;
  skipped_calls: number;
  dispatching: number;
};

/** The select list for `StatusCounterColumns`, in a query over `call_campaigns k`. */
export const statusCounterColumns: SQL = sql`k.queued_calls, k.active_calls, k.completed_calls,
  k.failed_calls, k.cancelled_calls, k.skipped_calls,
  (select count(*)::int from call_queue q
    where q.tenant_id = k.tenant_id and q.campaign_id = k.id
      and q.status = 'dispatching') as dispatching`;

export function toStatusCounts(row: StatusCounterColumns): Record<CallStatus, number> {
  const dispatching = Math.min(row.dispatching, row.active_calls);
  return {
    queued: row.queued_calls,
    dispatching,
    in_progress: row.active_calls - dispatching,
    completed: row.completed_calls,
    failed: row.failed_calls,
    cancelled: row.cancelled_calls,
    skipped: row.skipped_calls,
  };
}
