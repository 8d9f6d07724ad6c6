import { rm } from 'node:fs/promises';
import type { CountryCode } from 'libphonenumber-js';
import type postgres from 'postgres';
import type { Database } from '../../db/client';
import type { ImportMode } from '../../db/schema';
import { createCoalescingEmitter } from '../../events/coalescing-emitter';
import { errorReporter } from '../../log';
import { markCompleted, markFailed, markRunning } from './import-status';
import { processImport } from './process-import';
import type { ReceivedUpload } from './receive-upload';

/** Imports processed at once by one process; the others wait as `pending`. */
const PARALLEL_IMPORTS = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function slot(): Promise<() => void> {
  if (running >= PARALLEL_IMPORTS) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  return () => {
    running -= 1;
    waiting.shift()?.();
  };
}

export interface RunImportInput {
  tenantId: string;
  mode: ImportMode;
  region: CountryCode;
  upload: ReceivedUpload;
  maxRecordBytes: number;
  chunkRows?: number;
  touch?: boolean;
}

/**
 * Processes a received upload to the end and records how it ended; never
 * throws (it runs after the response has gone). The spooled file is removed
 * whatever happens.
 */
export async function runImport(
  database: { db: Database; sql: postgres.Sql },
  input: RunImportInput,
  log: (message: string, error: unknown) => void = errorReporter('imports'),
): Promise<void> {
  const { db, sql } = database;
  const { tenantId, upload } = input;
  const release = await slot();
  // Progress for live views: at most one NOTIFY a second, the final state at once.
  const progress = createCoalescingEmitter(sql, {
    onError: (error) => log(`contact import ${upload.importId}: live event failed`, error),
  });
  const moved = () => progress.touch(tenantId, 'import.progress', upload.importId);
  try {
    await markRunning(db, tenantId, upload.importId);
    moved();
    await processImport(sql, {
      tenantId,
      importId: upload.importId,
      mode: input.mode,
      region: input.region,
      path: upload.path,
      delimiter: upload.delimiter,
      columns: upload.columns,
      maxRecordBytes: input.maxRecordBytes,
      chunkRows: input.chunkRows,
      touch: input.touch,
      onChunkCommitted: moved,
    });
    await markCompleted(db, tenantId, upload.importId);
  } catch (error) {
    log(`contact import ${upload.importId} failed`, error);
    await markFailed(
      db,
      tenantId,
      upload.importId,
      'The import stopped because of a server error. Rows counted as imported are saved; run the file again to finish (existing contacts are skipped or updated).',
    ).catch((e) => log(`could not mark import ${upload.importId} failed`, e));
  } finally {
    moved();
    await progress.stop();
    release();
    await rm(upload.path, { force: true });
  }
}
