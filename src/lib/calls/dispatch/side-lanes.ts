/**
 * The loops a dispatcher runs beside its claim loop, so that nothing slow
 * (provider lookups, counting the queue) holds up a claim.
 */
import { describeError } from '../../log/describe-error';
import { confirmFinalStatuses, DEFAULT_CONFIRM } from '../confirm-final-statuses';
import type { DispatcherOptions } from './dispatcher';
import { recoverCalls } from './recover';
import { repairCallBookkeeping } from './repair';

/** A sleep that `wake()` cuts short (a NOTIFY, or stopping). */
export function interruptibleSleep() {
  let wake: (() => void) | null = null;
  return {
    sleep: (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      }).finally(() => {
        wake = null;
      }),
    wake: () => wake?.(),
  };
}

/**
 * The confirmation loop beside the dispatch loop: provider lookups can be slow,
 * and must not hold back claims. Woken by webhooks that queued a confirmation,
 * else every `interval`; goes again at once while a sweep comes back full.
 */
export async function startConfirming(
  options: DispatcherOptions,
  interval: number,
  stopped: () => boolean,
) {
  const confirm = options.confirm ?? DEFAULT_CONFIRM;
  const idle = interruptibleSleep();
  let receivedSinceSweep = false;
  const listener = await options.sql.listen('call_final_received', () => {
    receivedSinceSweep = true;
    idle.wake();
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
      await idle.sleep(interval);
    }
  })();
  return {
    stop: async () => {
      idle.wake();
      await loop;
      await listener.unlisten();
    },
  };
}

/**
 * Recovery (expired leases, stale calls: provider lookups) and the bookkeeping
 * repair (counts over the whole queue, ~0.4 s at a million rows) on their own
 * lane: run inside the dispatch loop they held up every claim while they ran,
 * the slowest slot → call waits of bench:dispatch.
 */
export function startMaintenance(
  options: DispatcherOptions,
  recoverEvery: number,
  stopped: () => boolean,
) {
  const repairEvery = options.repairEveryMs ?? 30_000;
  let lastRecovery = 0;
  let lastRepair = 0;
  const idle = interruptibleSleep();
  const loop = (async () => {
    while (!stopped()) {
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
      } catch (error) {
        options.log(`dispatch maintenance failed: ${describeError(error)}`);
      }
      const next = Math.min(lastRecovery + recoverEvery, lastRepair + repairEvery) - Date.now();
      if (next <= 0 || stopped()) continue;
      await idle.sleep(next);
    }
  })();
  return {
    stop: async () => {
      idle.wake();
      await loop;
    },
  };
}
