import type { APIRoute } from 'astro';
import { ok } from '../../lib/api/result';
import { jsonResult } from '../../lib/http/responses';

/**
 * Liveness: the process is up and answering. Deliberately touches nothing else,
 * so a database outage makes instances unready (GET /api/ready), not restarted.
 */
export const GET: APIRoute = () => jsonResult(ok({ status: 'ok' }));
