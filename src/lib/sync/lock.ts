import type postgres from 'postgres';

/**
 * One sync per tenant across every process: a session advisory lock held on a
 * reserved connection for the whole run. A crashed process's lock dies with
 * its connection, so nothing has to expire it.
 */
export async function withTenantSyncLock<T>(
  sql: postgres.Sql,
  tenantId: string,
  fn: () => Promise<T>,
): Promise<{ acquired: true; value: T } | { acquired: false }> {
  const connection = await sql.reserve();
  const key = `sync:${tenantId}`;
  try {
    const [row] =
      await connection`select pg_try_advisory_lock(hashtextextended(${key}, 0)) as locked`;
    if (!row?.locked) return { acquired: false };
    try {
      return { acquired: true, value: await fn() };
    } finally {
      await connection`select pg_advisory_unlock(hashtextextended(${key}, 0))`;
    }
  } finally {
    connection.release();
  }
}

const TICK_KEY = 'sync:hourly-tick';

/**
 * The hourly job's tick, across every process: a run of the tick holds this
 * lock shared for its whole loop (several ticks may overlap); resuming a tick
 * takes it exclusive without waiting, so it succeeds only when no process is
 * running a tick any more, i.e. the one that claimed it died. Like the tenant
 * lock, it dies with its connection.
 */
export async function withSyncTickLock<T>(
  sql: postgres.Sql,
  mode: 'run' | 'resume',
  fn: () => Promise<T>,
): Promise<{ acquired: true; value: T } | { acquired: false }> {
  const connection = await sql.reserve();
  try {
    if (mode === 'run') {
      await connection`select pg_advisory_lock_shared(hashtextextended(${TICK_KEY}, 0))`;
    } else {
      const [row] =
        await connection`select pg_try_advisory_lock(hashtextextended(${TICK_KEY}, 0)) as locked`;
      if (!row?.locked) return { acquired: false };
    }
    try {
      return { acquired: true, value: await fn() };
    } finally {
      await (mode === 'run'
        ? connection`select pg_advisory_unlock_shared(hashtextextended(${TICK_KEY}, 0))`
        : connection`select pg_advisory_unlock(hashtextextended(${TICK_KEY}, 0))`);
    }
  } finally {
    connection.release();
  }
}
