import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { fail, ok, type Result } from '../api/result';
import type { DbOrTx } from '../db/client';
import { CALL_STATUSES } from '../db/schema';
import { withTenant } from '../db/tenant';
import { lockCampaign, UUID } from './internal';

export const QueueQuery = z.object({
  status: z.enum(CALL_STATUSES).optional(),
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type QueueQuery = z.input<typeof QueueQuery>;

export interface QueueRowView {
  id: number;
  campaignId: string;
  contactId: number | null;
  contactName: string;
  phoneE164: string;
  status: string;
  priority: number;
  attempt: number;
  /** Null while the campaign is paused (the row waits for resume). */
  scheduledAt: string | null;
  outcome: string | null;
  lastError: string | null;
  durationSeconds: number | null;
  dialledAt: string | null;
  finishedAt: string | null;
}

/** One campaign's calls in id order (keyset `after`), optionally one status only. */
export async function listCampaignQueue(
  db: DbOrTx,
  tenantId: string,
  campaignId: string,
  query: z.output<typeof QueueQuery>,
): Promise<Result<{ items: QueueRowView[]; nextAfter: number | null }>> {
  if (!UUID.test(campaignId)) return fail('NOT_FOUND', 'No such campaign');
  return withTenant(db, tenantId, async (tx) => {
    const campaign = await lockCampaign(tx, tenantId, campaignId, false);
    if (!campaign) return fail('NOT_FOUND', 'No such campaign');
    const rows = await tx.execute<Record<string, unknown>>(sql`
      select ${QUEUE_ROW_COLUMNS}
      from call_queue
      where tenant_id = ${tenantId} and campaign_id = ${campaignId} and id > ${query.after}
        ${query.status ? sql`and status = ${query.status}` : sql``}
      order by id
      limit ${query.limit + 1}`);
    const items = rows.slice(0, query.limit).map(toQueueRowView);
    return ok({ items, nextAfter: rows.length > query.limit ? (items.at(-1)?.id ?? null) : null });
  });
}

/** The columns toQueueRowView reads (a paused row's `infinity` reads as null). */
export const QUEUE_ROW_COLUMNS = sql.raw(`id, campaign_id, contact_id, contact_name, phone_e164,
  status, priority, attempt,
  case when scheduled_at = 'infinity' then null else scheduled_at end as scheduled_at,
  outcome, last_error, duration_seconds, dialled_at, finished_at`);

export function toQueueRowView(r: Record<string, unknown>): QueueRowView {
  const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
  return {
    id: Number(r.id),
    campaignId: String(r.campaign_id),
    contactId: r.contact_id === null ? null : Number(r.contact_id),
    contactName: String(r.contact_name ?? ''),
    phoneE164: String(r.phone_e164),
    status: String(r.status),
    priority: Number(r.priority),
    attempt: Number(r.attempt),
    scheduledAt: iso(r.scheduled_at),
    outcome: (r.outcome as string | null) ?? null,
    lastError: (r.last_error as string | null) ?? null,
    durationSeconds: r.duration_seconds === null ? null : Number(r.duration_seconds),
    dialledAt: iso(r.dialled_at),
    finishedAt: iso(r.finished_at),
  };
}
