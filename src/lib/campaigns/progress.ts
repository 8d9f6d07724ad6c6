import { sql } from 'drizzle-orm';
import { fail, ok, type Result } from '../api/result';
import type { DbOrTx } from '../db/client';
import { CALL_STATUSES, type CallStatus, type CampaignStatus } from '../db/schema';
import { withTenant } from '../db/tenant';
import { UUID } from './internal';
import {
  type StatusCounterColumns,
  statusCounterColumns,
  toStatusCounts,
} from './live-status-counts';

/** How far back the calling rate looks. */
export const RATE_WINDOW_MS = 5 * 60_000;
/** A campaign younger than this is rated over this much time, so one early call can't promise a huge rate. */
const MIN_RATE_WINDOW_MS = 60_000;
const FINAL: readonly CallStatus[] = ['completed', 'failed', 'cancelled', 'skipped'];
const OPEN: readonly CallStatus[] = ['queued', 'dispatching', 'in_progress'];

export interface CampaignProgressError {
  at: string;
  message: string;
  /** The contact's name as queued, when the error belongs to a named contact's call. */
  contactName: string | null;
}

export interface CampaignProgress {
  campaignId: string;
  status: CampaignStatus;
  /** Queue rows per status (every status present, zero when none). */
  byStatus: Record<CallStatus, number>;
  total: number;
  /** Rows in a final state (completed, failed, cancelled or skipped): the progress bar's numerator. */
  completed: number;
  /** Rows whose call ended normally (status `completed`: answered or voicemail). */
  success: number;
  failed: number;
  /** Calls finished per minute over the last five minutes (or since the campaign started, if later). */
  callsPerMinute: number;
  /** Seconds until the open rows are done at that rate; null when nothing is left or nothing moves. */
  etaSeconds: number | null;
  /** The five newest errors, newest first. */
  recentErrors: CampaignProgressError[];
  at: string;
}

/** Open rows at `callsPerMinute`, rounded up; null when nothing is left or the rate is zero. */
export function estimateEtaSeconds(remaining: number, callsPerMinute: number): number | null {
  if (!(remaining > 0) || !(callsPerMinute > 0) || !Number.isFinite(callsPerMinute)) return null;
  return Math.ceil((remaining * 60) / callsPerMinute);
}

/**
 * The rate counts at most this many of the newest finishes (over the time
 * they took, when that is shorter than the window): a busy campaign finishes
 * ~5,000 calls a minute (bench:soak), and each counted row is a heap visit.
 */
export const RATE_SAMPLE = 2_000;

type ProgressRow = StatusCounterColumns & {
  status: CampaignStatus;
  started_at: string | null;
  recent: number;
  oldest_recent: string | null;
  errors: { at: string; message: string; contact_name: string | null }[];
};

/**
 * The live progress monitor's figures for one campaign, in one statement
 * whatever its size: statuses from its counters (live-status-counts.ts), the
 * rate from its newest finishes through call_queue_finished_idx, the newest
 * five errors through campaign_error_logs_campaign_idx. A foreign, deleted or
 * unknown campaign is NOT_FOUND alike.
 */
export async function getCampaignProgress(
  db: DbOrTx,
  tenantId: string,
  campaignId: string,
  now = new Date(),
): Promise<Result<CampaignProgress>> {
  if (!UUID.test(campaignId)) return fail('NOT_FOUND', 'No such campaign');
  const since = new Date(now.getTime() - RATE_WINDOW_MS).toISOString();
  const [row] = await withTenant(db, tenantId, (tx) =>
    tx.execute<ProgressRow>(sql`
      select k.status, k.started_at, ${statusCounterColumns},
        r.recent, r.oldest_recent,
        (select coalesce(json_agg(e order by e.at desc), '[]')
           from (select l.created_at as at, l.message, nullif(q.contact_name, '') as contact_name
                 from campaign_error_logs l
                 left join call_queue q on q.tenant_id = l.tenant_id and q.id = l.queue_id
                 where l.tenant_id = k.tenant_id and l.campaign_id = k.id
                 order by l.created_at desc limit 5) e) as errors
      from call_campaigns k
      cross join lateral (
        select count(*)::int as recent, min(f.finished_at) as oldest_recent
        from (select q.finished_at from call_queue q
              where q.tenant_id = k.tenant_id and q.campaign_id = k.id
                and q.finished_at > ${since}::timestamptz
                and q.finished_at <= ${now.toISOString()}::timestamptz
                and q.status in ('completed', 'failed', 'cancelled', 'skipped')
              order by q.finished_at desc
              limit ${RATE_SAMPLE}) f) r
      where k.tenant_id = ${tenantId} and k.id = ${campaignId} and k.deleted_at is null`),
  );
  if (!row) return fail('NOT_FOUND', 'No such campaign');
  return ok(toProgress(campaignId, row, now));
}

function toProgress(campaignId: string, row: ProgressRow, now: Date): CampaignProgress {
  const byStatus = toStatusCounts(row);
  const sum = (statuses: readonly CallStatus[]) => statuses.reduce((n, s) => n + byStatus[s], 0);
  const startedAt = row.started_at ? new Date(row.started_at).getTime() : now.getTime();
  // A full sample spans less than the window: rate it over the time it took.
  const sampledMs =
    row.recent >= RATE_SAMPLE && row.oldest_recent
      ? Math.max(1_000, now.getTime() - new Date(row.oldest_recent).getTime())
      : RATE_WINDOW_MS;
  const windowMs = Math.min(
    sampledMs,
    RATE_WINDOW_MS,
    Math.max(MIN_RATE_WINDOW_MS, now.getTime() - startedAt),
  );
  const callsPerMinute = Math.round((row.recent / (windowMs / 60_000)) * 10) / 10;
  const running = row.status === 'running';
  return {
    campaignId,
    status: row.status,
    byStatus,
    total: sum(CALL_STATUSES),
    completed: sum(FINAL),
    success: byStatus.completed,
    failed: byStatus.failed,
    callsPerMinute,
    // Only a running campaign is moving: a paused one would otherwise promise a finish.
    etaSeconds: running ? estimateEtaSeconds(sum(OPEN), callsPerMinute) : null,
    recentErrors: row.errors.map((e) => ({
      at: new Date(e.at).toISOString(),
      message: e.message,
      contactName: e.contact_name,
    })),
    at: now.toISOString(),
  };
}
