import type { APIRoute } from 'astro';
import { fail, type Result } from '../../../../lib/api/result';
import type { Actor } from '../../../../lib/campaigns/audit';
import type { CampaignView } from '../../../../lib/campaigns/campaign-view';
import { cancelCampaign } from '../../../../lib/campaigns/cancel-campaign';
import { duplicateCampaign } from '../../../../lib/campaigns/duplicate-campaign';
import { pauseCampaign } from '../../../../lib/campaigns/pause-campaign';
import { resumeCampaign } from '../../../../lib/campaigns/resume-campaign';
import type { Database } from '../../../../lib/db/client';
import { jsonFailure, jsonResult } from '../../../../lib/http/responses';

type Verb = (
  db: Database,
  tenantId: string,
  id: string,
  actor: Actor & { type: 'user' },
) => Promise<Result<CampaignView>>;

const ACTIONS: Record<string, { verb: Verb; status: number }> = {
  start: { verb: (db, t, id, a) => resumeCampaign(db, t, id, a), status: 200 },
  resume: { verb: (db, t, id, a) => resumeCampaign(db, t, id, a), status: 200 },
  pause: { verb: (db, t, id, a) => pauseCampaign(db, t, id, a), status: 200 },
  cancel: { verb: (db, t, id, a) => cancelCampaign(db, t, id, a), status: 200 },
  duplicate: { verb: (db, t, id, a) => duplicateCampaign(db, t, id, a), status: 201 },
};

/** `POST /api/campaigns/:id/start|pause|resume|cancel|duplicate`. */
export const POST: APIRoute = async ({ locals, params }) => {
  if (!locals.workspace || !locals.user)
    throw new Error('guarded route reached without a workspace');
  const action = ACTIONS[params.action ?? ''];
  if (!action) return jsonFailure(fail('NOT_FOUND', 'No such action').error);
  const result = await action.verb(locals.db, locals.workspace.tenant.id, params.id ?? '', {
    type: 'user',
    userId: locals.user.id,
  });
  return jsonResult(result, action.status);
};
