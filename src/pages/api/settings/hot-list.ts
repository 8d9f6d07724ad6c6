import type { APIRoute } from 'astro';
import { isFormPost, jsonResult, readBody, redirect } from '../../../lib/http/responses';
import { setHotListRule } from '../../../lib/tenants/hot-list-settings';

/** Form fields (`mode`, `minLikelihood`, `stages` comma-separated) or JSON `{minLikelihood}` / `{stages}`. */
function fromForm(body: Record<string, unknown>) {
  if (body.mode === 'stages') {
    const stages = String(body.stages ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return { stages };
  }
  return { minLikelihood: Number(body.minLikelihood) };
}

export const POST: APIRoute = async ({ locals, request }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  const body = await readBody(request);
  const form = isFormPost(request);
  const input =
    form && body && typeof body === 'object' ? fromForm(body as Record<string, unknown>) : body;
  const result = await setHotListRule(locals.db, locals.workspace.tenant.id, input);
  if (!form) return jsonResult(result);
  return redirect(
    result.ok
      ? '/settings?saved=hot-list'
      : `/settings?error=${encodeURIComponent(result.error.message)}`,
  );
};
