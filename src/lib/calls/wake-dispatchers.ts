import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';

/** How long a freed slot may wait for its wake-up: it gathers the others freed meanwhile. */
const GATHER_MS = 10;

const pending = new WeakMap<Database, Promise<void>>();

/**
 * Tells every dispatcher a slot is free (NOTIFY call_slot_freed), after the
 * release committed, at most once per GATHER_MS per process. A NOTIFY takes
 * one lock for the whole database while its transaction commits, so one per
 * webhook inside the webhook's transaction queued every webhook behind the
 * others' commits (bench:dispatch at ~400 calls/s). Never throws: a lost
 * wake-up costs at most the dispatcher's idle interval.
 */
export function wakeDispatchers(db: Database): void {
  if (pending.has(db)) return;
  const wake = new Promise<void>((resolve) => setTimeout(resolve, GATHER_MS))
    .then(() => db.execute(sql`select pg_notify('call_slot_freed', '')`))
    .then(
      () => undefined,
      () => undefined,
    )
    .finally(() => pending.delete(db));
  pending.set(db, wake);
}
