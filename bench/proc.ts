/** Memory readings from /proc for the benches (CPU readings are in dispatch-stats.ts). */
import { readFileSync } from 'node:fs';

function kbField(path: string, key: string): number | null {
  try {
    const text = readFileSync(path, 'utf8');
    const kb = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1];
    return kb === undefined ? null : Number(kb);
  } catch {
    return null;
  }
}

/** A process's resident memory now and at its peak (VmHWM), in MB; zeros once it is gone. */
export function rssMb(pid: number): { now: number; peak: number } {
  const mb = (key: string) => Math.round((kbField(`/proc/${pid}/status`, key) ?? 0) / 1024);
  return { now: mb('VmRSS'), peak: mb('VmHWM') };
}

/**
 * Proportional set size in MB (shared pages divided among their users), or
 * null when unreadable: summing it over PostgreSQL backends doesn't count
 * shared_buffers once per backend, as summing RSS would.
 */
export function pssMb(pid: number): number | null {
  const kb = kbField(`/proc/${pid}/smaps_rollup`, 'Pss');
  return kb === null ? null : kb / 1024;
}
