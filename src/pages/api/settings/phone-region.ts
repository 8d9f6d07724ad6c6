import type { APIRoute } from 'astro';
import { setPhoneRegion } from '../../../lib/contacts/phone-region';
import { isFormPost, jsonResult, readBody, redirect } from '../../../lib/http/responses';

/** Form field or JSON `{ region: 'GB' }`: the country numbers without a country code belong to. */
export const POST: APIRoute = async ({ locals, request }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  const body = await readBody(request);
  const result = await setPhoneRegion(locals.db, locals.workspace.tenant.id, body);
  if (!isFormPost(request)) return jsonResult(result);
  return redirect(
    result.ok
      ? '/settings?saved=phone-region'
      : `/settings?error=${encodeURIComponent(result.error.message)}`,
  );
};
