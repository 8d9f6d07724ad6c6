import type { ImportMode, ImportStatus } from '../db/schema';

/** A contact as the API and the islands see it (dates as ISO strings). */
export interface ContactView {
  id: number;
  name: string;
  phoneE164: string;
  phoneRaw: string;
  email: string | null;
  company: string | null;
  timezone: string | null;
  tags: string[];
  attributes: Record<string, string>;
  optedOutAt: string | null;
  source: string;
  createdAt: string;
  updatedAt: string;
}

/** An import job as `GET /api/contacts/imports/:id` returns it. */
export interface ContactImportView {
  id: string;
  fileName: string;
  fileSize: number;
  mode: ImportMode;
  status: ImportStatus;
  /** Data rows in the file; null until the upload has been received and checked. */
  totalRows: number | null;
  processedRows: number;
  inserted: number;
  updated: number;
  duplicates: number;
  invalid: number;
  /** Rows rejected in all (the error report keeps the first 1,000). */
  errorCount: number;
  /** Why the whole file failed, when it did. */
  errorMessage: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export type { ImportMode, ImportStatus };
