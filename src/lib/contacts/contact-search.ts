import { and, gte, lt, or, type SQL } from 'drizzle-orm';
import { type CountryCode, getCountryCallingCode } from 'libphonenumber-js';
import { contacts } from '../db/schema';

/**
 * The smallest string greater than every string starting with `prefix` in
 * code point order (the C and C.UTF-8 collations): the last code point plus
 * one. Null when there is none (the prefix is all U+10FFFF).
 */
export function prefixUpperBound(prefix: string): string | null {
  const points = [...prefix].map((c) => c.codePointAt(0) ?? 0);
  while (points.length) {
    const last = (points.pop() ?? 0) + 1;
    if (last > 0x10ffff) continue;
    // Surrogates can't be stored; the next code point after them is U+E000.
    points.push(last >= 0xd800 && last <= 0xdfff ? 0xe000 : last);
    return String.fromCodePoint(...points);
  }
  return null;
}

/** '+1415' → '+1416', '+1419' → '+142', '+99' → null: the end of a digit-prefix range. */
export function digitsUpperBound(prefix: string): string | null {
  const trimmed = prefix.replace(/9+$/, '');
  const last = trimmed.at(-1);
  if (!last || !/\d/.test(last)) return null;
  return trimmed.slice(0, -1) + String(Number(last) + 1);
}

/** Digits, maybe a leading +, spaces and the punctuation people type in numbers. */
export function looksLikePhone(search: string): boolean {
  return /^\+?[\d\s().-]+$/.test(search) && /\d/.test(search);
}

/**
 * E.164 prefixes a typed number can start: "+44 20" as written; "415" both
 * as "+415…" and in the tenant's region ("+1415…" for NANP), without a
 * national trunk zero ("020…" in GB → "+4420…"). Empty unless `search` looks
 * like a phone number.
 */
export function phonePrefixes(search: string, region: CountryCode): string[] {
  if (!looksLikePhone(search)) return [];
  const digits = search.replace(/\D/g, '');
  if (!digits) return [];
  if (search.startsWith('+')) return /^[1-9]\d{0,14}$/.test(digits) ? [`+${digits}`] : [];
  const national = `${getCountryCallingCode(region)}${digits.replace(/^0+/, '')}`;
  // E.164 numbers start with 1-9 and have at most 15 digits.
  return [...new Set([`+${digits}`, `+${national}`])].filter((p) => /^\+[1-9]\d{0,14}$/.test(p));
}

/**
 * Contacts whose name, company or email starts with `lowered` (already
 * lowercased by Postgres, like the keys), or whose number starts with one of
 * `phones`. Every branch is a range on one index: (tenant_id, name_key, id)
 * and its siblings, or the (tenant_id, phone_e164) unique index. The keys
 * compare in their column's collation, as the indexes do; the text bounds
 * assume it orders by code point (true of C and C.UTF-8 databases).
 */
export function searchCondition(lowered: string, phones: string[]): SQL | undefined {
  const branches: SQL[] = [];
  if (lowered) {
    const upper = prefixUpperBound(lowered);
    for (const key of [contacts.nameKey, contacts.companyKey, contacts.emailKey]) {
      branches.push(
        upper === null ? gte(key, lowered) : (and(gte(key, lowered), lt(key, upper)) as SQL),
      );
    }
  }
  for (const prefix of phones) {
    const upper = digitsUpperBound(prefix);
    branches.push(
      upper === null
        ? gte(contacts.phoneE164, prefix)
        : (and(gte(contacts.phoneE164, prefix), lt(contacts.phoneE164, upper)) as SQL),
    );
  }
  return branches.length ? or(...branches) : undefined;
}
