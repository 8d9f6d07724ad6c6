import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { withTenant } from '../db/tenant';

export interface QueueStatistics {
  byStatus: Record<string, number>;
  /** Calls due now and waiting for a slot. */
  dueNow: number;
  /** Average talk time of this workspace's completed calls, for wait estimates. */
  averageCallSeconds: number | null;
}

/** The workspace's open calls across its running campaigns (call_queue_campaign_status_idx per campaign). */
export async function getQueueStatistics(
  db: DbOrTx,
  tenantId: string,
  now = new Date(),
): Promise<QueueStatistics> {
  return withTenant(db, tenantId, async (tx) => {
    const rows = await tx.execute<{
      status: string;
      n: number;
      due: number;
      avg: number | null;
    }>(sql`
      select q.status, count(*)::int as n,
             count(*) filter (where q.status = 'queued' and q.scheduled_at <= ${now.toISOString()}::timestamptz)::int as due,
             avg(q.duration_seconds) filter (where q.status = 'completed')::float8 as avg
      from call_queue q
      join call_campaigns k on k.tenant_id = q.tenant_id and k.id = q.campaign_id
      where q.tenant_id = ${tenantId} and k.status in ('running', 'scheduled', 'paused')
      group by q.status`);
    const byStatus: Record<string, number> = {};
    let dueNow = 0;
    let avg: number | null = null;
    for (const r of rows) {
      byStatus[r.status] = r.n;
      dueNow += r.due;
      if (r.avg !== null) avg = Math.round(r.avg);
    }
    return { byStatus, dueNow, averageCallSeconds: avg };
  });
}
