import type { ContactImportView, ImportStatus } from '../../../lib/contacts/types';
import { formatNumber } from '../../../lib/format/numbers';

/** The error report keeps this many rejected rows (the server's cap). */
export const ERROR_REPORT_ROWS = 1000;

export const STATUS_LABELS: Record<ImportStatus, string> = {
  pending: 'Queued',
  running: 'Importing',
  completed: 'Completed',
  failed: 'Failed',
};

/** The global `.badge` variant for a status. */
export const STATUS_BADGES: Record<ImportStatus, string> = {
  pending: 'badge',
  running: 'badge',
  completed: 'badge ok',
  failed: 'badge danger',
};

const UNITS = ['bytes', 'KB', 'MB', 'GB'];

/** 1536 → "1.5 KB", 104857600 → "100 MB" (binary multiples, as file managers show them). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** Whole percent of `part` in `whole`, clamped to 0–100; 0 for an empty whole. */
export function percentOf(part: number, whole: number): number {
  if (!(whole > 0)) return 0;
  return Math.min(100, Math.max(0, Math.floor((part / whole) * 100)));
}

/** "Download the error report (12 rows)", noting the cap when rows were left out. */
export function errorReportLabel(job: ContactImportView): string {
  const count = job.errorCount;
  if (count > ERROR_REPORT_ROWS)
    return `Download the error report (first ${formatNumber(ERROR_REPORT_ROWS)} of ${formatNumber(count)} rows)`;
  return `Download the error report (${formatNumber(count)} row${count === 1 ? '' : 's'})`;
}

/** The sentence announced when an import ends. */
export function describeOutcome(job: ContactImportView): string {
  if (job.status === 'failed') return `Import of ${job.fileName} failed. ${job.errorMessage ?? ''}`;
  const parts = [
    `${formatNumber(job.inserted)} new`,
    `${formatNumber(job.updated)} updated`,
    `${formatNumber(job.duplicates)} duplicates`,
    `${formatNumber(job.invalid)} invalid`,
  ];
  return `Import of ${job.fileName} complete: ${parts.join(', ')}.`;
}
