/**
 * The islands' one fetch client: every answer becomes the server's Result,
 * and a request that never reached the server is a failure flagged `network`,
 * so handleApiError can show "reconnecting" rather than a stale number.
 */
import { type AppError, ERROR_CODES, type ErrorCode } from '../../lib/api/result';

export type ApiFailure = AppError & { network?: boolean };
export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiFailure };

export interface ApiRequest {
  method?: string;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is (FormData for uploads). */
  body?: BodyInit;
  signal?: AbortSignal;
}

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'VALIDATION',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  412: 'PRECONDITION_FAILED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

export const NETWORK_FAILURE: ApiFailure = {
  code: 'INTERNAL',
  message: 'Could not reach the server. Check your connection and try again.',
  retryable: true,
  network: true,
};

function isAppError(value: unknown): value is AppError {
  const e = value as AppError | null;
  return (
    typeof e?.message === 'string' && (ERROR_CODES as readonly string[]).includes(String(e?.code))
  );
}

/** A Result from an HTTP status and its parsed body (shared with XMLHttpRequest uploads). */
export function readApiResult<T>(status: number, body: unknown): ApiResult<T> {
  const parsed = body as { ok?: unknown; data?: T; error?: unknown } | null;
  if (parsed?.ok === true && status < 300) return { ok: true, data: parsed.data as T };
  if (parsed?.ok === false && isAppError(parsed.error)) return { ok: false, error: parsed.error };
  const code = STATUS_CODES[status] ?? 'INTERNAL';
  return {
    ok: false,
    error: {
      code,
      message: `The server answered unexpectedly (HTTP ${status}).`,
      retryable: code === 'INTERNAL' || code === 'RATE_LIMITED',
    },
  };
}

export async function callApi<T>(path: string, request: ApiRequest = {}): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (request.json !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method: request.method ?? (request.json !== undefined || request.body ? 'POST' : 'GET'),
      headers,
      body: request.json !== undefined ? JSON.stringify(request.json) : request.body,
      credentials: 'same-origin',
      signal: request.signal,
    });
  } catch (error) {
    if (request.signal?.aborted) throw error;
    return { ok: false, error: NETWORK_FAILURE };
  }
  const body: unknown = await response.json().catch(() => null);
  return readApiResult<T>(response.status, body);
}
