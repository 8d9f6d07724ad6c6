import type { Database } from '../src/lib/db/client';
import type { Logger } from '../src/lib/log';
import { beatHeartbeat, HEARTBEAT_EVERY_MS, removeHeartbeat } from '../src/lib/ops';

/**
 * Keeps this worker's heartbeat row fresh (GET /api/ready reads it). A missed
 * beat is logged, not fatal: the next one repairs it, and readiness allows four.
 */
export function startHeartbeat(
  db: Database,
  runner: string,
  log: Logger,
  everyMs = HEARTBEAT_EVERY_MS,
) {
  const startedAt = new Date();
  const beat = () =>
    beatHeartbeat(db, runner, startedAt).catch((error: unknown) =>
      log.warn({ err: error }, 'heartbeat failed'),
    );
  let current = beat();
  const timer = setInterval(() => {
    current = beat();
  }, everyMs);
  return {
    /** Stops beating and removes the row, so readiness stops counting this worker at once. */
    async stop() {
      clearInterval(timer);
      await current;
      await removeHeartbeat(db, runner).catch((error: unknown) =>
        log.warn({ err: error }, 'heartbeat removal failed'),
      );
    },
  };
}
