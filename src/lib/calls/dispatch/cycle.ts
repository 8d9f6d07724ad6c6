import type postgres from 'postgres';
import type { Database } from '../../db/client';
import { type ClaimOptions, claimDueCalls } from './claim';
import { type DialOutcome, dialClaimedBatch, type ProviderResolver } from './dial';
import { rescheduleClosedWindows } from './reschedule';

export interface DispatchDeps {
  db: Database;
  sql: postgres.Sql;
  providerFor: ProviderResolver;
  now?: () => Date;
}

export const DEFAULT_CLAIM: ClaimOptions = { max: 100, leaseSeconds: 60, windowMarginSeconds: 30 };

export type CycleSummary = Record<DialOutcome | 'claimed' | 'rescheduled', number>;

/**
 * One dispatcher cycle: move rows whose window closed, claim what the caps
 * allow (claim_due_calls), dial the claimed calls concurrently. Returns what
 * happened, for the worker's log and for tests.
 */
export async function runDispatchCycle(
  deps: DispatchDeps,
  options: ClaimOptions = DEFAULT_CLAIM,
): Promise<CycleSummary> {
  const now = deps.now ?? (() => new Date());
  const summary: CycleSummary = {
    rescheduled: 0,
    claimed: 0,
    dialled: 0,
    retried: 0,
    failed: 0,
    outside_window: 0,
    lost_lease: 0,
    not_dialled: 0,
    deferred: 0,
  };
  summary.rescheduled = await rescheduleClosedWindows(deps.db, deps.sql, now(), {
    marginSeconds: options.windowMarginSeconds,
    limit: 500,
  });
  const claimed = await claimDueCalls(deps.sql, options, now());
  summary.claimed = claimed.length;
  // Per provider key: rate limit and circuit breaker first, then the dials (dial.ts).
  const outcomes = await dialClaimedBatch(deps.db, deps.providerFor, claimed, now);
  for (const outcome of outcomes) summary[outcome] += 1;
  return summary;
}
