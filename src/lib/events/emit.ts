import { sql as drizzleSql } from 'drizzle-orm';
import type postgres from 'postgres';
import type { DbOrTx } from '../db/client';
import { LIVE_CHANNEL, LiveNotice } from './types';

/** A postgres.js handle (pool or transaction) or a drizzle one. */
export type Notifier = postgres.Sql | postgres.TransactionSql | DbOrTx;

/**
 * Tells every web process that something a browser may be watching changed.
 * Inside a transaction the NOTIFY is delivered on commit (and not at all on
 * rollback). For events that fire per call, use the coalescing emitter instead:
 * NOTIFY serialises commits, so one per call would throttle the dispatcher.
 */
export async function emitLiveEvent(handle: Notifier, notice: LiveNotice): Promise<void> {
  const payload = JSON.stringify(LiveNotice.parse(notice));
  if (typeof handle === 'function') {
    await handle`select pg_notify(${LIVE_CHANNEL}, ${payload})`;
    return;
  }
  await handle.execute(drizzleSql`select pg_notify(${LIVE_CHANNEL}, ${payload})`);
}
