import type { APIRoute } from 'astro';
import { fail } from '../../lib/api/result';
import { checkReadiness } from '../../lib/ops';

const HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

/**
 * Readiness for load balancers and deploys: 200 when the database answers, every
 * migration this build knows is applied and a worker beat within two minutes;
 * else 503 naming the failed checks. Public, so it says nothing secret.
 */
export const GET: APIRoute = async ({ locals }) => {
  const readiness = await checkReadiness(locals.db);
  if (readiness.ready) {
    return new Response(JSON.stringify({ ok: true, data: readiness }), { headers: HEADERS });
  }
  const failed = Object.entries(readiness.checks)
    .filter(([, check]) => !check.ok)
    .map(([name]) => name);
  // 503 rather than the code's usual 412: load balancers read 503 as "not yet, try later".
  const { error } = fail('PRECONDITION_FAILED', `Not ready: ${failed.join(', ')}`, {
    retryable: true,
  });
  return new Response(JSON.stringify({ ok: false, error, data: readiness }), {
    status: 503,
    headers: HEADERS,
  });
};
