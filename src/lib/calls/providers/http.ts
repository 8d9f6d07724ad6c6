/** One HTTP exchange with Bolna, read into a value; never throws and never passes on an exception's text. */

export type Exchange =
  | { kind: 'response'; status: number; text: string; headers: Headers }
  | { kind: 'timeout' }
  | { kind: 'aborted' }
  | { kind: 'network'; code: string | null };

export interface ExchangeRequest {
  fetch: typeof fetch;
  url: string;
  method: 'GET' | 'POST';
  apiKey: string;
  body?: unknown;
  timeoutMs: number;
  signal?: AbortSignal;
}

export async function exchange(request: ExchangeRequest): Promise<Exchange> {
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  const headers: Record<string, string> = {
    Authorization: `Bearer ${request.apiKey}`,
    Accept: 'application/json',
  };
  if (request.body !== undefined) headers['Content-Type'] = 'application/json';
  try {
    const response = await request.fetch(request.url, {
      method: request.method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal,
      // A redirect could carry the Authorization header somewhere else.
      redirect: 'error',
    });
    // The timeout covers the body too.
    const text = await response.text();
    return { kind: 'response', status: response.status, text, headers: response.headers };
  } catch (error) {
    if (timeout.aborted) return { kind: 'timeout' };
    if (request.signal?.aborted) return { kind: 'aborted' };
    const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
    const safe = typeof code === 'string' && /^[A-Z0-9_]{2,32}$/.test(code) ? code : null;
    return { kind: 'network', code: safe };
  }
}

/** A transport failure in our own words. */
export function transportMessage(
  outcome: Exclude<Exchange, { kind: 'response' }>,
  timeoutMs: number,
) {
  if (outcome.kind === 'timeout') return `Bolna did not answer within ${timeoutMs} ms`;
  if (outcome.kind === 'aborted') return 'The request to Bolna was cancelled';
  return `Could not reach Bolna${outcome.code ? ` (${outcome.code})` : ''}`;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const MAX_DETAIL = 200;

/**
 * Bolna's own explanation from an error body (`message`, `detail` as text or a
 * FastAPI list, `error`), with the key and any bearer token removed, cut short.
 */
export function errorDetail(text: string, apiKey: string): string {
  const body = parseJson(text);
  let detail = '';
  if (typeof body === 'object' && body !== null) {
    const record = body as Record<string, unknown>;
    const field = record.message ?? record.detail ?? record.error;
    if (typeof field === 'string') detail = field;
    else if (Array.isArray(field)) {
      detail = field
        .map((item) => {
          const { loc, msg } = (item ?? {}) as { loc?: unknown; msg?: unknown };
          const where = Array.isArray(loc) ? `${loc.join('.')}: ` : '';
          return typeof msg === 'string' ? `${where}${msg}` : '';
        })
        .filter(Boolean)
        .join('; ');
    }
  }
  return redact(detail.replace(/\s+/g, ' ').trim(), apiKey).slice(0, MAX_DETAIL);
}

export function redact(text: string, apiKey: string): string {
  const withoutKey = apiKey ? text.split(apiKey).join('[redacted]') : text;
  return withoutKey.replace(/Bearer\s+\S+/gi, 'Bearer [redacted]');
}
