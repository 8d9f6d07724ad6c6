import type postgres from 'postgres';
import { fail, type Result } from '../../api/result';
import type { Database } from '../../db/client';
import { getPhoneRegion } from '../phone-region';
import type { ContactImportView } from '../types';
import { getImport } from './get-import';
import { createImport, markFailed, markReceived } from './import-status';
import type { ImportLimits } from './limits';
import { receiveUpload, UploadAborted } from './receive-upload';
import { runImport } from './run-import';
import { UploadRejected } from './scan';

export interface StartImportContext {
  db: Database;
  sql: postgres.Sql;
  limits: ImportLimits;
  tenantId: string;
  userId: string;
  /** Rows per transaction (tests use small chunks to see progress move). */
  chunkRows?: number;
  /** Mark every contact of the file with the import, changed or not (a campaign calls them all). */
  touch?: boolean;
  /** Answer only once the rows are processed (the campaign upload needs its contacts). */
  awaitProcessing?: boolean;
  /** Checks the text fields sent before the file; throw UploadRejected to refuse the upload. */
  checkFields?: (fields: Record<string, string>) => void;
}

/**
 * `POST /api/contacts/import`: receives the upload (streamed to disk and
 * checked), answers with the import as soon as it is accepted, and processes
 * the rows in the background. A refused or interrupted upload leaves a
 * `failed` import and no contact written.
 */
export async function startImport(
  ctx: StartImportContext,
  request: Request,
): Promise<Result<ContactImportView>> {
  const { db, tenantId } = ctx;
  let mode: 'skip' | 'update' = 'skip';
  try {
    const upload = await receiveUpload(request, ctx.limits, {
      onStart: (input) => {
        ctx.checkFields?.(input.fields);
        mode = input.mode;
        return createImport(db, tenantId, {
          fileName: input.fileName,
          mode: input.mode,
          createdBy: ctx.userId,
        });
      },
    });
    await markReceived(db, tenantId, upload.importId, {
      size: upload.size,
      dataRows: upload.dataRows,
      details: { delimiter: upload.delimiter, headers: upload.columns.headers },
    });
    const region = await getPhoneRegion(db, tenantId);
    const processing = runImport(
      { db, sql: ctx.sql },
      {
        tenantId,
        mode,
        region,
        upload,
        maxRecordBytes: ctx.limits.maxRecordBytes,
        chunkRows: ctx.chunkRows,
        touch: ctx.touch,
      },
    );
    if (ctx.awaitProcessing) await processing;
    return getImport(db, tenantId, upload.importId);
  } catch (error) {
    if (error instanceof UploadRejected) {
      if (error.importId) await markFailed(db, tenantId, error.importId, error.message);
      return fail(error.status === 413 ? 'PAYLOAD_TOO_LARGE' : 'VALIDATION', error.message);
    }
    if (error instanceof UploadAborted) {
      if (error.importId) await markFailed(db, tenantId, error.importId, error.message);
      return fail('VALIDATION', error.message);
    }
    throw error;
  }
}
