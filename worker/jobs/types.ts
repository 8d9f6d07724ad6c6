import type { AppConfig } from '../../src/lib/config';
import type { Database } from '../../src/lib/db/client';

export interface JobContext {
  db: Database;
  config: AppConfig;
}

/** Every worker job has this shape: a schedule, and a run that takes `now` and returns a summary. */
export interface Job {
  name: string;
  /** node-cron expression, evaluated in UTC. */
  schedule: string;
  description: string;
  run: (ctx: JobContext, now: Date) => Promise<Record<string, number>>;
}
