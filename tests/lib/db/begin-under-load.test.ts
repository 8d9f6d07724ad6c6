/**
 * postgres.js 3.4.9 can write a transaction's BEGIN on a busy connection
 * without reserving that connection (porsager/postgres#823, #1189): the
 * transaction fails with UNSAFE_TRANSACTION and, worse, the server side of
 * it stays open on a connection handed back to the pool, so unrelated
 * statements run inside it. scripts/patch-postgres.mjs fixes the driver at
 * install; this is the upstream reproduction (connections kept busy so
 * BEGINs pipeline behind other statements at the pipeline's limit).
 */
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();
const pools: postgres.Sql[] = [];
afterAll(() => Promise.all(pools.map((p) => p.end({ timeout: 5 }))));

describe('transactions on a busy pool (patched postgres.js)', () => {
  it('reserve their connection for every BEGIN, and leave no connection inside a transaction', async () => {
    // max_pipeline is a postgres.js option its types leave out.
    const options = {
      max: 3,
      max_pipeline: 2,
      onnotice: () => {},
      connection: { application_name: 'begin-under-load' },
    };
    const sql = postgres(t.url, options);
    const observer = postgres(t.url, { max: 1 });
    pools.push(sql, observer);
    const failures: string[] = [];
    for (let round = 0; round < 12; round++) {
      const busy = [1, 2, 3].map(() => sql`select pg_sleep(0.05)`.execute());
      const plain = Array.from({ length: 3 }, (_, i) => sql`select ${i}::int as n`.execute());
      // Tagged queries go out on the next tick, begin() at once: let the others take the pool first.
      await new Promise((resolve) => setImmediate(resolve));
      const transactions = Array.from({ length: 5 }, (_, i) =>
        sql.begin(async (tx) => {
          const [a] = await tx`select txid_current() as id, ${i}::int as i`;
          const [b] = await tx`select txid_current() as id`;
          return a?.id === b?.id; // both statements ran in one transaction
        }),
      );
      const settled = await Promise.allSettled([...busy, ...plain, ...transactions]);
      for (const s of settled) if (s.status === 'rejected') failures.push(String(s.reason));
      const outcomes = settled.slice(busy.length + plain.length);
      for (const o of outcomes) if (o.status === 'fulfilled') expect(o.value).toBe(true);
      // Every transaction has ended: no connection of the pool sits inside one.
      const [open] = await observer`
        select count(*)::int as n from pg_stat_activity
        where application_name = 'begin-under-load' and state like 'idle in transaction%'`;
      expect(open?.n).toBe(0);
    }
    expect(failures).toEqual([]);
  });
});
