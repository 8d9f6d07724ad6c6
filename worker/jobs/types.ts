import type { AppConfig } from '../../src/lib/config';
import type { DatabaseHandle } from '../../src/lib/db/client';

export interface JobContext {
  database: DatabaseHandle;
  config: AppConfig;
  log: (line: string) => void;
  /** Fires when the worker stops: a long job winds down at its next step (the sync does). */
  signal?: AbortSignal;
}

/** Every worker job has this shape: a schedule, and a run that takes `now` and returns a summary. */
export interface Job {
  name: string;
  /** node-cron expression, evaluated in UTC. */
  schedule: string;
  /** A schedule the deployment set instead (config), if any. */
  configuredSchedule?: (config: AppConfig) => string | undefined;
  description: string;
  /** Run the current period's tick at worker start when nobody has yet (e.g. the hourly sync). */
  catchUpOnStart?: boolean;
  /** `tick`: the cron minute this run claimed (absent when called directly, e.g. by tests). */
  run: (ctx: JobContext, now: Date, tick?: Date) => Promise<Record<string, number>>;
  /**
   * At start, for a tick another process claimed: finish what it left undone
   * if it died mid-way. Null when there was nothing to do.
   */
  resume?: (ctx: JobContext, tick: Date) => Promise<Record<string, number> | null>;
}
