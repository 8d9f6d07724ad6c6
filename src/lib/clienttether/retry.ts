import type { ResponseError } from './envelope';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** A longer Retry-After fails the call instead of parking a sync for minutes. */
  maxRetryAfterMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  /** Cuts a backoff short and stops retrying (a stopping worker does not wait out a Retry-After). */
  signal?: AbortSignal;
}

/** A request the caller called off (its signal), as opposed to one ClientTether was too slow for. */
export const ABORTED: ResponseError = {
  kind: 'aborted',
  retryable: false,
  message: 'The request to ClientTether was called off',
};

export type Attempt<T> =
  | { ok: true; value: T }
  | { ok: false; error: ResponseError; retryAfterMs?: number };

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ResponseError };

/** 1 s, 2 s, 4 s… plus up to 25 % jitter so tenants that failed together don't retry in lockstep. */
export function backoffMs(retry: number, random: () => number): number {
  return Math.round(1000 * 2 ** retry * (1 + 0.25 * random()));
}

/** Retry-After as delta-seconds or an HTTP-date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Runs `attempt` until it succeeds, fails for good, or the retries run out; returns the last error. */
export async function withRetries<T>(
  attempt: () => Promise<Attempt<T>>,
  policy: RetryPolicy,
): Promise<Outcome<T>> {
  for (let retry = 0; ; retry += 1) {
    const outcome = await attempt();
    if (outcome.ok) return outcome;
    const { error, retryAfterMs } = outcome;
    if (!error.retryable) return { ok: false, error };
    if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs) {
      const seconds = Math.ceil(retryAfterMs / 1000);
      const message = `ClientTether asked us to wait ${seconds} s, longer than the ${policy.maxRetryAfterMs / 1000} s we wait`;
      return {
        ok: false,
        error: { kind: 'rate_limited', status: error.status, retryable: true, message },
      };
    }
    if (retry >= policy.maxRetries) return { ok: false, error };
    await sleepUnlessAborted(policy, retryAfterMs ?? backoffMs(retry, policy.random));
    if (policy.signal?.aborted) return { ok: false, error: ABORTED };
  }
}

/** policy.sleep, over as soon as the signal fires (whatever sleep the caller plugged in). */
function sleepUnlessAborted(policy: RetryPolicy, ms: number): Promise<void> {
  const { signal } = policy;
  if (!signal) return policy.sleep(ms);
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done);
    policy.sleep(ms).then(done, done);
  });
}
