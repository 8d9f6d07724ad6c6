import type postgres from 'postgres';
import { recordAudit } from '../../campaigns/audit';
import type { Database } from '../../db/client';
import { withTenant } from '../../db/tenant';

export interface Correction {
  tenantId: string | null;
  campaignId: string | null;
  what: string;
  was: number | null;
  nowIs: number | null;
}

/**
 * Brings the bookkeeping back in line with the rows (repair_call_bookkeeping
 * in drizzle/0008): slots held by calls that already ended, counters that
 * drifted. Run at worker start and every 30 s; campaign corrections are
 * written to that campaign's audit log. Healthy systems correct nothing.
 */
export async function repairCallBookkeeping(
  db: Database,
  sql: postgres.Sql,
): Promise<Correction[]> {
  const rows = await sql<
    {
      tenant_id: string | null;
      campaign_id: string | null;
      what: string;
      was: string | null;
      now_is: string | null;
    }[]
  >`
    select * from repair_call_bookkeeping()`;
  const corrections = rows.map((r) => ({
    tenantId: r.tenant_id,
    campaignId: r.campaign_id,
    what: r.what,
    was: r.was === null ? null : Number(r.was),
    nowIs: r.now_is === null ? null : Number(r.now_is),
  }));
  for (const c of corrections) {
    if (!c.tenantId || !c.campaignId) continue;
    const { tenantId, campaignId } = c;
    await withTenant(db, tenantId, (tx) =>
      recordAudit(
        tx,
        tenantId,
        campaignId,
        { type: 'system', job: 'reconciler' },
        'repair_counters',
        {
          openCalls: c.nowIs,
        },
      ),
    );
  }
  return corrections;
}
