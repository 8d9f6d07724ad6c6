/**
 * BENCH_PREPARE=1: the experiment behind the bench's advice on statement cost.
 * drizzle hands every query to postgres.js with `prepare: false`, so the
 * server parses and plans each statement of the hot path on every call. This
 * opens the same pool as connectDatabase, but with a client whose `unsafe`
 * (drizzle's way in), transactions and savepoints ask for named prepared
 * statements, cached per connection.
 */
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { connectDatabase, type DatabaseHandle } from '../src/lib/db/client';
import * as schema from '../src/lib/db/schema';

type Scoped = (sql: postgres.Sql) => unknown;

function preparing(sql: postgres.Sql): postgres.Sql {
  const scoped = (open: (...args: unknown[]) => unknown) => (a: unknown, b?: unknown) =>
    b === undefined
      ? open((tx: postgres.Sql) => (a as Scoped)(preparing(tx)))
      : open(a, (tx: postgres.Sql) => (b as Scoped)(preparing(tx)));
  return new Proxy(sql, {
    get(target, prop, receiver) {
      if (prop === 'unsafe')
        return (query: string, args?: unknown[], options?: object) =>
          target.unsafe(query, args as postgres.ParameterOrJSON<never>[], {
            ...options,
            prepare: true,
          });
      if (prop === 'begin' || prop === 'savepoint') {
        const open = Reflect.get(target, prop, receiver) as (...args: unknown[]) => unknown;
        return scoped(open.bind(target));
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

/** connectDatabase, or (prepare) the same pool with prepared statements. */
export function connectPool(url: string, max: number, prepare: boolean): DatabaseHandle {
  if (!prepare) return connectDatabase(url, { max });
  const sql = postgres(url, {
    max,
    onnotice: () => {},
    connection: { application_name: 'switchboard' },
  });
  const client = preparing(sql);
  return { db: drizzle(client, { schema }), sql, close: () => sql.end({ timeout: 5 }) };
}
