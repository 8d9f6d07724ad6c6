import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '../../config';

/** What one upload may hold (reliability checklist 21; decision 005 for the defaults). */
export interface ImportLimits {
  maxBytes: number;
  maxRows: number;
  maxColumns: number;
  /** csv-parse's `max_record_size`: one record, quoted newlines included. */
  maxRecordBytes: number;
  spoolDir: string;
}

export function importLimitsFrom(config: AppConfig): ImportLimits {
  return {
    maxBytes: config.importMaxBytes,
    maxRows: config.importMaxRows,
    maxColumns: config.importMaxColumns,
    maxRecordBytes: 64 * 1024,
    spoolDir: config.importSpoolDir ?? join(tmpdir(), 'switchboard-imports'),
  };
}
