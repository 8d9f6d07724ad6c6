import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { BREAKER_FAILURES, BREAKER_OPEN_MS, type RateLimit } from './policy';

/**
 * The provider_rate_buckets functions (drizzle/0008), one round trip each.
 * Cross-tenant and SECURITY DEFINER: callable from the pool, outside any
 * tenant transaction.
 */

const ms = (n: number) => `${Math.max(0, Math.round(n))} milliseconds`;
const asDate = (value: unknown) => (value == null ? null : new Date(value as string | Date));

/** Takes up to `want` tokens from `key`'s bucket at `at`; returns how many it got. */
export async function takeProviderTokens(
  db: Database,
  key: string,
  limit: RateLimit,
  want: number,
  at: Date,
): Promise<number> {
  const [row] = await db.execute<{ granted: number }>(sql`
    select take_provider_tokens(${key}, ${limit.ratePerMinute}::int, ${limit.burst}::int,
                                ${want}::int, ${at.toISOString()}::timestamptz) as granted`);
  return Number(row?.granted ?? 0);
}

export type AdmissionState = 'closed' | 'rate_limited' | 'open' | 'probing' | 'probe';

export interface Admission {
  /** The batch's first `granted` calls may be dialled. */
  granted: number;
  /** Why the rest wait (see admit_provider_calls). */
  state: AdmissionState;
  /** When the first waiting call may come back (null when none waits). */
  retryAt: Date | null;
  /** One token's worth of time: how far apart waiting calls come back. */
  spacingMs: number;
  /** The key's failures in a row when admitted. */
  failures: number;
}

/** The breaker, then the bucket, for a batch of `want` calls with `key`. */
export async function admitProviderCalls(
  db: Database,
  key: string,
  limit: RateLimit,
  want: number,
  at: Date,
): Promise<Admission> {
  const [row] = await db.execute<Record<string, unknown>>(sql`
    select * from admit_provider_calls(${key}, ${limit.ratePerMinute}::int, ${limit.burst}::int,
                                       ${want}::int, ${ms(BREAKER_OPEN_MS)}::interval,
                                       ${at.toISOString()}::timestamptz)`);
  if (!row) throw new Error('admit_provider_calls returned nothing');
  return {
    granted: Number(row.granted),
    state: String(row.state) as AdmissionState,
    retryAt: asDate(row.retry_at),
    spacingMs: Number(row.spacing_ms),
    failures: Number(row.failures),
  };
}

export type ProviderOutcome =
  | { kind: 'success' }
  | { kind: 'failure' }
  | { kind: 'rate_limited'; retryAfterMs: number };

/** Tells the key's breaker (and, for a 429, its bucket) how a dial went. */
export async function recordProviderOutcome(
  db: Database,
  key: string,
  outcome: ProviderOutcome,
  at: Date,
): Promise<'closed' | 'open'> {
  const retryAfter = outcome.kind === 'rate_limited' ? outcome.retryAfterMs : 0;
  const [row] = await db.execute<{ state: string }>(sql`
    select record_provider_outcome(${key}, ${outcome.kind}, ${BREAKER_FAILURES}::int,
                                   ${ms(BREAKER_OPEN_MS)}::interval, ${ms(retryAfter)}::interval,
                                   ${at.toISOString()}::timestamptz) as state`);
  return row?.state === 'open' ? 'open' : 'closed';
}
