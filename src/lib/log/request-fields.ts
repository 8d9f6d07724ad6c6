import { randomUUID } from 'node:crypto';

/** A caller's `x-request-id` is kept only if it is short and plain (no log injection, no secrets). */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,64}$/;

export function requestIdFrom(headers: Headers): string {
  const incoming = headers.get('x-request-id');
  return incoming && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * Paths whose last segment is a credential: call webhooks (the tenant's path
 * token), invitation and password-reset links. Logged with the token replaced.
 */
const TOKEN_PATHS = [
  /^(\/api\/webhooks\/calls\/)[^/]+/,
  /^(\/invite\/)[^/]+/,
  /^(\/reset-password\/)[^/]+/,
];

/** The pathname as it may be logged: no query string (search terms, tokens), no path tokens. */
export function loggablePath(pathname: string): string {
  for (const pattern of TOKEN_PATHS) {
    if (pattern.test(pathname)) return pathname.replace(pattern, '$1:token');
  }
  return pathname;
}
