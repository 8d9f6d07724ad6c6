import type postgres from 'postgres';

/**
 * Statements with at most this many parameters go out as named prepared
 * statements. Above it are bulk statements (row lists, id lists) whose text
 * changes with the count: preparing those would fill each connection's cache
 * with one-off shapes, and their planning is small next to their work.
 */
export const MAX_PREPARED_PARAMETERS = 32;

type Scoped = (sql: postgres.Sql) => unknown;

/**
 * drizzle hands postgres.js every statement with `prepare: false` (it prepares
 * only queries given a name), so PostgreSQL parses and plans each page read on
 * every request: on /dashboard that was half of the database's CPU. This
 * client asks for named prepared statements instead — postgres.js caches them
 * per connection (connections are recycled every 30–60 min, bounding the
 * cache), re-prepares after a schema change, and PostgreSQL moves to a generic
 * plan only when it costs no more than the custom ones.
 *
 * Parameterless statements keep postgres.js's simple protocol (which allows
 * several statements in one string); `begin` and `savepoint` hand their
 * callbacks a client that prepares too, since drizzle's transactions use them.
 */
export function preparingClient(sql: postgres.Sql): postgres.Sql {
  const scoped = (open: (...args: unknown[]) => unknown) => (a: unknown, b?: unknown) =>
    b === undefined
      ? open((tx: postgres.Sql) => (a as Scoped)(preparingClient(tx)))
      : open(a, (tx: postgres.Sql) => (b as Scoped)(preparingClient(tx)));
  return new Proxy(sql, {
    get(target, prop, receiver) {
      if (prop === 'unsafe')
        return (query: string, args: unknown[] = [], options: object = {}) =>
          target.unsafe(query, args as postgres.ParameterOrJSON<never>[], {
            ...options,
            prepare: args.length <= MAX_PREPARED_PARAMETERS,
          });
      if (prop === 'begin' || prop === 'savepoint') {
        const open = Reflect.get(target, prop, receiver) as (...args: unknown[]) => unknown;
        return scoped(open.bind(target));
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}
