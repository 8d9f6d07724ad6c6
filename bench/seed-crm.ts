import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/lib/db/client';
import { withTenant } from '../src/lib/db/tenant';
import { DEFAULT_HOT_LIST_RULE, recomputeAggregates } from '../src/lib/sync/aggregates';

const STAGES = [
  ['New Lead', 0],
  ['Outbound Call', 5],
  ['Initial Call Complete', 10],
  ['QR Returned', 20],
  ['FDD Sent', 30],
  ['FDD Signed', 40],
  ['Discovery Day Booked', 55],
  ['Discovery Day Completed', 60],
  ['FA Sent', 80],
  ['FA Signed', 100],
] as const;

/**
 * Bulk-loads one tenant's CRM tables with generated rows (set-based SQL, no
 * per-row round trips), then computes its aggregates exactly as a sync does.
 */
export async function seedCrm(
  db: Database,
  tenantId: string,
  size: { leads: number; opportunities: number; notes: number; activities: number },
) {
  await withTenant(db, tenantId, async (tx) => {
    const stages = sql.raw(`array[${STAGES.map(([n]) => `'${n}'`).join(',')}]`);
    await tx.execute(sql`insert into ct_sales_cycles (tenant_id, ct_id, raw, name, stage_order, likelihood, active, contact_type)
      select ${tenantId}, g::text, '{}', (${stages})[g], g, (array[${sql.raw(STAGES.map(([, l]) => l).join(','))}])[g], '1', '1'
      from generate_series(1, ${STAGES.length}) g`);
    await tx.execute(sql`insert into ct_leads (tenant_id, ct_id, raw, first_name, last_name, company, email, stage,
        lead_source, contact_type, assigned_user, deal_size, ct_created_at, ct_modified_at)
      select ${tenantId}, g::text, '{}', 'Lead', 'Number ' || g, 'Market ' || (g % 300), 'lead' || g || '@example.test',
        (${stages})[1 + (g % ${STAGES.length})], (array['Google Ads','Facebook','Referral','Website Form','LinkedIn','FBR'])[1 + (g % 6)],
        case when g % 7 = 0 then '4' else '1' end, 'Rep ' || (g % 12), 40000 + (g % 50) * 1000,
        now() - make_interval(mins => (g * 7) % 259200), now() - make_interval(mins => g % 10000)
      from generate_series(1, ${size.leads}) g`);
    await tx.execute(sql`insert into ct_opportunities (tenant_id, ct_id, raw, client_ct_id, name, candidate, company, stage,
        deal_size, units, contact_type, assigned_user, ct_created_at)
      select ${tenantId}, g::text, '{}', (g * 3)::text, 'Opportunity ' || g, 'Candidate ' || g, 'Market ' || (g % 300),
        (${stages})[1 + (g % ${STAGES.length})], 35000 + (g % 116) * 1000, 1 + g % 5, '1', 'Rep ' || (g % 12),
        now() - make_interval(days => g % 180)
      from generate_series(1, ${size.opportunities}) g`);
    await tx.execute(sql`insert into ct_notes (tenant_id, ct_id, raw, client_ct_id, kind, author, content_html, content_text, noted_at)
      select ${tenantId}, g::text, '{}', (g % ${size.leads})::text, 'note', 'Rep ' || (g % 12), '<p>…</p>',
        (array['Intro call done, sending FDD','Liquid capital confirmed','Discovery day travel booked','Left voicemail, will retry',
               'Territory question about Houston','Spouse joining next call','Financing pre-approval received'])[1 + (g % 7)]
          || ' — note ' || g, now() - make_interval(mins => g)
      from generate_series(1, ${size.notes}) g`);
    await tx.execute(sql`insert into ct_scheduled_activities (tenant_id, ct_id, raw, client_ct_id, contact_name, activity_type,
        title, description, owner_name, starts_at, ends_at)
      select ${tenantId}, g::text, '{}', g::text, 'Lead Number ' || g, 'appt', 'Call ' || g, 'Zoom',
        'Rep ' || (g % 12), now() + make_interval(mins => g * 13 - 40000), now() + make_interval(mins => g * 13 - 39970)
      from generate_series(1, ${size.activities}) g`);
    const scope = { tenantId, runId: randomUUID(), timezone: 'America/New_York', now: new Date() };
    await recomputeAggregates(tx, scope, DEFAULT_HOT_LIST_RULE);
  });
  await db.execute(sql`analyze`);
}
