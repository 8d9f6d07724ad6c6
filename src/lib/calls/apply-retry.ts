import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { nextAttempt } from './next-attempt';
import {
  type BolnaExecutionPayload,
  classifyStatus,
  executionDurationSeconds,
  retryOnce,
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

/** A campaign edited at every turn: past this, the caller takes the locked way. */
const ATTEMPTS = 3;

/**
 * A retrying status (no-answer, busy; failed/error/stopped once) applied in
 * one statement: the next attempt is computed here from a plain read of the
 * call and its campaign, and apply_call_retry re-checks under the call's lock
 * that what it was computed from has not moved (else 'stale': nothing written,
 * read again). The campaign's row is then held for that one statement, not
 * for the transaction's round trips (bench:soak: waits of up to 1.8 s on a
 * busy campaign's row). Null: the call is not recorded yet, or its campaign
 * kept changing — the caller takes the long way.
 */
export async function applyRetryInOneStatement(
  db: Database,
  tenantId: string,
  provider: string,
  payload: BolnaExecutionPayload,
  body: unknown,
  now: Date,
): Promise<StatementOutcome | null> {
  const info = classifyStatus(payload.status, {
    answeredByVoicemail: payload.answered_by_voice_mail === true,
  });
  if (!info.terminal || !info.outcome) throw new Error(`${payload.status} is not a final status`);
  for (let tries = 0; tries < ATTEMPTS; tries += 1) {
    const [context] = await db.execute<RetryContext>(
      sql`select * from call_retry_context(${tenantId}::uuid, ${payload.id})`,
    );
    if (!context) return null;
    const plan = planRetry(context, payload.status, now);
    const [row] = await db.execute<StatementOutcome>(sql`
      select * from apply_call_retry(
        ${tenantId}::uuid, ${provider}, ${payload.id}, ${payload.status},
        ${JSON.stringify(body)}::jsonb, ${info.rank}::smallint,
        ${executionDurationSeconds(payload)}::integer, ${info.outcome},
        ${context.attempt}::smallint, ${context.terms}, ${plan.failOnce},
        ${plan.next?.at.toISOString() ?? null}::timestamptz,
        ${plan.next?.notAfter?.toISOString() ?? null}::timestamptz)`);
    if (!row) throw new Error('apply_call_retry returned nothing');
    if (row.applied !== 'stale') return row;
  }
  return null;
}

/** applyExecution's and retryOrFail's decision, from the context alone. */
function planRetry(context: RetryContext, status: BolnaExecutionPayload['status'], now: Date) {
  const failOnce = retryOnce(status) && context.attempt >= 2;
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
