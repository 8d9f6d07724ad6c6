import { mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Cross-process mutex on a directory name: two test runs never build dist/ at once. */
export async function withFileLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  mkdirSync(dirname(path), { recursive: true });
  for (;;) {
    try {
      mkdirSync(path);
      break;
    } catch {
      // A lock older than five minutes belongs to a run that died.
      try {
        if (Date.now() - statSync(path).mtimeMs > 300_000)
          rmSync(path, { recursive: true, force: true });
      } catch {}
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(path, { recursive: true, force: true });
  }
}
