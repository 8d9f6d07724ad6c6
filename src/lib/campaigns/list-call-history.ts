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
 * Calls of a campaign that were dialled or ended, latest first, with the
 * recording and transcript of the provider's final report. The report is the
 * `completed` call_event of the row's execution (call_events_dedupe_key).
 */
export async function listCallHistory(
  db: DbOrTx,
  tenantId: string,
  campaignId: string,
  page = 1,
): Promise<Result<{ items: CallHistoryRow[]; total: number; page: number; pageSize: number }>> {
  if (!UUID.test(campaignId)) return fail('NOT_FOUND', 'No such campaign');
  const offset = (Math.max(1, Math.trunc(page)) - 1) * HISTORY_PAGE_SIZE;
  return withTenant(db, tenantId, async (tx) => {
    const campaign = await lockCampaign(tx, tenantId, campaignId, false);
    if (!campaign) return fail('NOT_FOUND', 'No such campaign');
    // The page of queue rows first, then the provider's report for those 25 only: joining the
    // reports before the sort carried every dialled row's transcript through it (spilled to disk;
    // 114 s under bench:soak with 20,000 calls dialled).
    const rows = await tx.execute<Record<string, unknown>>(sql`
      with page as (
        select q.id, q.contact_name, q.phone_e164, q.status, q.outcome, q.attempt, q.duration_seconds,
               q.dialled_at, q.finished_at, q.last_error, q.provider_call_id,
               count(*) over () as total
        from call_queue q
        where q.tenant_id = ${tenantId} and q.campaign_id = ${campaignId}
          and (q.dialled_at is not null or q.status in ('completed', 'failed'))
        order by coalesce(q.finished_at, q.dialled_at) desc nulls last, q.id desc
        limit ${HISTORY_PAGE_SIZE} offset ${offset})
      select p.*,
             e.raw #>> '{telephony_data,recording_url}' as recording_url,
             left(e.raw ->> 'transcript', ${TRANSCRIPT_MAX}) as transcript
      from page p
      left join call_events e on e.tenant_id = ${tenantId} and p.provider_call_id is not null
        and e.execution_id = p.provider_call_id and e.status = 'completed'
      order by coalesce(p.finished_at, p.dialled_at) desc nulls last, p.id desc`);
    const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
    const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
    const items = rows.map((r) => {
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
    const total = rows.length > 0 ? Number(rows[0]?.total) : 0;
    return ok({ items, total, page: Math.max(1, Math.trunc(page)), pageSize: HISTORY_PAGE_SIZE });
  });
}
