import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import { IMPORT_MODES, type ImportMode } from '../../db/schema';
import type { ColumnMap } from './columns';
import type { ImportLimits } from './limits';
import { parseHeader } from './parse-header';
import { CsvScanner, UploadRejected } from './scan';

export interface ReceivedUpload {
  importId: string;
  path: string;
  size: number;
  dataRows: number;
  delimiter: string;
  columns: ColumnMap;
}

export interface UploadHooks {
  /** Called once the file part starts: creates the import row, returns its id. */
  onStart(input: {
    fileName: string;
    mode: ImportMode;
    /** The other text fields sent before the file (e.g. a campaign's settings). */
    fields: Record<string, string>;
  }): Promise<string>;
}

/** The upload ended before the whole body arrived (client gone, connection dropped). */
export class UploadAborted extends Error {
  constructor(readonly importId: string | null) {
    super('The upload was interrupted before the whole file arrived.');
    this.name = 'UploadAborted';
  }
}

/**
 * Streams a multipart upload to a file on disk, checking it on the way
 * (CsvScanner) so memory stays flat whatever its size. Resolves once the whole
 * body has arrived and the file is fit to process; throws UploadRejected (with
 * the import id, when one was created) or UploadAborted otherwise.
 */
export async function receiveUpload(
  request: Request,
  limits: ImportLimits,
  hooks: UploadHooks,
): Promise<ReceivedUpload> {
  if (!request.body) throw new UploadRejected('Choose a CSV file to upload.', 400);
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': request.headers.get('content-type') ?? '' },
      limits: { files: 1, fileSize: limits.maxBytes, fields: 4, fieldSize: 16 * 1024, parts: 6 },
    });
  } catch {
    throw new UploadRejected('Send the file as multipart/form-data.', 400);
  }
  await mkdir(limits.spoolDir, { recursive: true });

  let mode: ImportMode | 'invalid' = 'skip';
  const fields: Record<string, string> = {};
  let importId: string | null = null;
  let received: Promise<ReceivedUpload> | null = null;
  parser.on('field', (name, value) => {
    if (name !== 'mode') fields[name] = value;
    else
      mode = (IMPORT_MODES as readonly string[]).includes(value)
        ? (value as ImportMode)
        : 'invalid';
  });
  parser.on('file', (_field, file, info) => {
    if (received) {
      file.resume();
      return;
    }
    received = (async () => {
      if (mode === 'invalid')
        throw new UploadRejected('Choose "skip" or "update" for existing contacts.', 400);
      importId = await hooks.onStart({ fileName: cleanFileName(info.filename), mode, fields });
      return spool(file, importId, limits);
    })();
    // Whatever happens to this file, keep reading so busboy reaches the end of the form.
    received.catch(() => file.resume());
  });

  try {
    await pipeline(Readable.fromWeb(request.body as WebReadableStream<Uint8Array>), parser);
  } catch {
    if (received)
      await (received as Promise<ReceivedUpload>).then(
        (r) => rm(r.path, { force: true }),
        () => {},
      );
    throw new UploadAborted(importId);
  }
  if (!received) throw new UploadRejected('Choose a CSV file to upload.', 400);
  return received;
}

async function spool(
  file: NodeJS.ReadableStream & { truncated?: boolean },
  importId: string,
  limits: ImportLimits,
): Promise<ReceivedUpload> {
  const path = join(limits.spoolDir, `${importId}.csv`);
  const out = createWriteStream(path);
  const scanner = new CsvScanner(limits);
  try {
    await copyChecked(file, out, scanner);
    out.end();
    await finished(out);
    if (file.truncated) {
      throw new UploadRejected(
        `The file is larger than ${Math.round(limits.maxBytes / (1024 * 1024))} MB. Split it into smaller files.`,
        413,
      );
    }
    const { header, dataRows } = scanner.finish();
    const parsed = parseHeader(header, limits);
    return { importId, path, size: scanner.bytes, dataRows, ...parsed };
  } catch (error) {
    out.destroy();
    await rm(path, { force: true });
    if (error instanceof UploadRejected) error.importId = importId;
    throw error;
  }
}

/**
 * Writes the file part to disk through the scanner. Event-driven rather than
 * `for await`: leaving such a loop destroys the part, and busboy would then
 * never reach the end of the form, so a refused file is drained instead.
 */
function copyChecked(
  file: NodeJS.ReadableStream,
  out: NodeJS.WritableStream,
  scanner: CsvScanner,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let refused = false;
    file.on('data', (chunk: Buffer) => {
      if (refused) return;
      try {
        scanner.feed(chunk);
      } catch (error) {
        refused = true;
        reject(error);
        return;
      }
      if (!out.write(chunk)) {
        file.pause();
        out.once('drain', () => file.resume());
      }
    });
    file.once('end', () => {
      if (!refused) resolve();
    });
    file.once('error', reject);
  });
}

/** Keeps a file name presentable: no path, no control characters, bounded length. */
function cleanFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const clean = [...base]
    .filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f)
    .join('')
    .trim()
    .slice(0, 200);
  return clean || 'upload.csv';
}
