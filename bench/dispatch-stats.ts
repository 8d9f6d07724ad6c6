/** Measurement helpers for bench/dispatch.ts: percentiles, slot→call matching, CPU from /proc. */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export function summarise(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    n: sorted.length,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
    min: sorted[0] ?? Number.NaN,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

export interface Stamp {
  /** Index of the user whose slot it is. */
  user: number;
  /** performance.now() */
  t: number;
}

/**
 * Slot freed → next call placed: each placement is matched to the earliest
 * still-unmatched freeing before it (per user with `byUser`, else across the
 * system). A placement with no freeing before it (the initial fill) is not
 * matched. Returns the latencies in ms and the counts left unmatched.
 */
export function matchFreesToPlacements(frees: Stamp[], placements: Stamp[], byUser: boolean) {
  const key = (s: Stamp) => (byUser ? s.user : 0);
  const freesBy = new Map<number, number[]>();
  for (const f of frees) {
    const list = freesBy.get(key(f)) ?? [];
    list.push(f.t);
    freesBy.set(key(f), list);
  }
  for (const list of freesBy.values()) list.sort((a, b) => a - b);
  const head = new Map<number, number>();
  const latencies: number[] = [];
  let unmatchedPlacements = 0;
  for (const p of [...placements].sort((a, b) => a.t - b.t)) {
    const list = freesBy.get(key(p));
    const i = head.get(key(p)) ?? 0;
    const freed = list?.[i];
    if (freed === undefined || freed > p.t) {
      unmatchedPlacements += 1;
      continue;
    }
    head.set(key(p), i + 1);
    latencies.push(p.t - freed);
  }
  let unmatchedFrees = 0;
  for (const [k, list] of freesBy) unmatchedFrees += list.length - (head.get(k) ?? 0);
  return { latencies, unmatchedPlacements, unmatchedFrees };
}

const TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds (user + system) a process has used so far; null once it is gone or unreadable. */
export function processCpuSeconds(pid: number): number | null {
  return cpuSecondsAt(`/proc/${pid}/stat`);
}

/** CPU seconds one thread of this process has used so far. */
export function threadCpuSeconds(tid: number): number | null {
  return cpuSecondsAt(`/proc/${process.pid}/task/${tid}/stat`);
}

function cpuSecondsAt(path: string): number | null {
  try {
    const stat = readFileSync(path, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ": state is field 3, so utime (14) and stime (15) are at 11 and 12.
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return null;
  }
}

/** The parent pid of `pid` (from /proc), or null. */
export function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/** Every process whose parent is `pid` (a postmaster's backends and background workers). */
export function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    if (parentOf(Number(entry)) === pid) children.push(Number(entry));
  }
  return children;
}

/** CPU seconds per pid, for the pids readable now. */
export function cpuOf(pids: Iterable<number>): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    const s = processCpuSeconds(pid);
    if (s !== null) out.set(pid, s);
  }
  return out;
}

/** CPU seconds used between two readings (a pid absent at the start counts from 0). */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, s] of after) total += s - (before.get(pid) ?? 0);
  return total;
}

/** Busy and total jiffies of the whole machine (/proc/stat), for its utilisation over a run. */
export function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const total = v.reduce((a, b) => a + b, 0);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  return { busy: total - idle, total };
}
