/**
 * The island's look at a CSV before uploading it: the header and first rows,
 * read from the start of the file only. A courtesy, not a check: the server
 * parses the whole file and has the last word. Column names and delimiters
 * follow the server's own rules (columns.ts), so the preview agrees with it.
 */
import {
  mapColumns,
  sniffDelimiter as sniffHeaderDelimiter,
} from '../../../lib/contacts/imports/columns';

export const PREVIEW_BYTES = 64 * 1024;
export const PREVIEW_ROWS = 5;

export type Delimiter = ReturnType<typeof sniffHeaderDelimiter>;

export interface CsvPreview {
  delimiter: Delimiter;
  headers: string[];
  /** Up to PREVIEW_ROWS data rows, each as wide as the header. */
  rows: string[][];
  /** Index of the phone column, or -1. */
  phoneColumn: number;
  /** The server's words for a header without a phone column; null when there is one. */
  phoneProblem: string | null;
  /** The text held bytes that are not UTF-8 (the decoder's U+FFFD). */
  notUtf8: boolean;
  /** Why the bytes are not a CSV file at all (a workbook, a PDF, binary); the rest is then empty. */
  notCsv: string | null;
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The header line: the text up to the first line end outside quotes. */
export function headerLine(text: string): string {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) return text.slice(0, i);
  }
  return text;
}

/** `;` or a tab when the header row has more of them outside quotes than commas (European Excel), else `,`. */
export function sniffDelimiter(text: string): Delimiter {
  return sniffHeaderDelimiter(headerLine(stripBom(text)));
}

/**
 * RFC 4180 records: quoted fields may hold delimiters, newlines and `""`.
 * Blank lines are skipped. With `truncated` (the text is the start of a
 * longer file) a last record without its line end is dropped, being partial.
 */
export function parseCsvRecords(
  text: string,
  delimiter: Delimiter,
  options: { maxRecords?: number; truncated?: boolean } = {},
): string[][] {
  const max = options.maxRecords ?? Number.POSITIVE_INFINITY;
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  const endRecord = () => {
    record.push(field);
    if (record.length > 1 || record[0] !== '') records.push(record);
    record = [];
    field = '';
  };
  let i = 0;
  while (i < text.length && records.length < max) {
    const c = text[i] as string;
    i++;
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i] === '\n') i++;
      endRecord();
    } else field += c;
  }
  const pending = field !== '' || record.length > 0;
  if (records.length < max && pending && !options.truncated) endRecord();
  return records;
}

/** Where the server will read phone numbers from, or why it will refuse the file. */
export function findPhoneColumn(headers: string[]): { index: number; problem: string | null } {
  const mapped = mapColumns(headers);
  if (!mapped.ok) return { index: -1, problem: mapped.message };
  return { index: mapped.map.fields.phone ?? -1, problem: null };
}

/** The preview of a CSV's opening text; null when it holds no header row. */
export function buildPreview(
  text: string,
  options: { truncated?: boolean } = {},
): CsvPreview | null {
  const clean = stripBom(text);
  const delimiter = sniffDelimiter(clean);
  const [headers, ...data] = parseCsvRecords(clean, delimiter, {
    maxRecords: PREVIEW_ROWS + 1,
    truncated: options.truncated,
  });
  if (!headers) return null;
  const rows = data.map((row) => headers.map((_, i) => row[i] ?? ''));
  const notUtf8 = [headers, ...rows].some((r) => r.some((cell) => cell.includes('\uFFFD')));
  const phone = findPhoneColumn(headers);
  return {
    delimiter,
    headers,
    rows,
    phoneColumn: phone.index,
    phoneProblem: phone.problem,
    notUtf8,
    notCsv: null,
  };
}

/** The signatures the server refuses too (lib/contacts/imports/scan.ts), named for people. */
export function binaryKind(bytes: Uint8Array): string | null {
  const [a, b, c, d] = bytes;
  if (a === 0x50 && b === 0x4b && c === 0x03 && d === 0x04) {
    return 'This looks like an Excel workbook or a ZIP archive, not a CSV file. Open it in Excel and save it as “CSV UTF-8”.';
  }
  if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) {
    return 'The file is UTF-16 text. Save it as “CSV UTF-8” and try again.';
  }
  if (a === 0x25 && b === 0x50 && c === 0x44 && d === 0x46) return 'This is a PDF, not a CSV file.';
  if (bytes.includes(0)) return 'The file contains binary data, so it is not a CSV file.';
  return null;
}

/** Reads the first PREVIEW_BYTES of `file` and previews them. */
export async function readPreview(file: Blob): Promise<CsvPreview | null> {
  const head = file.slice(0, PREVIEW_BYTES);
  const notCsv = binaryKind(new Uint8Array(await head.arrayBuffer()));
  if (notCsv) {
    return {
      delimiter: ',',
      headers: [],
      rows: [],
      phoneColumn: -1,
      phoneProblem: null,
      notUtf8: false,
      notCsv,
    };
  }
  return buildPreview(await head.text(), { truncated: file.size > PREVIEW_BYTES });
}
