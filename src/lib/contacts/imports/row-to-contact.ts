import { z } from 'zod';
import { inferTimezone, type PhoneResult } from '../phone';
import type { ColumnMap } from './columns';
import { restoreFormula } from './csv-cells';

export interface StagedContact {
  name: string;
  phoneE164: string;
  phoneRaw: string;
  email: string | null;
  company: string | null;
  /** As written in the file; null when the file has none. */
  timezone: string | null;
  /** From the number, used only where neither the file nor the contact has a zone. */
  inferredTimezone: string | null;
  tags: string[] | null;
  attributes: Record<string, string>;
}

export type RowReason =
  | 'PHONE_MISSING'
  | 'PHONE_INVALID'
  | 'PHONE_TRUNK_ZERO'
  | 'PHONE_TOO_SHORT'
  | 'PHONE_TOO_LONG'
  | 'EMAIL_INVALID'
  | 'TIMEZONE_INVALID'
  | 'FIELD_TOO_LONG'
  | 'COLUMN_COUNT'
  | 'MALFORMED_ROW';

export type RowResult =
  | { ok: true; contact: StagedContact }
  | { ok: false; reason: RowReason; message: string };

const Email = z.email();
const MAX_FIELD = 500;
const zones = new Set(Intl.supportedValuesOf('timeZone'));
zones.add('UTC');

/**
 * One CSV record → a contact ready to stage, or the reason it can't be one.
 * Values lose one formula-escape quote (see csv-cells) and surrounding spaces.
 */
export function rowToContact(
  fields: string[],
  columns: ColumnMap,
  normalizePhone: (raw: string) => PhoneResult,
): RowResult {
  if (fields.length !== columns.headers.length) {
    return {
      ok: false,
      reason: 'COLUMN_COUNT',
      message: `The row has ${fields.length} fields but the header has ${columns.headers.length}.`,
    };
  }
  const { fields: at } = columns;
  const cell = (index: number | undefined): string =>
    index === undefined ? '' : restoreFormula((fields[index] ?? '').trim());
  for (const value of fields) {
    if (value.length > MAX_FIELD) {
      return {
        ok: false,
        reason: 'FIELD_TOO_LONG',
        message: `A value is longer than ${MAX_FIELD} characters.`,
      };
    }
  }

  const phoneRaw = cell(at.phone);
  const phone = normalizePhone(phoneRaw);
  if (!phone.ok) {
    const hint = phone.suggestion ? ` Did you mean ${phone.suggestion}?` : '';
    return { ok: false, reason: phone.reason, message: `${phone.message}${hint}` };
  }

  const email = cell(at.email) || null;
  if (email && !Email.safeParse(email).success) {
    return { ok: false, reason: 'EMAIL_INVALID', message: `"${email}" is not an email address.` };
  }
  const timezone = cell(at.timezone) || null;
  if (timezone && !zones.has(timezone)) {
    return {
      ok: false,
      reason: 'TIMEZONE_INVALID',
      message: `"${timezone}" is not a time zone; use a name like America/New_York.`,
    };
  }

  const name = cell(at.name) || [cell(at.firstName), cell(at.lastName)].filter(Boolean).join(' ');
  const tagsCell = cell(at.tags);
  const attributes: Record<string, string> = {};
  for (const { index, key } of columns.attributes) {
    const value = cell(index);
    if (value) attributes[key] = value;
  }
  return {
    ok: true,
    contact: {
      name,
      phoneE164: phone.e164,
      phoneRaw,
      email,
      company: cell(at.company) || null,
      timezone,
      inferredTimezone: timezone ? null : inferTimezone(phone.e164),
      tags: tagsCell
        ? [
            ...new Set(
              tagsCell
                .split(/[;,|]/)
                .map((t) => t.trim())
                .filter(Boolean),
            ),
          ]
        : null,
      attributes,
    },
  };
}
