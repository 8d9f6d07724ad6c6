import { hostname } from 'node:os';
import cron from 'node-cron';
import { loadConfig } from '../src/lib/config';
import { claimTick } from '../src/lib/cron/claim-tick';
import { connectDatabase } from '../src/lib/db/client';
import { JOBS } from './jobs';

const config = loadConfig(process.env);
const database = connectDatabase(config.databaseUrl, { max: 5 });
const runner = `${hostname()}:${process.pid}`;
const log = (message: string) => console.log(`[worker] ${message}`);
const running = new Set<Promise<unknown>>();

const tasks = JOBS.map((job) =>
  cron.schedule(
    job.schedule,
    (context) => {
      const run = (async () => {
        const tick = context.date;
        if (!(await claimTick(database.db, job.name, tick, runner))) return;
        const started = Date.now();
        const summary = await job.run({ db: database.db, config }, new Date());
        log(`${job.name} done in ${Date.now() - started} ms ${JSON.stringify(summary)}`);
      })().catch((error: unknown) => {
        console.error(
          `[worker] ${job.name} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
      running.add(run);
      void run.finally(() => running.delete(run));
    },
    { name: job.name, timezone: 'Etc/UTC', noOverlap: true },
  ),
);

log(`started (${runner}); schedule:`);
for (const [i, job] of JOBS.entries()) {
  log(
    `  ${job.name.padEnd(20)} ${job.schedule.padEnd(14)} next ${tasks[i]?.getNextRun()?.toISOString()} — ${job.description}`,
  );
}

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping`);
  await Promise.all(tasks.map((t) => t.stop()));
  // Let in-flight jobs finish (bounded), then close the pool.
  await Promise.race([Promise.allSettled([...running]), new Promise((r) => setTimeout(r, 10_000))]);
  await database.close();
  log('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
