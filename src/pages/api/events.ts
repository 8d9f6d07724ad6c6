import type { APIRoute } from 'astro';
import { getCampaign } from '../../lib/campaigns/get-campaign';
import { currentServerResponse } from '../../lib/events/response-tracker';
import { sharedLiveHub } from '../../lib/events/shared-hub';
import { openEventStream } from '../../lib/events/sse-stream';
import { jsonFailure } from '../../lib/http/responses';
import { errorReporter } from '../../lib/log';

const HEARTBEAT_MS = 15_000;
const MAX_BUFFERED_BYTES = 256 * 1024;
const RETRY_MS = 2_000;

/**
 * `GET /api/events[?campaign=<id>]`: Server-Sent Events for the workspace —
 * campaign.progress, campaign.status, import.progress, sync.finished. Opens
 * with a snapshot (or, with `Last-Event-ID`, the events missed since).
 * Another workspace's or an unknown campaign is a 404 before any streaming.
 */
export const GET: APIRoute = async ({ locals, url, request }) => {
  if (!locals.workspace) throw new Error('guarded route reached without a workspace');
  const tenantId = locals.workspace.tenant.id;
  const campaignId = url.searchParams.get('campaign');
  if (campaignId !== null) {
    const found = await getCampaign(locals.db, tenantId, campaignId);
    if (!found.ok) return jsonFailure(found.error);
  }
  return openEventStream({
    hub: sharedLiveHub({ db: locals.db, sql: locals.sql }),
    tenantId,
    campaignId,
    // A browser resumes with the header; a client that had to open a new EventSource passes it along.
    lastEventId: request.headers.get('last-event-id') ?? url.searchParams.get('lastEventId'),
    signal: request.signal,
    heartbeatMs: locals.config.liveEventsHeartbeatMs ?? HEARTBEAT_MS,
    retryMs: RETRY_MS,
    maxBufferedBytes: locals.config.liveEventsMaxBufferBytes ?? MAX_BUFFERED_BYTES,
    response: currentServerResponse(),
    log: errorReporter('events'),
  });
};
