import { type AppError, type ErrorCode, fail, httpStatusFor, type Result } from '../api/result';

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
};

/** Maps a verb's Result to a response: the one place routes turn errors into statuses. */
export function jsonResult<T>(result: Result<T>, successStatus = 200): Response {
  if (result.ok)
    return new Response(JSON.stringify(result), { status: successStatus, headers: JSON_HEADERS });
  return jsonFailure(result.error);
}

export function jsonFailure(error: AppError): Response {
  const headers: Record<string, string> = { ...JSON_HEADERS };
  if (error.retryAfterSeconds) headers['retry-after'] = String(error.retryAfterSeconds);
  return new Response(JSON.stringify({ ok: false, error }), {
    status: httpStatusFor(error.code),
    headers,
  });
}

export function jsonError(code: ErrorCode, message: string): Response {
  return jsonFailure(fail(code, message).error);
}

/** True for classic form posts, which get redirects rather than JSON. */
export function isFormPost(request: Request): boolean {
  const type = request.headers.get('content-type') ?? '';
  return (
    type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')
  );
}

/**
 * Reads a JSON or form body into a plain object for zod. Malformed JSON
 * yields undefined, which every schema rejects as a VALIDATION error.
 */
export async function readBody(request: Request): Promise<unknown> {
  try {
    if (isFormPost(request)) return Object.fromEntries((await request.formData()).entries());
    return await request.json();
  } catch {
    return undefined;
  }
}

export function redirect(location: string, status = 303): Response {
  return new Response(null, { status, headers: { location } });
}
