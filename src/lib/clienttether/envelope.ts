import type { z } from 'zod';
import { ABORTED, type Attempt, parseRetryAfter } from './retry';
import type { ApiError } from './types';

/** An error before the client has stamped the endpoint on it. */
export type ResponseError = Omit<ApiError, 'endpoint'>;

export interface Envelope {
  rows: unknown[];
  /** TotalRecord: matches across all pages, not this page's size. */
  total: number;
  /** False when TotalRecord was absent or unreadable, so `total` is only this page's length. */
  totalReported: boolean;
  /** False on CT515 "No Record Found", which is an empty answer, not a failure. */
  found: boolean;
  /** The parsed body as received. */
  raw: unknown;
}

export type Decoded = { ok: true; envelope: Envelope } | { ok: false; error: ResponseError };

/** 'CT_200' and 'CT200' both appear in the wild (§3); we compare the form without the underscore. */
export function normalizeResultCode(code: unknown): string | undefined {
  if (typeof code !== 'string' && typeof code !== 'number') return undefined;
  return String(code).replace(/_/g, '').toUpperCase();
}

function readTotal(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
}

function invalid(message: string): { ok: false; error: ResponseError } {
  // Retryable: the reference fake emits malformed bodies as a transient fault.
  return { ok: false, error: { kind: 'invalid_response', message, retryable: true } };
}

/**
 * HTTP status → error. Auth failures stop at the server's front door (§2), so
 * 401/403 are never retried; 408, 429 and 5xx are worth another attempt.
 */
export function statusError(status: number): ResponseError {
  if (status === 401 || status === 403) {
    return {
      kind: 'auth',
      status,
      retryable: false,
      message: `ClientTether refused the credentials (HTTP ${status})`,
    };
  }
  if (status === 429) {
    return {
      kind: 'rate_limited',
      status,
      retryable: true,
      message: 'ClientTether rate-limited the request (HTTP 429)',
    };
  }
  const retryable = status === 408 || status >= 500;
  return { kind: 'http', status, retryable, message: `ClientTether answered HTTP ${status}` };
}

/** Reads a 2xx body: the result code decides success; `data` must be an array. */
export function decodeBody(text: string, options: { flatten?: boolean } = {}): Decoded {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return invalid('ClientTether sent a body that is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return invalid('ClientTether sent JSON that is not an envelope object');
  }
  const envelope = body as Record<string, unknown>;
  const code = normalizeResultCode(envelope.ResultCode ?? envelope.resultCode);
  if (code === undefined) return invalid('ClientTether sent an envelope without a result code');
  if (code === 'CT515') {
    return {
      ok: true,
      envelope: { rows: [], total: 0, totalReported: true, found: false, raw: body },
    };
  }
  if (code !== 'CT200') {
    const message =
      typeof envelope.Message === 'string' ? envelope.Message : `ClientTether answered ${code}`;
    return {
      ok: false,
      error: { kind: 'api', resultCode: code, message, retryable: code === 'CT500' },
    };
  }
  if (!Array.isArray(envelope.data))
    return invalid('ClientTether sent an envelope whose data is not a list');
  // read_action_plan_list groups its rows in nested arrays (§5.3).
  const rows: unknown[] = options.flatten ? envelope.data.flat(1) : envelope.data;
  const total = readTotal(envelope.TotalRecord);
  return {
    ok: true,
    envelope: {
      rows,
      total: total ?? rows.length,
      totalReported: total !== undefined,
      found: true,
      raw: body,
    },
  };
}

/** Keeps the rows that match `schema` and counts the rest, so one bad record can't sink a page. */
export function parseRecords<S extends z.ZodType>(
  schema: S,
  rows: readonly unknown[],
): { records: z.output<S>[]; invalid: number } {
  const records: z.output<S>[] = [];
  let invalidCount = 0;
  for (const row of rows) {
    const parsed = schema.safeParse(row);
    if (parsed.success) records.push(parsed.data);
    else invalidCount += 1;
  }
  return { records, invalid: invalidCount };
}

/** Transport failures, described in our own words: an exception's text is never passed on. */
function transportError(error: unknown, timeoutMs: number): ResponseError {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return {
      kind: 'timeout',
      retryable: true,
      message: `ClientTether did not answer within ${timeoutMs} ms`,
    };
  }
  const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  const detail = typeof code === 'string' && /^[A-Z0-9_]{2,32}$/.test(code) ? ` (${code})` : '';
  return { kind: 'network', retryable: true, message: `Could not reach ClientTether${detail}` };
}

export interface Exchange {
  fetch: typeof fetch;
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  flatten?: boolean;
  /** The caller's own abort (e.g. a stopping worker), on top of the timeout. */
  signal?: AbortSignal;
}

/** One GET, read into an envelope or an error; never throws. The timeout covers the body too. */
export async function exchange(request: Exchange): Promise<Attempt<Envelope>> {
  const timeout = AbortSignal.timeout(request.timeoutMs);
  try {
    if (request.signal?.aborted) return { ok: false, error: ABORTED };
    const response = await request.fetch(request.url, {
      method: 'GET',
      headers: request.headers,
      signal: request.signal ? AbortSignal.any([timeout, request.signal]) : timeout,
    });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      const { status } = response;
      const retryAfter = response.headers.get('retry-after');
      // Only 429 and 503 give Retry-After the meaning "come back then" (RFC 9110).
      const retryAfterMs =
        status === 429 || status === 503 ? parseRetryAfter(retryAfter, Date.now()) : undefined;
      return { ok: false, error: statusError(status), retryAfterMs };
    }
    const decoded = decodeBody(await response.text(), { flatten: request.flatten });
    return decoded.ok ? { ok: true, value: decoded.envelope } : decoded;
  } catch (error) {
    if (request.signal?.aborted) return { ok: false, error: ABORTED };
    return { ok: false, error: transportError(error, request.timeoutMs) };
  }
}
