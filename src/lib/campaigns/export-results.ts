import { sql } from 'drizzle-orm';
import { csvLine } from '../contacts/imports/csv-cells';
import type { DbOrTx } from '../db/client';
import { withTenant } from '../db/tenant';

const BATCH = 5_000;

export const RESULT_COLUMNS = [
  'name',
  'phone',
  'status',
  'outcome',
  'attempts',
  'duration_seconds',
  'dialled_at',
  'finished_at',
  'error',
  'recording_url',
] as const;

/**
 * One campaign's calls as CSV, batch by batch (keyset on id), so a
 * million-call campaign never sits in memory. Every cell goes through
 * csvLine, which neutralises spreadsheet formulas (names and provider
 * errors are outside our control). The caller checks the campaign exists.
 */
export async function* exportCampaignResults(
  db: DbOrTx,
  tenantId: string,
  campaignId: string,
): AsyncGenerator<string> {
  yield csvLine(RESULT_COLUMNS);
  let after = 0;
  for (;;) {
    const rows = await withTenant(db, tenantId, (tx) =>
      tx.execute<Record<string, unknown>>(sql`
        select q.id, q.contact_name, q.phone_e164, q.status, q.outcome, q.attempt,
               q.duration_seconds, q.dialled_at, q.finished_at, q.last_error,
               (select e.raw #>> '{telephony_data,recording_url}' from call_events e
                where e.tenant_id = q.tenant_id and e.execution_id = q.provider_call_id
                  and e.status = 'completed' limit 1) as recording_url
        from call_queue q
        where q.tenant_id = ${tenantId} and q.campaign_id = ${campaignId} and q.id > ${after}
        order by q.id
        limit ${BATCH}`),
    );
    if (rows.length === 0) return;
    let chunk = '';
    for (const r of rows) {
      const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : '');
      chunk += csvLine([
        r.contact_name as string,
        r.phone_e164 as string,
        r.status as string,
        (r.outcome as string | null) ?? '',
        Number(r.attempt),
        r.duration_seconds === null ? '' : Number(r.duration_seconds),
        iso(r.dialled_at),
        iso(r.finished_at),
        (r.last_error as string | null) ?? '',
        (r.recording_url as string | null) ?? '',
      ]);
    }
    yield chunk;
    after = Number(rows[rows.length - 1]?.id ?? after);
    if (rows.length < BATCH) return;
  }
}
