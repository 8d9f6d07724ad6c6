import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';

/** How long a freed slot may wait for its wake-up: it gathers the others freed meanwhile. */
const GATHER_MS = 10;

const pending = new WeakMap<Database, Map<string, Promise<void>>>();

/**
 * Tells every dispatcher a slot is free (NOTIFY call_slot_freed), after the
 * release committed, at most once per GATHER_MS per process. A NOTIFY takes
 * one lock for the whole database while its transaction commits, so one per
 * webhook inside the webhook's transaction queued every webhook behind the
 * others' commits (bench:dispatch at ~400 calls/s). Never throws: a lost
 * wake-up costs at most the dispatcher's idle interval.
 */
export function wakeDispatchers(db: Database): void {
  notifyWorkers(db, 'call_slot_freed');
}

/**
 * Tells the workers a final status waits for the provider's confirmation
 * (NOTIFY call_final_received; confirm-final-statuses.ts), gathered the same way.
 */
export function wakeConfirmers(db: Database): void {
  notifyWorkers(db, 'call_final_received');
}

function notifyWorkers(db: Database, channel: 'call_slot_freed' | 'call_final_received') {
  let channels = pending.get(db);
  if (!channels) {
    channels = new Map();
    pending.set(db, channels);
  }
  if (channels.has(channel)) return;
  const waiting = channels;
  const wake = new Promise<void>((resolve) => setTimeout(resolve, GATHER_MS))
    .then(() => db.execute(sql`select pg_notify(${channel}, '')`))
    .then(
      () => undefined,
      () => undefined,
    )
    .finally(() => waiting.delete(channel));
  channels.set(channel, wake);
}
