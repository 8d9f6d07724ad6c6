import type { APIRoute } from 'astro';
import { fail } from '../../../lib/api/result';
import {
  isFormPost,
  jsonFailure,
  jsonResult,
  readBody,
  redirect,
} from '../../../lib/http/responses';
import { setClientTetherCredentials } from '../../../lib/tenants/set-clienttether-credentials';

const blankToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/**
 * Sets or rotates the workspace's ClientTether credentials. The web key is
 * the workspace owner's to set; the enterprise access token, the platform
 * administrator's. Values are write-only: the answer only says what is set.
 */
export const POST: APIRoute = async ({ locals, request }) => {
  const { workspace, user, db, config } = locals;
  if (!workspace || !user) throw new Error('guarded route reached without a workspace');
  const body = (await readBody(request)) as Record<string, unknown> | undefined;
  const input = {
    webKey: blankToUndefined(body?.webKey),
    accessToken: blankToUndefined(body?.accessToken),
  };
  if (input.webKey !== undefined && workspace.role !== 'owner') {
    return jsonFailure(fail('FORBIDDEN', 'Only the workspace owner can change the web key').error);
  }
  if (input.accessToken !== undefined && !user.isPlatformAdmin) {
    return jsonFailure(
      fail('FORBIDDEN', 'Only a platform administrator can change the access token').error,
    );
  }
  const result = await setClientTetherCredentials(
    db,
    config.secretsKey,
    workspace.tenant.id,
    input,
  );
  if (isFormPost(request)) {
    return redirect(
      result.ok
        ? '/settings?saved=credentials'
        : `/settings?error=${encodeURIComponent(result.error.message)}`,
    );
  }
  return jsonResult(result);
};
