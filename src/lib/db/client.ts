import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { preparingClient } from './prepared';
import * as schema from './schema';

/** The pool's drizzle handle; `$client` is its postgres.js pool (for LISTEN/NOTIFY helpers). */
export type Database = PostgresJsDatabase<typeof schema> & { $client: postgres.Sql };
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** A handle that is either the pool or an open transaction: verbs accept both. */
export type DbOrTx = Database | Transaction;

export interface DatabaseHandle {
  db: Database;
  sql: postgres.Sql;
  close: () => Promise<void>;
}

/** Opens a pool on `url`. Config is passed in (see lib/config); nothing here reads the environment. */
export function connectDatabase(url: string, options: { max?: number } = {}): DatabaseHandle {
  const sql = postgres(url, {
    max: options.max ?? 10,
    // Notices (e.g. "role already exists, skipping") are expected noise during migrations.
    onnotice: () => {},
    // No JIT compilation: this is an OLTP workload of small, index-driven
    // statements whose row estimates (LIMITed lateral scans over a million-row
    // queue) still cross jit_above_cost, and compiling costs ~30 ms each time —
    // 60 % of claim_due_calls under bench:dispatch, for 1.4 ms of actual work.
    connection: { application_name: 'switchboard', jit: 'off' },
  });
  // drizzle goes through the preparing client; `sql` stays the plain pool for raw work.
  const db = drizzle(preparingClient(sql), { schema }) as Database;
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}
