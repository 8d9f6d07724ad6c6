import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { type CsvError, parse } from 'csv-parse';
import type { CountryCode } from 'libphonenumber-js';
import type postgres from 'postgres';
import type { ImportMode } from '../../db/schema';
import { APP_ROLE } from '../../db/tenant';
import { createPhoneNormalizer, type PhoneResult } from '../phone';
import type { ColumnMap } from './columns';
import { copyLine } from './copy-text';
import { csvLine } from './csv-cells';
import { mergeChunk } from './merge-chunk';
import { type RowReason, rowToContact } from './row-to-contact';

/** The first rejected rows of an import are stored for the report; the rest are only counted. */
export const IMPORT_ERROR_ROWS_KEPT = 1000;
const COPY_BUFFER = 64 * 1024;

export interface ProcessInput {
  tenantId: string;
  importId: string;
  mode: ImportMode;
  region: CountryCode;
  path: string;
  delimiter: string;
  columns: ColumnMap;
  maxRecordBytes: number;
  /** Rows per transaction: each commits its contacts and the counters together. */
  chunkRows?: number;
  /** Also mark unchanged existing contacts with the import (see merge-chunk). */
  touch?: boolean;
  /** Called after each chunk (and its counters) has committed: live progress. */
  onChunkCommitted?: () => void;
}

interface RowError {
  line: number;
  rawRow: string;
  reason: RowReason;
  message: string;
}

interface ChunkTotals {
  rows: number;
  valid: number;
  errors: RowError[];
  invalid: number;
}

/**
 * Streams the spooled file through csv-parse into Postgres, one chunk per
 * transaction: COPY into a temp staging table, then one set-based merge
 * (merge-chunk.ts). A bad row is recorded and skipped, never fatal. Counters
 * commit with the rows they count, so progress shown is progress stored.
 * Throws only for file-level failures; the caller marks the import failed.
 */
export async function processImport(sql: postgres.Sql, input: ProcessInput): Promise<void> {
  const chunkRows = input.chunkRows ?? 50_000;
  const parser = createReadStream(input.path).pipe(
    parse({
      delimiter: input.delimiter,
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      max_record_size: input.maxRecordBytes,
    }),
  );
  const skipped: RowError[] = [];
  parser.on('skip', (error: CsvError) => {
    const line = Number((error as CsvError & { lines?: number }).lines ?? 0);
    skipped.push({ line, rawRow: '', reason: 'MALFORMED_ROW', message: readableCsvError(error) });
  });
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<{
    record: string[];
    info: { lines: number };
  }>;

  await records.next(); // the header, already read and mapped
  const errorsKept = { count: 0 };
  // Two chunks in flight: while one merges (Postgres busy), the next is parsed
  // and COPYed on a second connection (Node busy), so both cores work.
  // Merges still run in file order: each waits for the previous commit.
  let previous: Promise<unknown> = Promise.resolve();
  let done = false;
  while (!done) {
    let staged!: (finished: boolean) => void;
    const stagedSignal = new Promise<boolean>((resolve) => {
      staged = resolve;
    });
    const after = previous;
    const committed = sql.begin(async (tx) => {
      await tx`select set_config('app.tenant_id', ${input.tenantId}, true)`;
      await tx.unsafe(`set local role ${APP_ROLE}`);
      const totals = await stageChunk(tx, records, input, chunkRows, skipped);
      staged(totals.finished);
      await after;
      await commitChunk(tx, input, totals, errorsKept);
    });
    committed.then(input.onChunkCommitted, () => staged(true)); // a failure ends the loop; the error surfaces below
    done = await stagedSignal;
    previous = committed;
  }
  await previous;
}

/** Reads up to `chunkRows` records into the temp table `import_rows` (COPY), validating each. */
async function stageChunk(
  tx: postgres.TransactionSql,
  records: AsyncIterator<{ record: string[]; info: { lines: number } }>,
  input: ProcessInput,
  chunkRows: number,
  skipped: RowError[],
): Promise<ChunkTotals & { finished: boolean }> {
  const normalize = normalizerFor(input);
  await tx.unsafe(`create temp table import_rows (
      line integer, name text, phone_e164 text, phone_raw text, email text, company text,
      timezone text, inferred_timezone text, tags text[], attributes jsonb
    ) on commit drop`);
  const copy = (await tx`copy import_rows from stdin`.writable()) as Writable;
  const totals = { rows: 0, valid: 0, errors: [] as RowError[], invalid: 0, finished: false };
  let buffer = '';
  while (totals.rows < chunkRows) {
    const next = await records.next();
    if (next.done) {
      totals.finished = true;
      break;
    }
    totals.rows += 1;
    const { record, info } = next.value;
    const row = rowToContact(record, input.columns, normalize);
    if (row.ok) {
      totals.valid += 1;
      buffer += copyLine(info.lines, row.contact);
      if (buffer.length >= COPY_BUFFER) {
        if (!copy.write(buffer)) await once(copy, 'drain');
        buffer = '';
      }
    } else {
      totals.invalid += 1;
      totals.errors.push({
        line: info.lines,
        rawRow: csvLine(record).trimEnd(),
        reason: row.reason,
        message: row.message,
      });
    }
  }
  // Records csv-parse could not read at all count as processed, invalid rows.
  for (const error of skipped.splice(0)) {
    totals.rows += 1;
    totals.invalid += 1;
    totals.errors.push(error);
  }
  if (buffer) copy.write(buffer);
  copy.end();
  await finished(copy);
  return totals;
}

/** Merges the staged chunk, stores its first error rows and moves the counters, in the chunk's transaction. */
async function commitChunk(
  tx: postgres.TransactionSql,
  input: ProcessInput,
  totals: ChunkTotals,
  errorsKept: { count: number },
): Promise<void> {
  const merged = await mergeChunk(tx, input);
  const kept = totals.errors.slice(0, Math.max(0, IMPORT_ERROR_ROWS_KEPT - errorsKept.count));
  errorsKept.count += kept.length;
  if (kept.length > 0) {
    await tx`
      insert into contact_import_errors ${tx(
        kept.map((e) => ({
          tenant_id: input.tenantId,
          import_id: input.importId,
          line: e.line,
          raw_row: e.rawRow,
          reason: e.reason,
          message: e.message,
        })),
      )}
      on conflict do nothing`;
  }
  await tx`
    update contact_imports set
      processed_rows = processed_rows + ${totals.rows},
      inserted = inserted + ${merged.inserted},
      updated = updated + ${merged.updated},
      duplicates = duplicates + ${totals.valid - merged.inserted - merged.updated},
      invalid = invalid + ${totals.invalid},
      error_count = error_count + ${totals.errors.length},
      heartbeat_at = now()
    where tenant_id = ${input.tenantId} and id = ${input.importId}`;
}

const normalizers = new WeakMap<ProcessInput, (raw: string) => PhoneResult>();
/** One cached normaliser per import, shared by its chunks. */
function normalizerFor(input: ProcessInput): (raw: string) => PhoneResult {
  let normalize = normalizers.get(input);
  if (!normalize) {
    normalize = createPhoneNormalizer(input.region);
    normalizers.set(input, normalize);
  }
  return normalize;
}

function readableCsvError(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'A quoted value is never closed.';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'A quote is followed by text; put quotes around the whole value and double any quote inside it.';
    case 'CSV_MAX_RECORD_SIZE':
      return 'The row is too long.';
    default:
      return 'The row could not be read as CSV.';
  }
}
