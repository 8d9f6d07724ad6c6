import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterAll } from 'vitest';
import type { Database } from '../../src/lib/db/client';
import * as schema from '../../src/lib/db/schema';

export interface SentStatement {
  query: string;
  params: unknown[];
}

/**
 * Per test file: `open()` returns a one-connection drizzle handle on the
 * file's database that records every statement it sends, with its
 * parameters, in `sent` (for plan and round-trip assertions).
 */
export function useRecordingDb(database: { readonly url: string }) {
  const sent: SentStatement[] = [];
  const clients: postgres.Sql[] = [];
  afterAll(() => Promise.all(clients.map((c) => c.end({ timeout: 5 }))));
  return {
    sent,
    open(): Database {
      const client = postgres(database.url, {
        max: 1,
        onnotice: () => {},
        debug: (_connection, query, params) => sent.push({ query, params: params as unknown[] }),
      });
      clients.push(client);
      return drizzle(client, { schema }) as Database;
    },
  };
}
