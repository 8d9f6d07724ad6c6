/** What the soak reads back from the database as the superuser: the campaign's rows and the syncs that ran. */
import type postgres from 'postgres';

export interface CampaignProgress {
  rows: number;
  dials: number;
  inFlight: number;
  queued: number;
  ended: number;
  /** The campaign's counters equal its rows (completed, failed, cancelled, skipped). */
  booksAgree: boolean;
}

export async function campaignProgress(
  admin: postgres.Sql,
  campaignId: string,
): Promise<CampaignProgress> {
  const [row] = await admin<(Omit<CampaignProgress, 'booksAgree'> & { agree: boolean })[]>`
    select count(*)::int as rows, coalesce(sum(q.attempt), 0)::int as dials,
           count(*) filter (where q.status in ('dispatching', 'in_progress'))::int as "inFlight",
           count(*) filter (where q.status = 'queued')::int as queued,
           count(*) filter (where q.status in ('completed', 'failed', 'cancelled', 'skipped'))::int as ended,
           (select (k.completed_calls, k.failed_calls, k.cancelled_calls, k.skipped_calls)
                   = (count(*) filter (where q.status = 'completed'),
                      count(*) filter (where q.status = 'failed'),
                      count(*) filter (where q.status = 'cancelled'),
                      count(*) filter (where q.status = 'skipped'))
            from call_campaigns k where k.id = ${campaignId}) as agree
    from call_queue q where q.campaign_id = ${campaignId}`;
  if (!row) throw new Error('soak: campaign not found');
  const { agree, ...progress } = row;
  return { ...progress, booksAgree: agree };
}

export interface SyncFigures {
  runs: number;
  succeeded: number;
  failed: number;
  skipped: number;
  meanSeconds: number;
  maxSeconds: number;
  records: number;
}

/** Scheduled syncs that ended since `since`. */
export async function syncFigures(admin: postgres.Sql, since: Date): Promise<SyncFigures> {
  const [row] = await admin<SyncFigures[]>`
    select count(*)::int as runs,
           count(*) filter (where status = 'success')::int as succeeded,
           count(*) filter (where status = 'failed')::int as failed,
           count(*) filter (where status = 'skipped')::int as skipped,
           coalesce(avg(extract(epoch from finished_at - started_at)), 0)::float8 as "meanSeconds",
           coalesce(max(extract(epoch from finished_at - started_at)), 0)::float8 as "maxSeconds",
           coalesce(sum(records_fetched), 0)::int as records
    from sync_runs where finished_at >= ${since} and status <> 'running'`;
  if (!row) throw new Error('soak: no sync figures');
  return row;
}
