import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { fail, ok, type Result } from '../api/result';
import type { DbOrTx } from '../db/client';
import { withTenant } from '../db/tenant';
import { QUEUE_ROW_COLUMNS, type QueueRowView, toQueueRowView } from './list-queue';

/** `after`: the cursor of the previous page (opaque to clients). */
export const UserQueueQuery = z.object({
  after: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const Cursor = z.object({ at: z.iso.datetime(), id: z.number().int().min(0) });

function readCursor(after: string | undefined) {
  if (after === undefined) return ok(null);
  try {
    const parsed = Cursor.safeParse(JSON.parse(Buffer.from(after, 'base64url').toString('utf8')));
    if (parsed.success) return ok(parsed.data);
  } catch {
    // Not base64url JSON: the same answer as a well-formed but wrong cursor.
  }
  return fail('VALIDATION', 'after: not a cursor this list gave out');
}

const writeCursor = (row: QueueRowView) =>
  Buffer.from(JSON.stringify({ at: row.scheduledAt, id: row.id })).toString('base64url');

/**
 * The signed-in user's calls still to come in this workspace, across its
 * campaigns (seed: "GET /api/queue — the user's queue"): the first page leads
 * with the calls ringing now, then the queued ones in the order the
 * dispatcher will reach them (scheduled time, then id; call_queue_due_idx).
 * Rows of paused campaigns wait with no time and are not listed.
 */
export async function listUserQueue(
  db: DbOrTx,
  tenantId: string,
  userId: string,
  query: z.output<typeof UserQueueQuery>,
): Promise<Result<{ active: QueueRowView[]; items: QueueRowView[]; nextAfter: string | null }>> {
  const cursor = readCursor(query.after);
  if (!cursor.ok) return cursor;
  return withTenant(db, tenantId, async (tx) => {
    const active = cursor.data
      ? []
      : await tx.execute<Record<string, unknown>>(sql`
          select ${QUEUE_ROW_COLUMNS} from call_queue
          where tenant_id = ${tenantId} and user_id = ${userId}
            and status in ('dispatching', 'in_progress')
          order by dialled_at nulls first, id`);
    const after = cursor.data;
    const rows = await tx.execute<Record<string, unknown>>(sql`
      select ${QUEUE_ROW_COLUMNS} from call_queue
      where tenant_id = ${tenantId} and user_id = ${userId} and status = 'queued'
        and scheduled_at < 'infinity'
        ${after ? sql`and (scheduled_at, id) > (${after.at}::timestamptz, ${after.id})` : sql``}
      order by scheduled_at, id
      limit ${query.limit + 1}`);
    const items = rows.slice(0, query.limit).map(toQueueRowView);
    const last = items.at(-1);
    return ok({
      active: active.map(toQueueRowView),
      items,
      nextAfter: rows.length > query.limit && last ? writeCursor(last) : null,
    });
  });
}
