import type { APIRoute } from 'astro';
import { ok } from '../../lib/api/result';
import { jsonResult } from '../../lib/http/responses';

/** Who is signed in, and in which workspace: what the islands' fetch client starts from. */
export const GET: APIRoute = ({ locals }) =>
  jsonResult(
    ok({
      user: locals.user,
      workspace: locals.workspace,
      sessionExpiresAt: locals.session?.expiresAt.toISOString() ?? null,
    }),
  );
