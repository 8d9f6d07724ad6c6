import { hostname } from 'node:os';
import cron, { type ScheduledTask } from 'node-cron';
import { DEFAULT_CLAIM } from '../src/lib/calls/dispatch/cycle';
import { startDispatcher } from '../src/lib/calls/dispatch/dispatcher';
import { createProviderRegistry } from '../src/lib/calls/provider-registry';
import { loadConfig } from '../src/lib/config';
import { claimTick } from '../src/lib/cron/claim-tick';
import { connectDatabase } from '../src/lib/db/client';
import { sharedLiveEmitter } from '../src/lib/events/shared-emitter';
import { createLogger, setProcessLogger } from '../src/lib/log';
import { closeAbandonedRuns } from '../src/lib/sync';
import { startHeartbeat } from './heartbeat';
import { JOBS } from './jobs';
import type { Job } from './jobs/types';

const config = loadConfig(process.env);
// Dials of overlapping cycles record their answers while the next claim runs.
const database = connectDatabase(config.databaseUrl, { max: 8 });
// Jobs on a pool of their own: a sync's hundreds of sequential statements queued behind the
// dispatcher's (and the simulator's in-process webhooks) on the shared one, 1 s → 35–70 s a tenant
// under bench:soak. The sync holds one connection for its lock and writes on another.
const jobsDatabase = connectDatabase(config.databaseUrl, { max: 4 });
const runner = `${hostname()}:${process.pid}`;
// JSON lines through the shared logger (src/lib/log): redaction of secret fields included.
const logger = createLogger({ name: 'worker' }).child({ runner });
setProcessLogger(logger); // what sync, live events and the rest log below the jobs
const log = (message: string) => logger.info(message);
const running = new Set<Promise<unknown>>();
/** Jobs with a run going in this process. */
const inFlight = new Set<string>();
/** Aborted on SIGTERM/SIGINT: jobs that take it (the sync) wind down at their next step. */
const stopJobs = new AbortController();
/** How long a stop waits for jobs to wind down before it closes the pools under them. */
const JOB_GRACE_MS = 10_000;
let stopping = false;
/** Set when the grace ran out with jobs still running (their pools are about to close). */
let cutOff = false;

/**
 * Runs one tick of a job if this process wins it (Postgres decides; see
 * claimTick). At start and in the resume sweep, a tick another process won is
 * resumed if the job can tell that process stopped before finishing it (Job.resume).
 */
function runTick(job: Job, tick: Date, atStart = false) {
  if (stopping) return; // e.g. the start-up catch-up, landing after a stop began
  // node-cron's noOverlap can't see a run (this returns at once): without this, a sync round
  // slower than its interval had several rounds going at once, each skipping the others' tenants.
  if (inFlight.has(job.name)) {
    logger.warn({ job: job.name, tick }, 'tick left: this job is still running here');
    return;
  }
  inFlight.add(job.name);
  const context = { database: jobsDatabase, config, log, signal: stopJobs.signal };
  const run = (async () => {
    const started = Date.now();
    if (await claimTick(jobsDatabase.db, job.name, tick, runner)) {
      const summary = await job.run(context, new Date(), tick);
      const ended = stopJobs.signal.aborted ? 'job wound down at shutdown' : 'job done';
      // A tick that found nothing to do (campaign-stats runs every 30 s) is not worth a line a tick.
      const idle = Object.values(summary).every((n) => n === 0);
      logger[idle ? 'debug' : 'info'](
        { job: job.name, durationMs: Date.now() - started, summary },
        ended,
      );
    } else if (atStart && job.resume) {
      const summary = await job.resume(context, tick);
      if (summary) {
        logger.info({ job: job.name, durationMs: Date.now() - started, summary }, 'job resumed');
      }
    }
  })().catch((error: unknown) => {
    // Past the grace, the pools close under a job still running: its error is the stop's, which
    // shutdown() has already reported as a warning, not a failure of the job.
    if (cutOff) logger.warn({ job: job.name }, 'job cut off at shutdown');
    else logger.error({ job: job.name, err: error }, 'job failed');
  });
  running.add(run);
  void run.finally(() => {
    running.delete(run);
    inFlight.delete(job.name);
  });
}

/** The latest minute at or before `now` that matches the job's schedule (within a day). */
function previousTick(task: ScheduledTask, now: Date): Date | null {
  const minute = new Date(now);
  minute.setUTCSeconds(0, 0);
  for (let i = 0; i < 24 * 60; i++, minute.setTime(minute.getTime() - 60_000)) {
    if (task.match(minute)) return new Date(minute);
  }
  return null;
}

// Calls: a loop, not a cron job (every 2 s and whenever a slot frees up).
const providers = createProviderRegistry(database.db, config);
const dispatcher = startDispatcher({
  db: database.db,
  sql: database.sql,
  providerFor: providers.providerFor,
  log,
  claim: { ...DEFAULT_CLAIM, leaseSeconds: config.dispatchLeaseSeconds },
  recoverEveryMs: Math.min(10_000, config.dispatchLeaseSeconds * 500),
  recover: { staleInProgressMinutes: config.dispatchStaleCallSeconds / 60, limit: 100 },
});

const schedules = JOBS.map((job) => job.configuredSchedule?.(config) ?? job.schedule);
for (const [i, job] of JOBS.entries())
  if (!cron.validate(schedules[i] ?? '')) throw new Error(`${job.name}: invalid cron schedule`);
const tasks = JOBS.map((job, i) =>
  cron.schedule(schedules[i] ?? job.schedule, (context) => runTick(job, context.date), {
    name: job.name,
    timezone: 'Etc/UTC',
    noOverlap: true,
  }),
);

log(`started (${runner}); schedule:`);
for (const [i, job] of JOBS.entries()) {
  const next = tasks[i]?.getNextRun()?.toISOString();
  log(`  ${job.name.padEnd(20)} ${schedules[i]?.padEnd(12)} next ${next} — ${job.description}`);
}

// A crash can leave a sync `running`; close those before new ticks, then catch up on missed ones.
closeAbandonedRuns(database.db, database.sql)
  .then((closed) => {
    if (closed) log(`closed ${closed} sync run(s) left running by a stopped worker`);
    for (const [i, job] of JOBS.entries()) {
      const task = tasks[i];
      const tick = job.catchUpOnStart && task ? previousTick(task, new Date()) : null;
      if (tick) runTick(job, tick, true);
    }
  })
  .catch((error: unknown) => logger.error({ err: error }, 'start-up reconciliation failed'));

// A tick another worker left part-done while this one was already running (a rolling deploy
// starts the new worker, then stops the old one mid-sync) is finished here, not an hour later.
const resumeSweep = setInterval(() => {
  for (const [i, job] of JOBS.entries()) {
    const task = tasks[i];
    if (!job.resume || !task || inFlight.has(job.name)) continue;
    const tick = previousTick(task, new Date());
    if (tick) runTick(job, tick, true);
  }
}, config.resumeSweepSeconds * 1000);
resumeSweep.unref();

// Readiness (GET /api/ready) counts workers by this row; removed again on a clean stop.
const heartbeat = startHeartbeat(database.db, runner, logger);

async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping`);
  clearInterval(resumeSweep);
  await Promise.all(tasks.map((t) => t.stop()));
  // First, so that a sync winds down while the dispatcher's dials finish below; the jobs'
  // grace counts from here, so a slow dispatcher stop does not add to it.
  stopJobs.abort();
  let graceTimer: NodeJS.Timeout | undefined;
  const jobsWoundDown = Promise.race([
    Promise.allSettled([...running]).then(() => true),
    new Promise<false>((resolve) => {
      graceTimer = setTimeout(() => resolve(false), JOB_GRACE_MS);
    }),
  ]);
  await heartbeat.stop();
  // Stop claiming; the dials under way finish their provider requests and record them.
  await (await dispatcher).stop();
  providers.close();
  // Then let in-flight jobs finish winding down (bounded), and close the pools.
  const settled = await jobsWoundDown;
  clearTimeout(graceTimer);
  if (!settled) {
    cutOff = true;
    const jobs = [...inFlight];
    logger.warn(
      { jobs, graceMs: JOB_GRACE_MS },
      `cut off at shutdown: ${jobs.join(', ')} still running after ${JOB_GRACE_MS / 1000} s; ` +
        "a sync cut off stays 'running' until its tenant's next sync closes it as interrupted",
    );
  }
  // The last progress touches (coalesced, at most a second old) go out before the pool closes.
  await sharedLiveEmitter(database.sql).stop();
  await database.close();
  await jobsDatabase.close();
  log('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
