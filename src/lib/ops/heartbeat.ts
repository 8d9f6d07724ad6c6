import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';

/**
 * Worker heartbeats live in `system_settings` (no migration needed): one row per
 * worker process, `worker_heartbeat:<host:pid>`, stamped with the database's
 * clock so readiness never compares two machines' clocks.
 */
export const HEARTBEAT_PREFIX = 'worker_heartbeat:';
export const HEARTBEAT_EVERY_MS = 30_000;
/** Rows of workers that died without a clean shutdown are pruned after this long. */
const PRUNE_AFTER = '1 day';

export function heartbeatKey(runner: string): string {
  return `${HEARTBEAT_PREFIX}${runner}`;
}

export async function beatHeartbeat(db: DbOrTx, runner: string, startedAt: Date): Promise<void> {
  const value = JSON.stringify({ runner, startedAt: startedAt.toISOString() });
  await db.execute(sql`
    insert into system_settings (key, value, updated_at)
    values (${heartbeatKey(runner)}, ${value}::jsonb, now())
    on conflict (key) do update set value = excluded.value, updated_at = now()`);
  await db.execute(sql`
    delete from system_settings
    where key like ${`${HEARTBEAT_PREFIX}%`} and updated_at < now() - ${PRUNE_AFTER}::interval`);
}

export async function removeHeartbeat(db: DbOrTx, runner: string): Promise<void> {
  await db.execute(sql`delete from system_settings where key = ${heartbeatKey(runner)}`);
}

export interface HeartbeatSummary {
  /** Workers that beat within the freshness bound. */
  fresh: number;
  /** Seconds since the freshest beat, by the database's clock; null when none. */
  ageSeconds: number | null;
}

export async function readHeartbeats(db: DbOrTx, freshSeconds: number): Promise<HeartbeatSummary> {
  const [row] = await db.execute<{ fresh: number; age: number | null }>(sql`
    select count(*) filter (where updated_at > now() - make_interval(secs => ${freshSeconds}))::int as fresh,
           extract(epoch from now() - max(updated_at))::float8 as age
    from system_settings where key like ${`${HEARTBEAT_PREFIX}%`}`);
  const age = row?.age ?? null;
  return { fresh: row?.fresh ?? 0, ageSeconds: age === null ? null : Math.round(Number(age)) };
}
