import type postgres from 'postgres';
import type { Database } from '../../db/client';
import { describeError } from '../../log/describe-error';
import {
  type ConfirmOptions,
  confirmFinalStatuses,
  DEFAULT_CONFIRM,
} from '../confirm-final-statuses';
import type { ClaimOptions } from './claim';
import { DEFAULT_CLAIM, startDispatchCycle } from './cycle';
import type { ProviderResolver } from './dial';
import { type RecoverOptions, recoverCalls } from './recover';
import { repairCallBookkeeping } from './repair';

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
  let wake: (() => void) | null = null;
  // Set by every NOTIFY, cleared when a cycle starts: a slot freed while a cycle
  // runs (no sleep to cut short yet) must not wait for the next interval.
  let freedSinceCycle = false;
  const listener = await options.sql.listen('call_slot_freed', () => {
    freedSinceCycle = true;
    wake?.();
  });
  let lastRecovery = 0;
  let lastRepair = 0;
  const repairEvery = options.repairEveryMs ?? 30_000;

  // Dials of earlier cycles still waiting for the provider: a slow provider
  // answer must not hold back the next claim (their slots are taken already,
  // so the calls under way stay within the caps however many cycles overlap).
  const dialling = new Set<Promise<unknown>>();
  const claim = options.claim ?? DEFAULT_CLAIM;

  const loop = (async () => {
    while (!stopped) {
      let claimed = -1;
      try {
        if (Date.now() - lastRecovery >= recoverEvery) {
          lastRecovery = Date.now();
          const recovered = await recoverCalls(
            options.db,
            options.sql,
            options.providerFor,
            () => new Date(),
            options.recover,
          );
          if (recovered.redialLater + recovered.foundDialled + recovered.settled > 0) {
            options.log(`recovered calls ${JSON.stringify(recovered)}`);
          }
        }
        if (Date.now() - lastRepair >= repairEvery) {
          lastRepair = Date.now();
          const corrections = await repairCallBookkeeping(options.db, options.sql);
          if (corrections.length > 0)
            options.log(`repaired call bookkeeping ${JSON.stringify(corrections)}`);
        }
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
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, interval);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
    await Promise.all(dialling);
  })();
  const confirmations = await startConfirming(options, interval, () => stopped);

  return {
    cycles: () => cycles,
    stop: async () => {
      stopped = true;
      wake?.();
      await loop;
      await confirmations.stop();
      await listener.unlisten();
    },
  };
}

/**
 * The confirmation loop beside the dispatch loop: provider lookups can be slow,
 * and must not hold back claims. Woken by webhooks that queued a confirmation,
 * else every `interval`; goes again at once while a sweep comes back full.
 */
async function startConfirming(
  options: DispatcherOptions,
  interval: number,
  stopped: () => boolean,
) {
  const confirm = options.confirm ?? DEFAULT_CONFIRM;
  let wake: (() => void) | null = null;
  let receivedSinceSweep = false;
  const listener = await options.sql.listen('call_final_received', () => {
    receivedSinceSweep = true;
    wake?.();
  });
  const loop = (async () => {
    while (!stopped()) {
      let taken = 0;
      receivedSinceSweep = false;
      try {
        const summary = await confirmFinalStatuses(
          options.db,
          options.sql,
          options.providerFor,
          () => new Date(),
          confirm,
        );
        taken = summary.confirmed + summary.rejected + summary.retryLater + summary.gone;
        if (taken > 0) options.log(`confirmed final statuses ${JSON.stringify(summary)}`);
      } catch (error) {
        options.log(`confirming final statuses failed: ${describeError(error)}`);
      }
      if (taken >= confirm.limit || receivedSinceSweep) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, interval);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  })();
  return {
    stop: async () => {
      wake?.();
      await loop;
      await listener.unlisten();
    },
  };
}
