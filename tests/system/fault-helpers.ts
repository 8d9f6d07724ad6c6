/**
 * What the fault tests (provider-outage, sync-kill) share beyond harness.ts:
 * keeping clear of an hourly cron tick, and reading what a process printed.
 */

const HOUR_MS = 3_600_000;

/**
 * Waits until the next hourly tick is at least `needMs` away. The workers'
 * hourly sync runs on the hour: a test that counts sync runs must not have a
 * second tick fall inside it (it would rightly sync everything again).
 */
export async function clearOfTheHour(needMs: number): Promise<void> {
  const untilTick = HOUR_MS - (Date.now() % HOUR_MS);
  if (untilTick >= needMs) return;
  // Just past the tick: it has fired by then, with no worker of this test to run it.
  await new Promise((r) => setTimeout(r, untilTick + 2_000));
}

/**
 * Lines of a process's output that show a failure: pino error/fatal, the
 * dispatcher's own failure lines (logged at info), or a crash.
 */
export function problemLines(output: string): string[] {
  const problem = /"level":[56]0|cycle failed|dials failed|Unhandled|TypeError|ReferenceError/;
  return output.split('\n').filter((line) => problem.test(line));
}

/** Whether the process `pid` is still there (a child that died shows why in its output). */
export function stillRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
