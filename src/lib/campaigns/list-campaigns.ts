import { and, desc, eq, isNull, lt } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { callCampaigns } from '../db/schema';
import { withTenant } from '../db/tenant';
import { type CampaignView, toCampaignView } from './campaign-view';

/** The workspace's campaigns, newest first, 50 a page (keyset on created_at). */
export async function listCampaigns(
  db: DbOrTx,
  tenantId: string,
  options: { before?: Date; limit?: number } = {},
): Promise<{ items: CampaignView[]; nextBefore: string | null }> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 100);
  const rows = await withTenant(db, tenantId, (tx) =>
    tx
      .select()
      .from(callCampaigns)
      .where(
        and(
          eq(callCampaigns.tenantId, tenantId),
          isNull(callCampaigns.deletedAt),
          options.before ? lt(callCampaigns.createdAt, options.before) : undefined,
        ),
      )
      .orderBy(desc(callCampaigns.createdAt))
      .limit(limit + 1),
  );
  const items = rows.slice(0, limit).map(toCampaignView);
  return { items, nextBefore: rows.length > limit ? (items.at(-1)?.createdAt ?? null) : null };
}
