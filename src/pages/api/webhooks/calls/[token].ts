import type { APIRoute } from 'astro';
import { fail, ok } from '../../../../lib/api/result';
import { recordCallEvent } from '../../../../lib/calls/record-call-event';
import { tenantForWebhookToken } from '../../../../lib/calls/webhook-token';
import { jsonFailure, jsonResult } from '../../../../lib/http/responses';

/** An execution object is a few KB; anything far larger is not one. */
const MAX_BODY_BYTES = 256 * 1024;

/**
 * Bolna's execution webhooks (and the simulator's, over HTTP). The path token
 * identifies the tenant; an unknown token gets the same 404 as a wrong path.
 * Answers fast: the work is one short transaction. A replay is a 200 too
 * (Bolna retries on anything else) and changes nothing.
 */
export const POST: APIRoute = async ({ params, request, locals }) => {
  const tenantId = await tenantForWebhookToken(locals.db, params.token ?? '');
  if (!tenantId) return jsonFailure(fail('NOT_FOUND', 'Not found').error);
  if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) {
    return jsonFailure(fail('PAYLOAD_TOO_LARGE', 'The webhook body is too large').error);
  }
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) {
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
