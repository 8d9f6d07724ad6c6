import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../db/client';
import { tenantSettings } from '../db/schema';
import { DEFAULT_HOT_LIST_RULE, type HotListRule } from './aggregates';

export const HOT_LIST_SETTING = 'hot_list_rule';

export const HotListRuleSchema = z.union([
  z.object({ stages: z.array(z.string().trim().min(1).max(200)).min(1).max(100) }),
  z.object({ minLikelihood: z.number().int().min(0).max(100) }),
]);

/** The tenant's hot-list rule from tenant_settings, or the default (stages ≥ 50 % likely). */
export async function readHotListRule(tx: DbOrTx, tenantId: string): Promise<HotListRule> {
  const [row] = await tx
    .select({ value: tenantSettings.value })
    .from(tenantSettings)
    .where(and(eq(tenantSettings.tenantId, tenantId), eq(tenantSettings.key, HOT_LIST_SETTING)));
  const parsed = HotListRuleSchema.safeParse(row?.value);
  return parsed.success ? parsed.data : DEFAULT_HOT_LIST_RULE;
}
