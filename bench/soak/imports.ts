/**
 * The soak's CSV imports: each a generated file (bench:import's generator:
 * mixed phone formats, 2 % invalid, 5 % duplicates) uploaded by a
 * workspace's owner through the real endpoint at its set time, then polled
 * until it ends.
 */
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeContactsCsv } from '../import-data';
import { type ImportRun, importCsv } from '../import-upload';
import type { SignedIn } from './browse';
import type { Recorder } from './recorder';

export interface ImportOutcome {
  rows: number;
  startedAtS: number;
  run: ImportRun | null;
  error: string | null;
}

export async function writeImportFiles(rows: number, count: number, dir: string) {
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const file = `${dir}/soak-import-${i}.csv`;
    await writeContactsCsv(file, rows);
    files.push(file);
  }
  const remove = () => {
    for (const f of files) rmSync(f, { force: true });
  };
  return { files, remove };
}

/** Starts each upload `atMs[i]` after now, as `owners[i]`; resolves when all have ended. */
export function runImports(
  baseUrl: string,
  files: string[],
  owners: SignedIn[],
  atMs: number[],
  rows: number,
  recorder: Recorder,
): Promise<ImportOutcome[]> {
  const started = performance.now();
  return Promise.all(
    files.map(async (file, i) => {
      await sleep(atMs[i] ?? 0);
      const owner = owners[i] as SignedIn;
      const startedAtS = Math.round((performance.now() - started) / 1000);
      try {
        const run = await importCsv(baseUrl, { cookie: owner.cookie, origin: baseUrl }, file, {
          pollMs: 1_000,
          onRequest: (route, status, ms) =>
            recorder.record(route, ms, status === 202 || status === 200, `${status}`),
        });
        const failed = run.view.status !== 'completed';
        if (failed) recorder.record('import job', run.seconds * 1000, false, 'import failed');
        return { rows, startedAtS, run, error: failed ? String(run.view.errorMessage) : null };
      } catch (error) {
        recorder.record('import job', 0, false, (error as Error).message);
        return { rows, startedAtS, run: null, error: (error as Error).message };
      }
    }),
  );
}
