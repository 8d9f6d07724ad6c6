/**
 * Spreadsheet formula injection (reliability checklist 23): a cell starting
 * with = + - @ TAB CR or NUL can run as a formula when the CSV is opened in
 * Excel or Sheets. Exports prefix such cells with `'`; imports remove it again.
 * Cells already made of quotes before a trigger get one more, so the pair
 * round-trips exactly: import(export(x)) === x for every string.
 */
const NEEDS_ESCAPE = /^'*[=+\-@\t\r\0]/;
const ESCAPED = /^'+[=+\-@\t\r\0]/;

export function neutraliseFormula(value: string): string {
  return NEEDS_ESCAPE.test(value) ? `'${value}` : value;
}

export function restoreFormula(value: string): string {
  return ESCAPED.test(value) ? value.slice(1) : value;
}

/** One RFC 4180 field: quoted when it holds a delimiter, quote or line break. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = neutraliseFormula(String(value));
  return /[",\r\n;]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
