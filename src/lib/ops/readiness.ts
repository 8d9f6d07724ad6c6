import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { readHeartbeats } from './heartbeat';
import { readMigrationStatus } from './migrations';

/** A worker that has not beaten for this long counts as gone (it beats every 30 s). */
export const HEARTBEAT_FRESH_SECONDS = 120;

export type CheckName = 'database' | 'migrations' | 'worker';

export interface Readiness {
  ready: boolean;
  /** Each check with what it saw; never a connection string, host name or error text. */
  checks: Record<CheckName, { ok: boolean; detail: string }>;
}

/** Database reachable, migrations current, a worker alive: what a load balancer should wait for. */
export async function checkReadiness(db: DbOrTx): Promise<Readiness> {
  try {
    await db.execute(sql`select 1`);
  } catch {
    const down = { ok: false, detail: 'not checked: database unreachable' };
    return {
      ready: false,
      checks: { database: { ok: false, detail: 'unreachable' }, migrations: down, worker: down },
    };
  }
  const [migrations, worker] = await Promise.all([
    readMigrationStatus(db).then(
      (m) => ({
        ok: m.missing.length === 0,
        detail: m.missing.length
          ? `missing ${m.missing.join(', ')}`
          : `${m.expected} of ${m.expected} applied`,
      }),
      () => ({ ok: false, detail: 'migration table unreadable' }),
    ),
    readHeartbeats(db, HEARTBEAT_FRESH_SECONDS).then(
      (h) => ({
        ok: h.fresh > 0,
        detail:
          h.ageSeconds === null
            ? 'no worker heartbeat'
            : `${h.fresh} fresh; last beat ${h.ageSeconds} s ago`,
      }),
      () => ({ ok: false, detail: 'heartbeats unreadable' }),
    ),
  ]);
  const checks = { database: { ok: true, detail: 'reachable' }, migrations, worker };
  return { ready: migrations.ok && worker.ok, checks };
}
