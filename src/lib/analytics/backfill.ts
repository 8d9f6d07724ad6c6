import type { DbOrTx } from '../db/client';
import { addDays } from './dirty-days';
import { type Day, rollupDays } from './rollup';

/** Days per statement: a month keeps each transaction short on a busy tenant. */
export const BACKFILL_CHUNK_DAYS = 31;

/**
 * Rolls every day from `from` to the tenant's today, a month per statement,
 * oldest first; `onChunk` reports progress. Safe to re-run or interrupt:
 * each chunk replaces its days.
 */
export async function backfillTenant(
  db: DbOrTx,
  tenantId: string,
  from: Day,
  now = new Date(),
  onChunk: (range: { from: Day; to: Day; days: number }) => void = () => {},
): Promise<{ days: number; chunks: number }> {
  let days = 0;
  let chunks = 0;
  let start = from;
  for (;;) {
    const end = addDays(start, BACKFILL_CHUNK_DAYS - 1);
    const written = await rollupDays(db, tenantId, start, end, now);
    if (written.length === 0) break;
    days += written.length;
    chunks += 1;
    onChunk({ from: start, to: written.at(-1) ?? end, days: written.length });
    // Fewer days than asked: the range reached the tenant's today.
    if (written.length < BACKFILL_CHUNK_DAYS) break;
    start = addDays(end, 1);
  }
  return { days, chunks };
}
