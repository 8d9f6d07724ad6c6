import { parseRetryAfter } from '../../clienttether/retry';
import { type Exchange, errorDetail, parseJson, transportMessage } from './http';
import type { PlaceCallResult } from './types';

/** Bolna's 429 without a Retry-After: its limits are per minute (§1.7). */
export const DEFAULT_RETRY_AFTER_MS = 60_000;

/** Transport errors raised before any byte of the request left (refused, unresolvable, unroutable). */
const NEVER_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

const MENTIONS_BALANCE = /balance|insufficient (funds|credit)|wallet/i;
const MENTIONS_NUMBER = /recipient|phone|number|e\.?164/i;
// A bad caller id is our configuration, not the contact's number.
const MENTIONS_CALLER_ID = /from_phone_number|from number|caller id/i;

/** POST /call's answer → a result the dispatcher acts on (the mapping is in the brief and call-providers.md §1). */
export function readPlaceCallResponse(
  outcome: Exchange,
  apiKey: string,
  timeoutMs: number,
  now: number,
): PlaceCallResult {
  if (outcome.kind !== 'response') {
    const message = transportMessage(outcome, timeoutMs);
    // Only a connection never made proves the request went nowhere.
    const unsent = outcome.kind === 'network' && NEVER_CONNECTED.has(outcome.code ?? '');
    return unsent
      ? { ok: false, failure: 'retryable', message }
      : { ok: false, failure: 'retryable', message, unconfirmed: true };
  }
  const { status, text } = outcome;
  if (status >= 200 && status < 300) {
    const body = parseJson(text) as { execution_id?: unknown } | undefined;
    const id = body?.execution_id;
    if ((typeof id === 'string' && id !== '') || typeof id === 'number') {
      return { ok: true, executionId: String(id) };
    }
    // Bolna may have queued the call: the caller must look it up before dialling again.
    const message = `Bolna answered HTTP ${status} without an execution id`;
    return { ok: false, failure: 'retryable', message, unconfirmed: true };
  }
  const detail = errorDetail(text, apiKey);
  const said = (prefix: string) => `${prefix} (HTTP ${status})${detail ? `: ${detail}` : ''}`;
  if (status === 401 || status === 403) {
    return { ok: false, failure: 'auth', message: `Bolna refused the API key (HTTP ${status})` };
  }
  if (status === 429) {
    const retryAfterMs =
      parseRetryAfter(outcome.headers.get('retry-after'), now) ?? DEFAULT_RETRY_AFTER_MS;
    const message = `Bolna rate-limited the call (HTTP 429)`;
    return { ok: false, failure: 'rate_limited', message, retryAfterMs };
  }
  if (status >= 500 || status === 408) {
    return { ok: false, failure: 'retryable', message: said('Bolna failed') };
  }
  if (status >= 400) {
    if (status === 402 || MENTIONS_BALANCE.test(text)) {
      return { ok: false, failure: 'balance_low', message: said('Bolna reports a low balance') };
    }
    const aboutNumber = MENTIONS_NUMBER.test(text) && !MENTIONS_CALLER_ID.test(text);
    if ((status === 400 || status === 422) && aboutNumber) {
      return { ok: false, failure: 'invalid_number', message: said('Bolna rejected the number') };
    }
  }
  return { ok: false, failure: 'fatal', message: said('Bolna refused the call') };
}
