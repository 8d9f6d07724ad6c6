import type { ErrorCode } from '../api/result';
import type { RouteDef } from './routes';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Cross-site request hygiene on top of Astro's origin check: browsers label
 * cross-site requests (Sec-Fetch-Site), and JSON APIs refuse the content
 * types an HTML form can send without a CORS preflight.
 * Returns the refusal, or null when the request may proceed.
 */
export function checkRequestHygiene(
  request: Request,
  pathname: string,
  route: RouteDef,
): { code: ErrorCode; message: string } | null {
  if (!UNSAFE.has(request.method)) return null;
  if (pathname.startsWith('/api/webhooks/')) return null; // providers post from their own servers
  if (request.headers.get('sec-fetch-site') === 'cross-site') {
    return { code: 'FORBIDDEN', message: 'Cross-site requests are not allowed' };
  }
  if (!pathname.startsWith('/api/')) return null;
  const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (route.acceptsUploads) {
    if (type === 'multipart/form-data') return null;
    return { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Upload the file as multipart/form-data' };
  }
  if (type === 'application/json') return null;
  if (
    route.acceptsForms &&
    (type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data')
  ) {
    return null;
  }
  if (!type && request.method === 'DELETE') return null; // a bodiless DELETE has nothing to type
  return { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the request body as application/json' };
}
