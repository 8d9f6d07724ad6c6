import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';

/**
 * Claims one cron tick of `job` for this process. node-cron only wakes every
 * worker; this upsert lets exactly one of them (and never a restarted one
 * twice) run a given tick. Returns false when another process already has it.
 */
export async function claimTick(
  db: DbOrTx,
  job: string,
  tick: Date,
  runner: string,
): Promise<boolean> {
  const rows = await db.execute(sql`
    insert into cron_ticks (job, last_tick, last_run_by) values (${job}, ${tick.toISOString()}::timestamptz, ${runner})
    on conflict (job) do update set last_tick = excluded.last_tick, last_run_by = excluded.last_run_by
      where cron_ticks.last_tick < excluded.last_tick
    returning job`);
  return rows.length > 0;
}
