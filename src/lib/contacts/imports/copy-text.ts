import type { StagedContact } from './row-to-contact';

/**
 * Serialises staged contacts in COPY's text format (tab-separated, `\N` for
 * null, backslash escapes). Built by hand because it runs once per imported
 * row: the escape check is a single regex test for the common clean value.
 */
const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function text(value: string | null): string {
  if (value === null) return '\\N';
  return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (c) => ESCAPES[c] ?? c) : value;
}

function arrayLiteral(values: string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

/** Column order of the staging table (see process-import.ts). */
export function copyLine(line: number, c: StagedContact): string {
  const tags = c.tags === null ? '\\N' : text(arrayLiteral(c.tags));
  let attributes = '{}';
  for (const _ in c.attributes) {
    attributes = text(JSON.stringify(c.attributes));
    break;
  }
  return `${line}\t${text(c.name)}\t${text(c.phoneE164)}\t${text(c.phoneRaw)}\t${text(c.email)}\t${text(c.company)}\t${text(c.timezone)}\t${text(c.inferredTimezone)}\t${tags}\t${attributes}\n`;
}
