import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { sqlStateOf } from '../log/describe-error';
import { nextAttempt } from './next-attempt';
import {
  type BolnaExecutionPayload,
  classifyExecution,
  executionDurationSeconds,
  spentItsOneRetry,
} from './providers/statuses';

/** What apply_call_status and apply_call_retry answer (drizzle/0016). */
export type StatementOutcome = {
  applied: string;
  campaign_id: string | null;
};

type RetryContext = {
  attempt: number;
  timezone: string;
  window_days: number[];
  window_start_minute: number;
  window_end_minute: number;
  end_at: string | Date | null;
  max_attempts: number;
  retry_delay_minutes: number;
  terms: string;
};

/** Reads again after the statement found its terms moved; past this, the locked way. */
const STALE_REREADS = 3;
/** apply_call_retry's SQLSTATE when what the retry was computed from moved (nothing written). */
const MOVED = 'SB409';

/**
 * A retrying status (no-answer, busy; failed/error/stopped once) in one
 * statement: the next attempt computed here from a plain read, re-checked by
 * apply_call_retry under the campaign's lock (decision 006 §6). Null: the call
 * is not recorded yet, or it kept moving — the caller takes the locked way.
 */
export async function applyRetryInOneStatement(
  db: Database,
  tenantId: string,
  provider: string,
  payload: BolnaExecutionPayload,
  body: unknown,
  now: Date,
): Promise<StatementOutcome | null> {
  const info = classifyExecution(payload);
  if (!info.terminal || !info.outcome) throw new Error(`${payload.status} is not a final status`);
  for (let read = 0; read < STALE_REREADS; read += 1) {
    const [context] = await db.execute<RetryContext>(
      sql`select * from call_retry_context(${tenantId}::uuid, ${payload.id})`,
    );
    if (!context) return null;
    const plan = planRetry(context, payload.status, now);
    try {
      const [row] = await db.execute<StatementOutcome>(sql`
        select * from apply_call_retry(
          ${tenantId}::uuid, ${provider}, ${payload.id}, ${payload.status},
          ${JSON.stringify(body)}::jsonb, ${info.rank}::smallint,
          ${executionDurationSeconds(payload)}::integer, ${info.outcome},
          ${context.attempt}::smallint, ${context.terms}, ${plan.failOnce},
          ${plan.next?.at.toISOString() ?? null}::timestamptz,
          ${plan.next?.notAfter?.toISOString() ?? null}::timestamptz)`);
      if (!row) throw new Error('apply_call_retry returned nothing');
      return row;
    } catch (error) {
      if (sqlStateOf(error) !== MOVED) throw error;
    }
  }
  return null;
}

/** applyExecution's and retryOrFail's decision, from the context alone. */
function planRetry(context: RetryContext, status: BolnaExecutionPayload['status'], now: Date) {
  const failOnce = spentItsOneRetry(status, context.attempt);
  const notBefore = new Date(now.getTime() + context.retry_delay_minutes * 60_000);
  const terms = {
    windowDays: context.window_days,
    windowStartMinute: context.window_start_minute,
    windowEndMinute: context.window_end_minute,
    endAt: context.end_at === null ? null : new Date(context.end_at),
    maxAttempts: context.max_attempts,
  };
  return {
    failOnce,
    next: failOnce ? null : nextAttempt(terms, context.timezone, context.attempt, notBefore),
  };
}
