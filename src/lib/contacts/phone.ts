import {
  type CountryCode,
  getCountries,
  getCountryCallingCode,
  isSupportedCountry,
  type PhoneNumber,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
} from 'libphonenumber-js';
import metadata from 'libphonenumber-js/metadata.min.json';
import { LRUCache } from 'lru-cache';

export { inferTimezone } from './phone-timezones';

export const DEFAULT_PHONE_REGION: CountryCode = 'US';

export type PhoneErrorReason =
  | 'PHONE_MISSING'
  | 'PHONE_INVALID'
  | 'PHONE_TRUNK_ZERO'
  | 'PHONE_TOO_SHORT'
  | 'PHONE_TOO_LONG';

export type PhoneResult =
  | { ok: true; e164: string }
  | { ok: false; reason: PhoneErrorReason; message: string; suggestion: string | null };

const MESSAGES: Record<PhoneErrorReason, string> = {
  PHONE_MISSING: 'The phone number is empty',
  PHONE_INVALID: "This isn't a valid phone number",
  PHONE_TRUNK_ZERO: 'Remove the 0 after the country code',
  PHONE_TOO_SHORT: 'The number has too few digits',
  PHONE_TOO_LONG: 'The number has too many digits',
};

const E164 = /^\+[1-9]\d{6,14}$/;
const NANP_REGIONS: ReadonlySet<string> = new Set(
  getCountries().filter((country) => getCountryCallingCode(country) === '1'),
);
// Countries that share a calling code with a larger one listed first (VA after IT, GG after GB).
const SECONDARY_REGIONS: ReadonlySet<string> = new Set(
  Object.values(metadata.country_calling_codes).flatMap((countries) => countries.slice(1)),
);

// Fast path: the North American shapes that make up most imports, checked in well under 1 µs
// instead of libphonenumber's ~12 µs. Caveat: it checks the shape only (area code and exchange
// start with 2–9, the area code is not N11), not libphonenumber's area-code metadata, so an
// unassigned area code such as 555 is accepted. Every other input goes to the slow path.
const SEPARATORS = /[\s().-]/g;
const NANP_E164 = /^\+1[2-9]\d\d[2-9]\d{6}$/;
const NANP_NATIONAL = /^1?[2-9]\d\d[2-9]\d{6}$/;

function nanpShape(compact: string, nanpRegion: boolean): string | null {
  if (compact.charCodeAt(0) === 43 /* + */) {
    return NANP_E164.test(compact) && !isN11(compact, 2) ? compact : null;
  }
  if (!nanpRegion || !NANP_NATIONAL.test(compact)) return null;
  const start = compact.length - 10;
  return isN11(compact, start) ? null : `+1${compact.slice(start)}`;
}

function isN11(compact: string, areaCodeAt: number): boolean {
  return compact.charCodeAt(areaCodeAt + 1) === 49 && compact.charCodeAt(areaCodeAt + 2) === 49;
}

function fastPath(raw: string, nanpRegion: boolean): string | null {
  let compact = raw.replace(SEPARATORS, '');
  if (compact.charCodeAt(0) === 39 /* ' */) compact = compact.slice(1);
  return nanpShape(compact, nanpRegion);
}

/** Normalise to E.164 using `region` for numbers without a country code. Never throws. */
export function normalizePhone(
  raw: string,
  region: CountryCode = DEFAULT_PHONE_REGION,
): PhoneResult {
  if (typeof raw !== 'string') return failure('PHONE_MISSING');
  const fast = fastPath(raw, NANP_REGIONS.has(region));
  return fast ? { ok: true, e164: fast } : normalizeSafely(raw, region);
}

/** Same result as normalizePhone, with an LRU cache (lru-cache, max 10,000 entries) in front of the slow path. */
export function createPhoneNormalizer(
  region: CountryCode = DEFAULT_PHONE_REGION,
  cacheSize = 10_000,
): (raw: string) => PhoneResult {
  const nanpRegion = NANP_REGIONS.has(region);
  const cache = new LRUCache<string, PhoneResult>({ max: Math.max(1, Math.floor(cacheSize)) });
  return (raw) => {
    if (typeof raw !== 'string') return failure('PHONE_MISSING');
    // The fast path is cheaper than a cache lookup, so only slow-path results are cached.
    const fast = fastPath(raw, nanpRegion);
    if (fast) return { ok: true, e164: fast };
    let result = cache.get(raw);
    if (!result) {
      result = Object.freeze(normalizeSafely(raw, region));
      cache.set(raw, result);
    }
    return result;
  };
}

/** For a near miss (missing country code, one extra digit, local/trunk format, `+CC 0…`) the likely E.164 number, else null. */
export function suggestCorrection(
  raw: string,
  region: CountryCode = DEFAULT_PHONE_REGION,
): string | null {
  const result = normalizePhone(raw, region);
  return result.ok ? null : result.suggestion;
}

/** Human formatting for display: 'national' e.g. "(415) 555-0100", 'international' e.g. "+1 415 555 0100". Falls back to the input. */
export function formatPhone(
  e164: string,
  style: 'national' | 'international' = 'national',
): string {
  if (typeof e164 !== 'string') return e164;
  if (nanpShape(e164, false)) {
    const [area, exchange, line] = [e164.slice(2, 5), e164.slice(5, 8), e164.slice(8)];
    return style === 'national'
      ? `(${area}) ${exchange}-${line}`
      : `+1 ${area} ${exchange} ${line}`;
  }
  const parsed = E164.test(e164) ? parsePhoneNumberFromString(e164) : undefined;
  if (!parsed?.isValid() || parsed.number !== e164) return e164;
  return style === 'national' ? parsed.formatNational() : parsed.formatInternational();
}

export function isPhoneRegion(value: string): value is CountryCode {
  return typeof value === 'string' && isSupportedCountry(value);
}

// ---------------------------------------------------------------------------------------------
// Slow path: everything that isn't a plain North American number.

const MAX_INPUT_LENGTH = 100;
const TEL_PREFIX = /^tel:/i;
const EXTENSION = /\s*(?:;\s*ext\s*=|,?\s*(?:extension|ext\.?|x|#)\s*:?)\s*(\d{1,7})$/i;
const LETTER = /\p{L}/u;
// Digits of any script, spaces, dashes, brackets, dots, slashes and invisible format marks.
const PHONE_TEXT = /^[\p{Nd}\s\p{Pd}\p{Cf}()[\]./（）［］．／]*$/u;
const LEADING_PLUS = /^[\s(（[［]*[+＋]/;
const TRUNK_MARKER = /[(（]\s*0\s*[)）]/; // "+44 (0)20 …": the 0 is written to be dropped
const KEYPAD = '22233344455566677778889999';

function normalizeSafely(raw: string, region: CountryCode): PhoneResult {
  try {
    return normalizeText(raw, isSupportedCountry(region) ? region : undefined);
  } catch {
    // libphonenumber is not documented as throwing on odd input; keep the never-throws promise.
    return failure('PHONE_INVALID');
  }
}

function normalizeText(raw: string, region: CountryCode | undefined): PhoneResult {
  let text = raw.trim();
  if (text.startsWith("'")) text = text.slice(1).trim(); // spreadsheet formula escape
  text = text.replace(TEL_PREFIX, '').trim();
  if (text.length > MAX_INPUT_LENGTH) {
    return failure('PHONE_INVALID', null, 'This is too long to be a phone number');
  }

  // A dialler can't dial an extension; offer the main line rather than silently dropping it.
  const extension = EXTENSION.exec(text);
  if (extension && /\d/.test(text.slice(0, extension.index))) {
    const main = normalizeText(text.slice(0, extension.index), region);
    if (!main.ok) return main;
    return failure('PHONE_INVALID', main.e164, "Extensions can't be dialed: remove the extension");
  }

  // Vanity numbers (1-800-FLOWERS) and notes ("415 555 2671 cell") are rejected, with the number
  // they most likely mean as the suggestion when exactly one reading is valid.
  if (LETTER.test(text)) {
    const readings = new Set<string>();
    for (const reading of [text.replace(/\p{L}/gu, ''), toKeypadDigits(text)]) {
      const result = reading === null ? null : normalizeText(reading, region);
      if (result?.ok) readings.add(result.e164);
    }
    return failure('PHONE_INVALID', only(readings), "Phone numbers can't contain letters");
  }

  const compact = toCompact(text);
  if (compact === null) {
    return failure('PHONE_INVALID', null, "The number contains characters that aren't digits");
  }
  if (compact === '' || compact === '+') return failure('PHONE_MISSING');
  const marker = TRUNK_MARKER.test(text);
  const nanp = nanpShape(compact, region !== undefined && NANP_REGIONS.has(region));
  if (nanp) return { ok: true, e164: nanp };
  if (compact.startsWith('+')) return classifyInternational(compact.slice(1), marker);
  return classifyNational(compact, region, marker);
}

/** `+` and ASCII digits, or null when the text holds anything but phone punctuation. */
function toCompact(text: string): string | null {
  if (!PHONE_TEXT.test(text.replace(LEADING_PLUS, ''))) return null;
  let digits = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 48 && code <= 57) digits += char;
    else if (/\p{Nd}/u.test(char)) digits += String(decimalValue(code));
  }
  return LEADING_PLUS.test(text) ? `+${digits}` : digits;
}

/** Unicode lays every script's digits out as contiguous runs of 0–9. */
function decimalValue(code: number): number {
  let start = code;
  while (/\p{Nd}/u.test(String.fromCodePoint(start - 1))) start--;
  return (code - start) % 10;
}

function toKeypadDigits(text: string): string | null {
  if (/[^\x20-\x7e]/.test(text)) return null;
  return text.toUpperCase().replace(/[A-Z]/g, (letter) => KEYPAD[letter.charCodeAt(0) - 65] ?? '');
}

/** Digits written after `+` (or after an international prefix), country code first. */
function classifyInternational(digits: string, marker: boolean): PhoneResult {
  if (nanpShape(`+${digits}`, false)) return { ok: true, e164: `+${digits}` };
  const parsed = parsePhoneNumberFromString(`+${digits}`);
  const length = validatePhoneNumberLength(`+${digits}`);
  if (!parsed) return lengthFailure(length, null);
  const code = parsed.countryCallingCode;
  const written = digits.slice(code.length);
  const national = parsed.nationalNumber;
  if (written === national) {
    if (parsed.isValid()) return accepted(parsed.number);
    // `+1 0…`: not a national prefix in this plan, but the same slip as `+44 0…`.
    const withoutZero = `+${code}${written.slice(1)}`;
    if (written.startsWith('0') && acceptE164(withoutZero)) {
      return trunkPrefixKept('0', withoutZero, marker);
    }
    const readings = tooLong(length) ? extraDigitReadings(code, written, undefined) : [];
    return lengthFailure(length, only(readings));
  }
  // libphonenumber silently drops a national prefix written after the country code (`+44 07911…`,
  // `+7 8 912…`); the result dials, but the input was wrong, so ask rather than guess.
  if (parsed.isValid() && written.endsWith(national)) {
    return trunkPrefixKept(written.slice(0, -national.length), parsed.number, marker);
  }
  return lengthFailure(length, null);
}

function trunkPrefixKept(prefix: string, suggestion: string, marker: boolean): PhoneResult {
  const usable = acceptE164(suggestion);
  if (marker && prefix === '0' && usable) return { ok: true, e164: usable };
  return failure('PHONE_TRUNK_ZERO', usable, `Remove the ${prefix} after the country code`);
}

function classifyNational(
  digits: string,
  region: CountryCode | undefined,
  marker: boolean,
): PhoneResult {
  const parsed = region ? parsePhoneNumberFromString(digits, region) : undefined;
  if (region && parsed && parsed.countryCallingCode !== getCountryCallingCode(region)) {
    // libphonenumber stripped the region's own international prefix (0011 in AU, 010 in JP, …).
    const at = internationalStart(digits, parsed);
    if (at > 0) return classifyInternational(digits.slice(at), marker);
  }
  // `00` is how most of the world writes `+`, whatever the region's own prefix is.
  if (digits.startsWith('00')) return classifyInternational(digits.slice(2), marker);
  if (region && NANP_REGIONS.has(region) && digits.startsWith('011')) {
    return classifyInternational(digits.slice(3), marker);
  }
  if (!region) {
    return failure('PHONE_INVALID', acceptE164(`+${digits}`), 'Add + and the country code');
  }
  const national = parsed && validNational(parsed, region);
  if (national) return { ok: true, e164: national };

  // Too long for the region: maybe one stray digit, maybe a foreign number missing its `+`.
  const length = validatePhoneNumberLength(digits, region);
  if (!tooLong(length)) return lengthFailure(length, null);
  const withPlus = length === 'TOO_LONG' ? acceptE164(`+${digits}`) : null;
  const readings = extraDigitReadings('', digits, region);
  if (withPlus) readings.push(withPlus);
  const suggestion = only(readings);
  if (withPlus && suggestion === withPlus) {
    return failure('PHONE_TOO_LONG', withPlus, 'Add a + before the country code');
  }
  return lengthFailure(length, suggestion);
}

function internationalStart(digits: string, parsed: PhoneNumber): number {
  const national = parsed.nationalNumber;
  if (!digits.endsWith(national)) return -1;
  const code = parsed.countryCallingCode;
  return digits.lastIndexOf(code, digits.length - national.length - code.length);
}

type LengthCheck = ReturnType<typeof validatePhoneNumberLength>;

function tooLong(length: LengthCheck): boolean {
  return length === 'TOO_LONG' || length === 'INVALID_LENGTH';
}

/** Numbers that deleting one digit makes valid (several distinct ones mean no suggestion). */
function extraDigitReadings(
  code: string,
  written: string,
  region: CountryCode | undefined,
): string[] {
  const readings: string[] = [];
  for (let i = 0; i < written.length; i++) {
    const shorter = written.slice(0, i) + written.slice(i + 1);
    const e164 = code ? acceptE164(`+${code}${shorter}`) : acceptNational(shorter, region);
    if (e164) readings.push(e164);
  }
  return readings;
}

function acceptE164(e164: string): string | null {
  if (nanpShape(e164, false)) return e164;
  const parsed = E164.test(e164) ? parsePhoneNumberFromString(e164) : undefined;
  return parsed?.isValid() && parsed.number === e164 ? e164 : null;
}

function acceptNational(digits: string, region: CountryCode | undefined): string | null {
  if (!region) return null;
  const nanp = nanpShape(digits, NANP_REGIONS.has(region));
  if (nanp) return nanp;
  const parsed = parsePhoneNumberFromString(digits, region);
  const sameCountry = parsed?.countryCallingCode === getCountryCallingCode(region);
  return parsed && sameCountry ? validNational(parsed, region) : null;
}

function validNational(parsed: PhoneNumber, region: CountryCode): string | null {
  if (!parsed.isValid()) return null;
  // libphonenumber validates some numbers for a secondary region (VA) that the same digits as
  // E.164 don't resolve to (+39 → IT); re-read those so a stored number always normalises again.
  if (SECONDARY_REGIONS.has(region)) return acceptE164(parsed.number);
  return E164.test(parsed.number) ? parsed.number : null;
}

function lengthFailure(length: LengthCheck, suggestion: string | null): PhoneResult {
  if (length === 'TOO_SHORT') return failure('PHONE_TOO_SHORT', suggestion);
  if (length === 'TOO_LONG') return failure('PHONE_TOO_LONG', suggestion);
  if (length === 'INVALID_COUNTRY') {
    return failure('PHONE_INVALID', suggestion, 'The country code is not in use');
  }
  return failure('PHONE_INVALID', suggestion);
}

/** libphonenumber knows a few valid numbers that E.164 (7–15 digits) can't carry. */
function accepted(e164: string): PhoneResult {
  if (E164.test(e164)) return { ok: true, e164 };
  return failure(e164.length > 16 ? 'PHONE_TOO_LONG' : 'PHONE_TOO_SHORT');
}

/** The one distinct reading, or null when there is none or they disagree. */
function only(readings: Iterable<string>): string | null {
  const distinct = new Set(readings);
  return distinct.size === 1 ? ([...distinct][0] ?? null) : null;
}

function failure(
  reason: PhoneErrorReason,
  suggestion: string | null = null,
  message = MESSAGES[reason],
): PhoneResult {
  return { ok: false, reason, message, suggestion };
}
