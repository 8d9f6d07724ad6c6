import type { CountryCode } from 'libphonenumber-js';
import { normalizePhone } from '../../lib/contacts/phone';
import type { CsvPreview } from '../contacts/import/csv-preview';

export interface PhoneCheck {
  /** The file's line number (the header is line 1). */
  line: number;
  raw: string;
  message: string;
  suggestion: string | null;
}

/**
 * The previewed rows whose phone number the import will reject, with the
 * importer's own reason and, for near misses, the number it probably meant.
 */
export function checkPreviewPhones(preview: CsvPreview, region: CountryCode): PhoneCheck[] {
  if (preview.phoneColumn < 0) return [];
  return preview.rows.flatMap((row, i) => {
    const raw = row[preview.phoneColumn] ?? '';
    const result = normalizePhone(raw, region);
    return result.ok
      ? []
      : [{ line: i + 2, raw, message: result.message, suggestion: result.suggestion }];
  });
}
