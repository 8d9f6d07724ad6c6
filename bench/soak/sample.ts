/**
 * Per-minute readings of each process from /proc: the web server and the
 * worker (RSS, CPU), and the PostgreSQL backends serving the soak's database
 * (the sum of their PSS, so shared_buffers counts once, and of their CPU),
 * plus how busy the whole machine was.
 */
import type postgres from 'postgres';
import { machineTicks, processCpuSeconds } from '../dispatch-stats';
import { pssMb, rssMb } from '../proc';

/** The bench's own connections carry this name, so they are not counted as the system's. */
export const BENCH_APPLICATION_NAME = 'soak-bench';

export interface Reading {
  rssMb: number;
  /** Percent of one core over the interval. */
  cpuPct: number;
}

export interface Sample {
  web: Reading;
  worker: Reading;
  postgres: Reading & { backends: number };
  /** This process: the simulated users and SSE clients. */
  bench: Reading;
  /** Percent of the machine's cores busy over the interval, whoever used them. */
  machinePct: number;
}

export function createSampler(admin: postgres.Sql, pids: { web: number; worker: number }) {
  let at = performance.now();
  let machine = machineTicks();
  let own = process.cpuUsage();
  const cpu = new Map<number, number>();
  const backendPids = async () =>
    (
      await admin<{ pid: number }[]>`
        select pid from pg_stat_activity
        where datname = current_database() and application_name <> ${BENCH_APPLICATION_NAME}`
    ).map((r) => Number(r.pid));
  /** CPU seconds used by `pid` since the last reading (all of it for a pid first seen now). */
  const cpuDelta = (pid: number) => {
    const now = processCpuSeconds(pid);
    if (now === null) return 0;
    const delta = now - (cpu.get(pid) ?? 0);
    cpu.set(pid, now);
    return delta;
  };

  return {
    /** Takes the starting readings (call at the start of the run). */
    async reset() {
      for (const pid of [pids.web, pids.worker, ...(await backendPids())]) cpuDelta(pid);
      at = performance.now();
      machine = machineTicks();
      own = process.cpuUsage();
    },
    async sample(): Promise<Sample> {
      const seconds = (performance.now() - at) / 1000;
      at = performance.now();
      const pct = (cpuSeconds: number) => Math.round((cpuSeconds / seconds) * 1000) / 10;
      const reading = (pid: number): Reading => ({
        rssMb: rssMb(pid).now,
        cpuPct: pct(cpuDelta(pid)),
      });
      const backends = await backendPids();
      let pss = 0;
      let backendCpu = 0;
      for (const pid of backends) {
        pss += pssMb(pid) ?? 0;
        backendCpu += cpuDelta(pid);
      }
      const ticks = machineTicks();
      const machinePct = Math.round(
        (100 * (ticks.busy - machine.busy)) / Math.max(1, ticks.total - machine.total),
      );
      machine = ticks;
      const ownUsed = process.cpuUsage(own);
      own = process.cpuUsage();
      return {
        bench: {
          rssMb: Math.round(process.memoryUsage().rss / 1048576),
          cpuPct: pct((ownUsed.user + ownUsed.system) / 1e6),
        },
        web: reading(pids.web),
        worker: reading(pids.worker),
        postgres: { rssMb: Math.round(pss), cpuPct: pct(backendCpu), backends: backends.length },
        machinePct,
      };
    },
  };
}
