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
