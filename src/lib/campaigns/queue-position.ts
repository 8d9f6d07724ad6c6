import { sql } from 'drizzle-orm';
import { fail, ok, type Result } from '../api/result';
import type { DbOrTx } from '../db/client';
import { withTenant } from '../db/tenant';

export interface QueuePosition {
  campaignId: string;
  status: string;
  /** Calls of the same user that go first (1 = next); null once the call is no longer waiting. */
  position: number | null;
  /** Rough wait: when its window opens, plus the calls ahead shared over the user's slots. */
  estimatedWaitSeconds: number | null;
}

const DEFAULT_CALL_SECONDS = 90;

/** Where a contact's calls stand in the queue (one entry per campaign that has it). */
export async function getQueuePosition(
  db: DbOrTx,
  tenantId: string,
  contactId: number,
  now = new Date(),
): Promise<Result<QueuePosition[]>> {
  if (!Number.isSafeInteger(contactId) || contactId <= 0)
    return fail('NOT_FOUND', 'No such contact');
  return withTenant(db, tenantId, async (tx) => {
    const rows = await tx.execute<{
      campaign_id: string;
      status: string;
      ahead: number | null;
      wait_start: number | null;
      user_limit: number;
      avg_seconds: number | null;
    }>(sql`
      select q.campaign_id, q.status,
             case when q.status = 'queued' and q.scheduled_at <> 'infinity' then (
               select count(*)::int from call_queue o
               where o.tenant_id = q.tenant_id and o.user_id = q.user_id and o.status = 'queued'
                 and (o.scheduled_at, -o.priority, o.id) < (q.scheduled_at, -q.priority, q.id)
             ) end as ahead,
             case when q.status = 'queued' and q.scheduled_at <> 'infinity'
                  then greatest(0, extract(epoch from q.scheduled_at - ${now.toISOString()}::timestamptz))::int end as wait_start,
             u.concurrent_calls_limit as user_limit,
             (select avg(duration_seconds)::float8 from call_queue d
              where d.tenant_id = q.tenant_id and d.campaign_id = q.campaign_id and d.status = 'completed') as avg_seconds
      from call_queue q join users u on u.id = q.user_id
      where q.tenant_id = ${tenantId} and q.contact_id = ${contactId}
      order by q.created_at desc`);
    if (rows.length === 0) return fail('NOT_FOUND', 'This contact is in no campaign');
    return ok(
      rows.map((r) => {
        const perCall = r.avg_seconds ?? DEFAULT_CALL_SECONDS;
        const waiting = r.ahead !== null;
        return {
          campaignId: r.campaign_id,
          status: r.status,
          position: waiting ? (r.ahead ?? 0) + 1 : null,
          estimatedWaitSeconds: waiting
            ? Math.round(
                (r.wait_start ?? 0) +
                  Math.floor((r.ahead ?? 0) / Math.max(1, r.user_limit)) * perCall,
              )
            : null,
        };
      }),
    );
  });
}
