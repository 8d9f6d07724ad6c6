import type postgres from 'postgres';
import type { Database } from '../../db/client';
import { describeError } from '../../log/describe-error';
import type { ConfirmOptions } from '../confirm-final-statuses';
import type { ClaimOptions } from './claim';
import { DEFAULT_CLAIM, startDispatchCycle } from './cycle';
import type { ProviderResolver } from './dial';
import type { RecoverOptions } from './recover';
import { interruptibleSleep, startConfirming, startMaintenance } from './side-lanes';

export interface DispatcherOptions {
  db: Database;
  sql: postgres.Sql;
  providerFor: ProviderResolver;
  log: (line: string) => void;
  /** Idle wake-up interval; a freed slot (NOTIFY call_slot_freed) wakes it sooner. */
  intervalMs?: number;
  recoverEveryMs?: number;
  /** What the recovery sweep settles, and how much of it at a time (recover.ts). */
  recover?: RecoverOptions;
  /** Slots and counters are checked against the rows this often (and at start). */
  repairEveryMs?: number;
  claim?: ClaimOptions;
  /** Final statuses waiting for the provider's word (NOTIFY call_final_received wakes it). */
  confirm?: ConfirmOptions;
}

export interface Dispatcher {
  /** Stops claiming, lets the dials under way (and their provider requests) finish. */
  stop: () => Promise<void>;
  cycles: () => number;
}

/**
 * The worker's dispatch loop. Postgres, not this process, keeps the caps
 * (claim_due_calls), so any number of dispatchers may run side by side.
 */
export async function startDispatcher(options: DispatcherOptions): Promise<Dispatcher> {
  const interval = options.intervalMs ?? 2_000;
  const recoverEvery = options.recoverEveryMs ?? 10_000;
  let stopped = false;
  let cycles = 0;
  const idle = interruptibleSleep();
  // Set by every NOTIFY, cleared when a cycle starts: a slot freed while a cycle
  // runs (no sleep to cut short yet) must not wait for the next interval.
  let freedSinceCycle = false;
  const listener = await options.sql.listen('call_slot_freed', () => {
    freedSinceCycle = true;
    idle.wake();
  });

  // Dials of earlier cycles still waiting for the provider: a slow provider
  // answer must not hold back the next claim (their slots are taken already,
  // so the calls under way stay within the caps however many cycles overlap).
  const dialling = new Set<Promise<unknown>>();
  const claim = options.claim ?? DEFAULT_CLAIM;

  const loop = (async () => {
    while (!stopped) {
      let claimed = -1;
      try {
        freedSinceCycle = false;
        const cycle = await startDispatchCycle(
          { db: options.db, sql: options.sql, providerFor: options.providerFor },
          claim,
        );
        cycles += 1;
        claimed = cycle.claimed.length;
        const done = cycle.dialled.then(
          (summary) => {
            if (summary.claimed > 0) options.log(`dispatch ${JSON.stringify(summary)}`);
          },
          (error: unknown) => options.log(`dispatch dials failed: ${describeError(error)}`),
        );
        dialling.add(done);
        void done.finally(() => dialling.delete(done));
      } catch (error) {
        options.log(`dispatch cycle failed: ${describeError(error)}`);
      }
      // A full claim means more is due right now, and a slot freed during the cycle may
      // have room for a call; otherwise sleep until woken or the interval.
      if (claimed >= claim.max || (claimed >= 0 && freedSinceCycle)) continue;
      await idle.sleep(interval);
    }
    await Promise.all(dialling);
  })();
  const confirmations = await startConfirming(options, interval, () => stopped);
  const maintenance = startMaintenance(options, recoverEvery, () => stopped);

  return {
    cycles: () => cycles,
    stop: async () => {
      stopped = true;
      idle.wake();
      await loop;
      await confirmations.stop();
      await maintenance.stop();
      await listener.unlisten();
    },
  };
}
