import { sql } from 'drizzle-orm';
import { fail, ok, type Result } from '../api/result';
import type { DbOrTx } from '../db/client';
import { withTenant } from '../db/tenant';
import { lockCampaign, UUID } from './internal';

export interface CallHistoryRow {
  id: number;
  contactName: string;
  phoneE164: string;
  status: string;
  outcome: string | null;
  attempt: number;
  durationSeconds: number | null;
  dialledAt: string | null;
  finishedAt: string | null;
  lastError: string | null;
  /** From the provider's final report, when it gave one (an https link only). */
  recordingUrl: string | null;
  transcript: string | null;
}

export const HISTORY_PAGE_SIZE = 25;
const TRANSCRIPT_MAX = 4_000;

/**
 * A campaign's calls on the line or ended, latest first, a page at a time,
 * with the recording and transcript of the execution's `completed` report.
 * A call waiting for its retry is in the queue instead (with its last outcome).
 * Reads by index up to the page, never a total (README "Analytics").
 */
export async function listCallHistory(
  db: DbOrTx,
  tenantId: string,
  campaignId: string,
  page = 1,
): Promise<Result<{ items: CallHistoryRow[]; hasMore: boolean; page: number; pageSize: number }>> {
  if (!UUID.test(campaignId)) return fail('NOT_FOUND', 'No such campaign');
  const current = Math.max(1, Math.trunc(page));
  const offset = (current - 1) * HISTORY_PAGE_SIZE;
  // The rows before the page, the page, and one more to tell whether another follows.
  const reach = offset + HISTORY_PAGE_SIZE + 1;
  return withTenant(db, tenantId, async (tx) => {
    const campaign = await lockCampaign(tx, tenantId, campaignId, false);
    if (!campaign) return fail('NOT_FOUND', 'No such campaign');
    const columns = sql`q.id, q.contact_name, q.phone_e164, q.status, q.outcome, q.attempt,
      q.duration_seconds, q.dialled_at, q.finished_at, q.last_error, q.provider_call_id`;
    // The page of queue rows first, then the provider's report for those 25 only: joining the
    // reports before the sort carried every dialled row's transcript through it (spilled to disk;
    // 114 s under bench:soak with 20,000 calls dialled).
    const rows = await tx.execute<Record<string, unknown>>(sql`
      with history as (
        (select ${columns}, q.finished_at as at from call_queue q
          where q.tenant_id = ${tenantId} and q.campaign_id = ${campaignId}
            and q.finished_at is not null
            and q.status in ('completed', 'failed', 'cancelled', 'skipped')
            -- Not the rows a cancel or an opt-out ended before any dial: no call to tell.
            and (q.dialled_at is not null or q.status in ('completed', 'failed'))
          order by q.finished_at desc, q.id desc
          limit ${reach})
        union all
        (select ${columns}, q.dialled_at as at from call_queue q
          where q.tenant_id = ${tenantId} and q.campaign_id = ${campaignId}
            and q.status = 'in_progress'
          order by q.dialled_at desc nulls last, q.id desc
          limit ${reach})
      ), page as (
        select * from history h order by h.at desc nulls last, h.id desc
        limit ${HISTORY_PAGE_SIZE + 1} offset ${offset}
      )
      select p.*,
             e.raw #>> '{telephony_data,recording_url}' as recording_url,
             left(e.raw ->> 'transcript', ${TRANSCRIPT_MAX}) as transcript
      from page p
      left join call_events e on e.tenant_id = ${tenantId} and p.provider_call_id is not null
        and e.execution_id = p.provider_call_id and e.status = 'completed'
      order by p.at desc nulls last, p.id desc`);
    const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
    const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
    const items = rows.slice(0, HISTORY_PAGE_SIZE).map((r) => {
      const recording = text(r.recording_url);
      return {
        id: Number(r.id),
        contactName: String(r.contact_name ?? ''),
        phoneE164: String(r.phone_e164),
        status: String(r.status),
        outcome: text(r.outcome),
        attempt: Number(r.attempt),
        durationSeconds: r.duration_seconds === null ? null : Number(r.duration_seconds),
        dialledAt: iso(r.dialled_at),
        finishedAt: iso(r.finished_at),
        lastError: text(r.last_error),
        // A provider's value becomes an href: only web links, never javascript: or data:.
        recordingUrl: recording && /^https:\/\//i.test(recording) ? recording : null,
        transcript: text(r.transcript),
      };
    });
    return ok({
      items,
      hasMore: rows.length > HISTORY_PAGE_SIZE,
      page: current,
      pageSize: HISTORY_PAGE_SIZE,
    });
  });
}
