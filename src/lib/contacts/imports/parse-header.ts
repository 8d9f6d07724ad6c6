import { parse } from 'csv-parse/sync';
import { type ColumnMap, mapColumns, sniffDelimiter } from './columns';
import type { ImportLimits } from './limits';
import { UploadRejected } from './scan';

/** Reads the header record: delimiter, column mapping, and the column limit. */
export function parseHeader(
  header: string,
  limits: Pick<ImportLimits, 'maxColumns'>,
): { delimiter: string; columns: ColumnMap } {
  const delimiter = sniffDelimiter(header);
  let headers: string[];
  try {
    const rows = parse(header, { delimiter, relax_quotes: true }) as string[][];
    headers = rows[0] ?? [];
  } catch {
    throw new UploadRejected('The header row could not be read as CSV; check its quotes.', 400);
  }
  if (headers.length > limits.maxColumns) {
    throw new UploadRejected(
      `The file has ${headers.length} columns; at most ${limits.maxColumns} are accepted.`,
      413,
    );
  }
  const mapped = mapColumns(headers);
  if (!mapped.ok) throw new UploadRejected(mapped.message, 400);
  return { delimiter, columns: mapped.map };
}
