import type { APIRoute } from 'astro';
import { fail, ok } from '../../../../lib/api/result';
import { recordCallEvent } from '../../../../lib/calls/record-call-event';
import { tenantForWebhookToken } from '../../../../lib/calls/webhook-token';
import { readTextCapped } from '../../../../lib/http/read-capped';
import { jsonFailure, jsonResult } from '../../../../lib/http/responses';

/** An execution object is a few KB; anything far larger is not one. */
const MAX_BODY_BYTES = 256 * 1024;

/**
 * Bolna's execution webhooks (and the simulator's, over HTTP). The path token
 * identifies the tenant (checklist 18: a wrong one is 401, nothing written);
 * WEBHOOK_IP_ALLOWLIST, when set, admits only the provider's addresses.
 * Answers fast: the work is one short transaction. A replay is a 200 too
 * (Bolna retries on anything else) and changes nothing.
 */
export const POST: APIRoute = async ({ params, request, locals, clientAddress }) => {
  const allowed = locals.config.webhookIpAllowlist;
  if (allowed.length > 0 && !allowed.includes(clientAddress)) {
    return jsonFailure(fail('FORBIDDEN', 'Not allowed').error);
  }
  const tenantId = await tenantForWebhookToken(locals.db, params.token ?? '');
  if (!tenantId) return jsonFailure(fail('UNAUTHENTICATED', 'Unknown webhook token').error);
  const text = await readTextCapped(request, MAX_BODY_BYTES);
  if (text === null) {
    return jsonFailure(fail('PAYLOAD_TOO_LARGE', 'The webhook body is too large').error);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return jsonFailure(fail('VALIDATION', 'The body is not JSON').error);
  }
  const result = await recordCallEvent(locals.db, tenantId, 'bolna', body);
  return jsonResult(result.ok ? ok(result.data) : result);
};
