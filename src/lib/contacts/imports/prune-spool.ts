import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export const SPOOL_RETENTION_MS = 86_400_000;

/**
 * Removes uploads a stopped process left in the spool directory. A live
 * import deletes its own file when it ends, so a day-old file is an orphan.
 */
export async function pruneSpool(spoolDir: string, now = new Date()): Promise<number> {
  let names: string[];
  try {
    names = await readdir(spoolDir);
  } catch {
    return 0; // no directory yet: nothing was ever uploaded here
  }
  let removed = 0;
  for (const name of names) {
    if (!name.endsWith('.csv')) continue;
    const path = join(spoolDir, name);
    const info = await stat(path).catch(() => null);
    if (info && now.getTime() - info.mtimeMs > SPOOL_RETENTION_MS) {
      await rm(path, { force: true });
      removed += 1;
    }
  }
  return removed;
}
