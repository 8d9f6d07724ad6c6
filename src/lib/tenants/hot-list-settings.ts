import { fail, ok, type Result } from '../api/result';
import type { DbOrTx } from '../db/client';
import { tenantSettings } from '../db/schema';
import { withTenant } from '../db/tenant';
import type { HotListRule } from '../sync/aggregates';
import { HOT_LIST_SETTING, HotListRuleSchema, readHotListRule } from '../sync/hot-list-rule';

/** Saves which stages make the hot list; takes effect at the next sync. */
export async function setHotListRule(
  db: DbOrTx,
  tenantId: string,
  input: unknown,
): Promise<Result<HotListRule>> {
  const parsed = HotListRuleSchema.safeParse(input);
  if (!parsed.success) {
    return fail('VALIDATION', 'Give a likelihood between 0 and 100, or at least one stage name');
  }
  await withTenant(db, tenantId, (tx) =>
    tx
      .insert(tenantSettings)
      .values({ tenantId, key: HOT_LIST_SETTING, value: parsed.data })
      .onConflictDoUpdate({
        target: [tenantSettings.tenantId, tenantSettings.key],
        set: { value: parsed.data, updatedAt: new Date() },
      }),
  );
  return ok(parsed.data);
}

/** The workspace's current hot-list rule (the default until one is saved). */
export function getHotListRule(db: DbOrTx, tenantId: string): Promise<HotListRule> {
  return withTenant(db, tenantId, (tx) => readHotListRule(tx, tenantId));
}
