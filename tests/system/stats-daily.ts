/**
 * stats_daily against call_queue for the system tests: the roll-up's call
 * columns recomputed here in plain SQL, apart from src/lib/analytics/rollup.ts.
 */
import type postgres from 'postgres';

/** The call columns of stats_daily that rollup.ts derives from call_queue. */
export interface CallStats {
  placed: number;
  attempts: number;
  inProgress: number;
  connected: number;
  completed: number;
  voicemail: number;
  busy: number;
  noAnswer: number;
  failed: number;
  failedError: number;
  failedInvalid: number;
  failedOther: number;
  cancelled: number;
  talkSeconds: number;
}

/**
 * stats_daily as the roll-up wrote it, next to the same counts taken straight
 * from call_queue (keyed `tenant:day`). The raw side is written here, apart
 * from rollup.ts, from the definitions its columns document: a call counts on
 * its tenant's local day of its last dial, or of its end if it failed undialled;
 * open rows other than calls in progress, and rows never dialled that did not
 * fail, are not counted. A day stored with no raw row must be all zeros.
 */
export async function statsDailyAgainstRows(sql: postgres.Sql) {
  const stored = await sql<({ key: string } & CallStats)[]>`
    select tenant_id || ':' || day::text as key, calls_placed as placed, attempts,
           calls_in_progress as "inProgress", calls_connected as connected,
           calls_completed as completed, calls_voicemail as voicemail, calls_busy as busy,
           calls_no_answer as "noAnswer", calls_failed as failed, failed_error as "failedError",
           failed_invalid_number as "failedInvalid", failed_other as "failedOther",
           calls_cancelled as cancelled, talk_seconds::int as "talkSeconds"
    from stats_daily`;
  const raw = await sql<({ key: string } & CallStats)[]>`
    with counted as (
      select q.*, q.tenant_id || ':' ||
               (coalesce(q.dialled_at, q.finished_at) at time zone t.timezone)::date::text as key
      from call_queue q join tenants t on t.id = q.tenant_id
      where (q.dialled_at is not null and q.status in ('in_progress', 'completed', 'failed', 'cancelled'))
         or q.status = 'failed')
    select key,
      count(dialled_at)::int as placed,
      coalesce(sum(attempt) filter (where dialled_at is not null), 0)::int as attempts,
      count(*) filter (where status = 'in_progress')::int as "inProgress",
      count(*) filter (where status = 'completed' and outcome = 'completed')::int as connected,
      count(*) filter (where status = 'completed')::int as completed,
      count(*) filter (where status = 'completed' and outcome = 'voicemail')::int as voicemail,
      count(*) filter (where status = 'failed' and outcome = 'busy')::int as busy,
      count(*) filter (where status = 'failed' and outcome = 'no_answer')::int as "noAnswer",
      count(*) filter (where status = 'failed')::int as failed,
      count(*) filter (where status = 'failed' and outcome = 'failed')::int as "failedError",
      count(*) filter (where status = 'failed' and outcome = 'invalid_number')::int as "failedInvalid",
      count(*) filter (where status = 'failed'
        and outcome is distinct from 'busy' and outcome is distinct from 'no_answer'
        and outcome is distinct from 'failed' and outcome is distinct from 'invalid_number')::int
        as "failedOther",
      count(*) filter (where status = 'cancelled')::int as cancelled,
      coalesce(sum(duration_seconds) filter (where status = 'completed'), 0)::int as "talkSeconds"
    from counted group by key`;
  const zeros: CallStats = {
    placed: 0,
    attempts: 0,
    inProgress: 0,
    connected: 0,
    completed: 0,
    voicemail: 0,
    busy: 0,
    noAnswer: 0,
    failed: 0,
    failedError: 0,
    failedInvalid: 0,
    failedOther: 0,
    cancelled: 0,
    talkSeconds: 0,
  };
  const strip = ({ key: _, ...stats }: { key: string } & CallStats): CallStats => stats;
  const storedBy = new Map(stored.map((r) => [r.key, strip(r)]));
  const rawBy = new Map(raw.map((r) => [r.key, strip(r)]));
  const keys = [...new Set([...storedBy.keys(), ...rawBy.keys()])].sort();
  return {
    stored: Object.fromEntries(keys.map((k) => [k, storedBy.get(k) ?? 'no stats_daily row'])),
    raw: Object.fromEntries(keys.map((k) => [k, rawBy.get(k) ?? zeros])),
    /** The raw counts summed over every tenant and day, so a test can also check them absolutely. */
    rawTotal: raw.reduce(
      (sum, r) => {
        for (const k of Object.keys(zeros) as (keyof CallStats)[]) sum[k] += r[k];
        return sum;
      },
      { ...zeros },
    ),
  };
}
