import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../src/lib/db/client';
import type { PublicTenant } from '../../../src/lib/tenants/schemas';
import { makeMember } from '../../factories';

export interface SeedCall {
  status:
    | 'queued'
    | 'dispatching'
    | 'in_progress'
    | 'completed'
    | 'failed'
    | 'cancelled'
    | 'skipped';
  outcome?: string | null;
  dialledAt?: Date | null;
  finishedAt?: Date | null;
  durationSeconds?: number | null;
  attempt?: number;
  providerCallId?: string | null;
  updatedAt?: Date;
}

/** A running campaign owned by a new member of `tenant`, written directly (no queue rows). */
export async function makeCallCampaign(db: DbOrTx, tenant: PublicTenant) {
  const { user } = await makeMember(db, { tenant, role: 'admin' });
  const id = randomUUID();
  await db.execute(sql`insert into call_campaigns (tenant_id, id, name, status, agent_id,
      window_days, window_start_minute, window_end_minute, timezone, created_by, started_at)
    values (${tenant.id}, ${id}, 'Analytics campaign', 'running', 'agent-1', '{0,1,2,3,4,5,6}',
      0, 1440, 'UTC', ${user.id}, now())`);
  return { campaignId: id, userId: user.id };
}

/** Queue rows as the dispatcher and webhooks leave them, in one statement. */
export async function insertCalls(
  db: DbOrTx,
  tenantId: string,
  campaign: { campaignId: string; userId: string },
  calls: readonly SeedCall[],
): Promise<number[]> {
  if (calls.length === 0) return [];
  const rows = calls.map((c, i) => ({
    phone: `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
    i,
    status: c.status,
    outcome: c.outcome ?? null,
    dialled_at: c.dialledAt?.toISOString() ?? null,
    finished_at: c.finishedAt?.toISOString() ?? null,
    duration: c.durationSeconds ?? null,
    attempt: c.attempt ?? (c.dialledAt ? 1 : 0),
    provider_call_id: c.providerCallId ?? null,
    updated_at: (c.updatedAt ?? new Date()).toISOString(),
  }));
  const inserted = await db.execute<{ id: number }>(sql`
    insert into call_queue (tenant_id, campaign_id, user_id, phone_e164, timezone, scheduled_at,
      status, outcome, dialled_at, finished_at, duration_seconds, attempt, provider_call_id,
      provider_status_rank, updated_at)
    select ${tenantId}, ${campaign.campaignId}, ${campaign.userId}, r.phone, 'UTC', now(),
      r.status, r.outcome, r.dialled_at, r.finished_at, r.duration, r.attempt, r.provider_call_id,
      case when r.status = 'in_progress' then 1 else 0 end, r.updated_at
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(phone text, i int, status text,
      outcome text, dialled_at timestamptz, finished_at timestamptz, duration int, attempt smallint,
      provider_call_id text, updated_at timestamptz)
    order by r.i
    returning id`);
  return inserted.map((r) => Number(r.id));
}

/** YYYY-MM-DD of `at` in `timeZone`: the reference the roll-up's days are checked against. */
export function localDay(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}
