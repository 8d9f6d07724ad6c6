import type { CallProviderName } from '../../db/schema';

export interface RateLimit {
  /** Tokens the bucket makes per minute. */
  ratePerMinute: number;
  /** The most it holds: any 60 s may see up to ratePerMinute + burst calls. */
  burst: number;
}

/**
 * Per API key. Bolna allows 500 `/call` requests per minute (call-providers.md
 * §1.7): 450 a minute plus a burst of 50 never exceeds 500 in any 60 seconds,
 * whichever way Bolna counts its minute. The simulator has no real limit; a
 * high one keeps one code path (and lets a simulated 429 drain it).
 */
export const RATE_LIMITS: Record<CallProviderName, RateLimit> = {
  bolna: { ratePerMinute: 450, burst: 50 },
  simulated: { ratePerMinute: 600_000, burst: 10_000 },
};

/** Checklist 26: this many 5xx/timeouts in a row from one key stop dialling with it… */
export const BREAKER_FAILURES = 5;
/** …for this long; then one probe call, whose answer closes or re-opens it. */
export const BREAKER_OPEN_MS = 30_000;
/** Calls held back while another dispatcher's probe is out look again this soon. */
export const PROBE_RECHECK_MS = 5_000;
/** A 429 without Retry-After pauses the key this long (Bolna's limits are per minute). */
export const DEFAULT_RATE_LIMITED_MS = 60_000;
