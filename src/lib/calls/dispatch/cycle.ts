import type postgres from 'postgres';
import type { Database } from '../../db/client';
import { type ClaimedCall, type ClaimOptions, claimDueCalls } from './claim';
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

export interface StartedCycle {
  rescheduled: number;
  claimed: ClaimedCall[];
  /** The claimed calls' dials, under way: resolves with the cycle's summary. */
  dialled: Promise<CycleSummary>;
}

/**
 * The first half of a cycle, awaited: move rows whose window closed, claim
 * what the caps allow (claim_due_calls). The dials start and are not awaited:
 * the dispatcher claims again as soon as a slot frees, while earlier dials
 * are still waiting for the provider (their slots are already taken, so the
 * calls under way never exceed the caps).
 */
export async function startDispatchCycle(
  deps: DispatchDeps,
  options: ClaimOptions = DEFAULT_CLAIM,
): Promise<StartedCycle> {
  const now = deps.now ?? (() => new Date());
  const rescheduled = await rescheduleClosedWindows(deps.db, deps.sql, now(), {
    marginSeconds: options.windowMarginSeconds,
    limit: 500,
  });
  const claimed = await claimDueCalls(deps.sql, options, now());
  const dialled = (async () => {
    const summary: CycleSummary = {
      rescheduled,
      claimed: claimed.length,
      dialled: 0,
      retried: 0,
      failed: 0,
      outside_window: 0,
      lost_lease: 0,
      not_dialled: 0,
      deferred: 0,
      unconfirmed: 0,
    };
    // Per provider key: rate limit and circuit breaker first, then the dials (dial.ts).
    const outcomes = await dialClaimedBatch(deps.db, deps.providerFor, claimed, now);
    for (const outcome of outcomes) summary[outcome] += 1;
    return summary;
  })();
  return { rescheduled, claimed, dialled };
}

/** One whole cycle, dials included: what happened, for tests and one-off runs. */
export async function runDispatchCycle(
  deps: DispatchDeps,
  options: ClaimOptions = DEFAULT_CLAIM,
): Promise<CycleSummary> {
  return (await startDispatchCycle(deps, options)).dialled;
}
