import type { contactImports } from '../../db/schema';
import type { ContactImportView } from '../types';

type ImportRow = typeof contactImports.$inferSelect;

export function toImportView(row: ImportRow): ContactImportView {
  return {
    id: row.id,
    fileName: row.fileName,
    fileSize: row.fileSize,
    mode: row.mode,
    status: row.status,
    totalRows: row.totalRows,
    processedRows: row.processedRows,
    inserted: row.inserted,
    updated: row.updated,
    duplicates: row.duplicates,
    invalid: row.invalid,
    errorCount: row.errorCount,
    errorMessage: row.errorMessage,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}
