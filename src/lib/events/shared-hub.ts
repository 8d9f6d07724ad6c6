import type postgres from 'postgres';
import type { Database } from '../db/client';
import { createLiveHub, type LiveHub } from './hub';

const hubs = new WeakMap<postgres.Sql, LiveHub>();

/** The process's hub for this pool, created on first use (one LISTEN connection per pool). */
export function sharedLiveHub(database: { db: Database; sql: postgres.Sql }): LiveHub {
  let hub = hubs.get(database.sql);
  if (!hub) {
    hub = createLiveHub(database);
    hubs.set(database.sql, hub);
  }
  return hub;
}
