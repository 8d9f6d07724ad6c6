import { and, count, desc, eq, ilike, inArray, isNull, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../db/client';
import { CAMPAIGN_STATUSES, type CampaignStatus, callCampaigns } from '../db/schema';
import { withTenant } from '../db/tenant';
import { type CampaignView, toCampaignView } from './campaign-view';

/** The list page's tabs: which statuses each one shows. */
export const CAMPAIGN_TABS = {
  active: ['draft', 'running', 'paused'],
  scheduled: ['scheduled'],
  completed: ['completed', 'cancelled'],
} as const satisfies Record<string, readonly CampaignStatus[]>;
export type CampaignTab = keyof typeof CAMPAIGN_TABS;

export const BROWSE_PAGE_SIZE = 12;

/** `/campaigns?tab&status&agent&q&page`. A status outside the tab is ignored by the tab. */
export const BrowseCampaignsQuery = z.object({
  tab: z.enum(['active', 'scheduled', 'completed']).default('active'),
  status: z.enum(CAMPAIGN_STATUSES).optional(),
  agent: z.string().trim().max(200).optional(),
  q: z.string().trim().max(120).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});
export type BrowseCampaignsQuery = z.output<typeof BrowseCampaignsQuery>;

export interface CampaignBrowse {
  items: CampaignView[];
  total: number;
  page: number;
  pageSize: number;
  /** Campaigns per tab with the text and agent filters applied, for the tab labels. */
  tabCounts: Record<CampaignTab, number>;
  /** Agents the workspace's campaigns use, for the agent filter. */
  agents: string[];
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * One page of the workspace's campaigns for a tab, newest first, with the
 * status, agent and name filters (call_campaigns_tenant_created_idx; a
 * workspace has hundreds of campaigns at most, so offset paging is fine).
 */
export async function browseCampaigns(
  db: DbOrTx,
  tenantId: string,
  query: BrowseCampaignsQuery,
): Promise<CampaignBrowse> {
  const base: (SQL | undefined)[] = [
    eq(callCampaigns.tenantId, tenantId),
    isNull(callCampaigns.deletedAt),
    query.agent ? eq(callCampaigns.agentId, query.agent) : undefined,
    query.q
      ? or(
          ilike(callCampaigns.name, `%${escapeLike(query.q)}%`),
          ilike(callCampaigns.agentId, `%${escapeLike(query.q)}%`),
        )
      : undefined,
  ];
  const tabStatuses: readonly CampaignStatus[] = CAMPAIGN_TABS[query.tab];
  const statuses =
    query.status && tabStatuses.includes(query.status) ? [query.status] : tabStatuses;
  const where = and(...base, inArray(callCampaigns.status, [...statuses]));
  const pageSize = BROWSE_PAGE_SIZE;
  return withTenant(db, tenantId, async (tx) => {
    const rows = await tx
      .select()
      .from(callCampaigns)
      .where(where)
      .orderBy(desc(callCampaigns.createdAt), desc(callCampaigns.id))
      .limit(pageSize)
      .offset((query.page - 1) * pageSize);
    const byStatus = await tx
      .select({ status: callCampaigns.status, n: count() })
      .from(callCampaigns)
      .where(and(...base))
      .groupBy(callCampaigns.status);
    const agents = await tx
      .selectDistinct({ agentId: callCampaigns.agentId })
      .from(callCampaigns)
      .where(and(eq(callCampaigns.tenantId, tenantId), isNull(callCampaigns.deletedAt)))
      .orderBy(callCampaigns.agentId)
      .limit(100);
    const n = (list: readonly CampaignStatus[]) =>
      byStatus.filter((r) => list.includes(r.status)).reduce((sum, r) => sum + Number(r.n), 0);
    return {
      items: rows.map(toCampaignView),
      total: n(statuses),
      page: query.page,
      pageSize,
      tabCounts: {
        active: n(CAMPAIGN_TABS.active),
        scheduled: n(CAMPAIGN_TABS.scheduled),
        completed: n(CAMPAIGN_TABS.completed),
      },
      agents: agents.map((a) => a.agentId),
    };
  });
}
