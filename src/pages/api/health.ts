import type { APIRoute } from 'astro';
import { sql } from 'drizzle-orm';
import { fail, ok } from '../../lib/api/result';
import { jsonResult } from '../../lib/http/responses';

/** Liveness for the launcher and load balancers: answers 200 only when Postgres does. */
export const GET: APIRoute = async ({ locals }) => {
  try {
    await locals.db.execute(sql`select 1`);
    return jsonResult(ok({ status: 'ok' }));
  } catch {
    return jsonResult(fail('INTERNAL', 'Database unavailable'));
  }
};
