import { isNull } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { tenants } from '../db/schema';
import { findDaysToRoll, toRanges } from './dirty-days';
import { rollupDays } from './rollup';

/** Ranges one tenant's tick rolls at most; the rest wait for the next tick (bounded work). */
export const MAX_RANGES_PER_TICK = 31;

export interface TenantRollup {
  days: number;
  ranges: number;
}

/** One tick for one tenant: today, an unclosed yesterday and the dirty days, range by range. */
export async function rollupTenant(
  db: DbOrTx,
  tenantId: string,
  now = new Date(),
): Promise<TenantRollup> {
  const ranges = toRanges(await findDaysToRoll(db, tenantId, now)).slice(0, MAX_RANGES_PER_TICK);
  let days = 0;
  for (const range of ranges) {
    days += (await rollupDays(db, tenantId, range.from, range.to, now)).length;
  }
  return { days, ranges: ranges.length };
}

/**
 * The worker's tick: every active tenant in turn. One tenant's failure is
 * logged and counted, and the others still roll (the next tick retries it).
 */
export async function rollupAllTenants(
  db: DbOrTx,
  now: Date,
  log: (line: string) => void = () => {},
) {
  const active = await db
    .select({ id: tenants.id, slug: tenants.slug })
    .from(tenants)
    .where(isNull(tenants.deactivatedAt));
  const summary = { tenants: active.length, days: 0, ranges: 0, failed: 0 };
  for (const tenant of active) {
    try {
      const rolled = await rollupTenant(db, tenant.id, now);
      summary.days += rolled.days;
      summary.ranges += rolled.ranges;
    } catch (error) {
      summary.failed += 1;
      log(`stats roll-up ${tenant.slug} failed: ${error instanceof Error ? error.message : error}`);
    }
  }
  return summary;
}
