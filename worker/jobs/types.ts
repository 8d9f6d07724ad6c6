import type { AppConfig } from '../../src/lib/config';
import type { DatabaseHandle } from '../../src/lib/db/client';

export interface JobContext {
  database: DatabaseHandle;
  config: AppConfig;
  log: (line: string) => void;
}

/** Every worker job has this shape: a schedule, and a run that takes `now` and returns a summary. */
export interface Job {
  name: string;
  /** node-cron expression, evaluated in UTC. */
  schedule: string;
  description: string;
  /** Run the current period's tick at worker start when nobody has yet (e.g. the hourly sync). */
  catchUpOnStart?: boolean;
  run: (ctx: JobContext, now: Date) => Promise<Record<string, number>>;
}
