import fc from 'fast-check';
import {
  type CountryCode,
  getCountries,
  getExampleNumber,
  parsePhoneNumberFromString,
} from 'libphonenumber-js';
import examples from 'libphonenumber-js/mobile/examples';
import { describe, expect, it } from 'vitest';
import {
  createPhoneNormalizer,
  DEFAULT_PHONE_REGION,
  formatPhone,
  inferTimezone,
  isPhoneRegion,
  normalizePhone,
  type PhoneErrorReason,
  suggestCorrection,
} from '../../../src/lib/contacts/phone';

const REASONS: PhoneErrorReason[] = [
  'PHONE_MISSING',
  'PHONE_INVALID',
  'PHONE_TRUNK_ZERO',
  'PHONE_TOO_SHORT',
  'PHONE_TOO_LONG',
];
const E164 = /^\+[1-9]\d{6,14}$/;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function libphonenumberSaysValid(raw: string, region: CountryCode): boolean {
  return parsePhoneNumberFromString(raw, region)?.isValid() ?? false;
}

// Inputs shaped like what people paste into a phone column, good and bad.
const phoneChars = fc.constantFrom(..."0123456789012345678901234567890123456789 -().+/'x#٤０");
const phoneish = fc.oneof(
  fc.array(phoneChars, { maxLength: 24 }).map((chars) => chars.join('')),
  fc
    .tuple(
      fc.constantFrom('', '+', '+1', '+1 ', '1', '+44 ', '+44 0', '0044', '+61 ', '0', '00', '011'),
      fc.stringMatching(/^[0-9]{4,13}$/),
      fc.constantFrom('', ' ', '-', '.'),
    )
    .map(
      ([prefix, digits, separator]) => prefix + digits.replace(/(\d{3})(?=\d)/g, `$1${separator}`),
    ),
);
const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
);
const regions = fc.constantFrom<CountryCode>(
  'US',
  'CA',
  'JM',
  'GB',
  'AU',
  'DE',
  'IT',
  'IN',
  'FR',
  'JP',
);
// Valid numbers from every country: libphonenumber's example mobile number with fresh last digits.
const exampleNumbers = fc
  .tuple(fc.constantFrom(...getCountries()), fc.stringMatching(/^[0-9]{3}$/))
  .map(([country, tail]) => {
    const example = getExampleNumber(country, examples)?.number ?? '+14155552671';
    return example.slice(0, -3) + tail;
  });

describe('normalizePhone', () => {
  it.each([
    ['(415) 555-2671', '+14155552671'],
    ['415.555.2671', '+14155552671'],
    ['415-555-2671', '+14155552671'],
    ['4155552671', '+14155552671'],
    ['+1 415 555 2671', '+14155552671'],
    ['+1 (415) 555-2671', '+14155552671'],
    ['1 (415) 555-2671', '+14155552671'],
    ['14155552671', '+14155552671'],
    ["'+14155552671", '+14155552671'],
    ["  '+1 415 555 2671  ", '+14155552671'],
    ['tel:+1-415-555-2671', '+14155552671'],
    ['001 415 555 2671', '+14155552671'],
    ['011 1 415 555 2671', '+14155552671'],
    ['+44 7911 123456', '+447911123456'],
    ['+44 20 7946 0000', '+442079460000'],
    ['0044 7911 123456', '+447911123456'],
    ['011 44 7911 123456', '+447911123456'],
    ['(+44) 7911 123456', '+447911123456'],
    ['+61 412 345 678', '+61412345678'],
    ['+49 30 1234567', '+49301234567'],
    ['+33 6 12 34 56 78', '+33612345678'],
    ['+91 98765 43210', '+919876543210'],
    // Italian numbers keep their 0 after the country code.
    ['+39 06 1234 5678', '+390612345678'],
    // "(0)" is the written convention for "drop this 0 when calling from abroad".
    ['+44 (0) 20 7946 0000', '+442079460000'],
    ['+44 (0)7911 123456', '+447911123456'],
    ['+39 (0)6 1234 5678', '+390612345678'],
    // Digits from other scripts, as spreadsheets in other locales export them.
    ['٤١٥٥٥٥٢٦٧١', '+14155552671'],
    ['＋４４ ７９１１ １２３４５６', '+447911123456'],
  ])('reads %j as %s', (raw, e164) => {
    expect(normalizePhone(raw)).toEqual({ ok: true, e164 });
  });

  it.each([
    ['07911 123456', 'GB', '+447911123456'],
    ['7911 123456', 'GB', '+447911123456'],
    ['00 44 7911 123456', 'GB', '+447911123456'],
    ['0412 345 678', 'AU', '+61412345678'],
    ['0011 44 7911 123456', 'AU', '+447911123456'],
    ['030 1234567', 'DE', '+49301234567'],
    ['(876) 927-1234', 'JM', '+18769271234'],
    ['+1 415 555 2671', 'GB', '+14155552671'],
  ] as const)('reads %j in region %s as %s', (raw, region, e164) => {
    expect(normalizePhone(raw, region)).toEqual({ ok: true, e164 });
  });

  it.each([
    ['', 'PHONE_MISSING', null],
    ['   ', 'PHONE_MISSING', null],
    ["'", 'PHONE_MISSING', null],
    ['-', 'PHONE_MISSING', null],
    ['garbage', 'PHONE_INVALID', null],
    ['N/A', 'PHONE_INVALID', null],
    ['+44 07911 123456', 'PHONE_TRUNK_ZERO', '+447911123456'],
    ['+61 0412 345 678', 'PHONE_TRUNK_ZERO', '+61412345678'],
    ['+49 030 1234567', 'PHONE_TRUNK_ZERO', '+49301234567'],
    ['+33 06 12 34 56 78', 'PHONE_TRUNK_ZERO', '+33612345678'],
    ['0044 07911 123456', 'PHONE_TRUNK_ZERO', '+447911123456'],
    ['011 44 07911 123456', 'PHONE_TRUNK_ZERO', '+447911123456'],
    ['+1 0415 555 2671', 'PHONE_TRUNK_ZERO', '+14155552671'],
    ['+1 1 415 555 2671', 'PHONE_TRUNK_ZERO', '+14155552671'],
    ['+7 8 912 345 67 89', 'PHONE_TRUNK_ZERO', '+79123456789'],
    ['+1 415 555 267', 'PHONE_TOO_SHORT', null],
    ['555-2671', 'PHONE_TOO_SHORT', null],
    ['+12', 'PHONE_TOO_SHORT', null],
    ['+1 415 555 26711', 'PHONE_TOO_LONG', null],
    ['0415 555 2671', 'PHONE_TOO_LONG', '+14155552671'],
    ['447911123456', 'PHONE_TOO_LONG', '+447911123456'],
    ['74155552671', 'PHONE_TOO_LONG', null],
    ['+1 911 555 2671', 'PHONE_INVALID', null],
    ['(911) 555-2671', 'PHONE_INVALID', null],
    ['+999 1234567', 'PHONE_INVALID', null],
    ['1-800-FLOWERS', 'PHONE_INVALID', '+18003569377'],
    ['415 555 2671 (cell)', 'PHONE_INVALID', '+14155552671'],
    ['415-555-2671 ext. 12', 'PHONE_INVALID', '+14155552671'],
    ['4155552671x12', 'PHONE_INVALID', '+14155552671'],
    ['tel:+1-415-555-2671;ext=2', 'PHONE_INVALID', '+14155552671'],
    ['415-555-2671, 415-555-2672', 'PHONE_INVALID', null],
    ['+1 415 +555 2671', 'PHONE_INVALID', null],
    ['415 555 2671 ☎', 'PHONE_INVALID', null],
  ])('rejects %j as %s, suggesting %s', (raw, reason, suggestion) => {
    const result = normalizePhone(raw);
    expect(result).toMatchObject({ ok: false, reason, suggestion });
  });

  it('explains each problem in a sentence a sales manager can act on', () => {
    const message = (raw: string) => {
      const result = normalizePhone(raw);
      return result.ok ? null : result.message;
    };
    expect(message('+44 07911 123456')).toBe('Remove the 0 after the country code');
    expect(message('+7 8 912 345 67 89')).toBe('Remove the 8 after the country code');
    expect(message('+1 415 555 267')).toBe('The number has too few digits');
    expect(message('+1 415 555 26711')).toBe('The number has too many digits');
    expect(message('')).toBe('The phone number is empty');
    expect(message('447911123456')).toBe('Add a + before the country code');
    expect(message('1-800-FLOWERS')).toBe("Phone numbers can't contain letters");
    expect(message('415-555-2671 ext. 12')).toBe(
      "Extensions can't be dialed: remove the extension",
    );
    expect(message('+999 1234567')).toBe('The country code is not in use');
  });

  it('needs a North American region for bare ten-digit numbers', () => {
    expect(normalizePhone('415 555 2671', 'GB')).toMatchObject({ ok: false, suggestion: null });
    expect(normalizePhone('415 555 2671', 'CA')).toEqual({ ok: true, e164: '+14155552671' });
  });

  it('accepts unassigned North American area codes, the documented cost of the fast path', () => {
    // libphonenumber rejects 555; every spelling of it still gets the same answer.
    for (const raw of ['(555) 555-5555', '+1 555 555 5555', '+15555555555', '15555555555']) {
      expect(normalizePhone(raw)).toEqual({ ok: true, e164: '+15555555555' });
    }
  });

  it('gives every spelling of a North American number the same E.164', () => {
    const nanp = fc.tuple(
      fc.stringMatching(/^[2-9](?:[02-9]\d|1[02-9])$/),
      fc.stringMatching(/^[2-9]\d\d$/),
      fc.stringMatching(/^\d{4}$/),
    );
    fc.assert(
      fc.property(nanp, ([area, exchange, line]) => {
        const e164 = `+1${area}${exchange}${line}`;
        const spellings = [
          `(${area}) ${exchange}-${line}`,
          `${area}.${exchange}.${line}`,
          `1${area}${exchange}${line}`,
          `+1 ${area} ${exchange} ${line}`,
          `'${e164}`,
          `tel:${e164}`,
          `001${area}${exchange}${line}`,
        ];
        for (const raw of spellings) expect(normalizePhone(raw)).toEqual({ ok: true, e164 });
      }),
    );
  });

  it('returns the same E.164 when given its own output', () => {
    fc.assert(
      fc.property(fc.oneof(phoneish, exampleNumbers), regions, (raw, region) => {
        const first = normalizePhone(raw, region);
        if (!first.ok) return;
        expect(first.e164).toMatch(E164);
        for (const again of [region, 'US', 'GB'] as const) {
          expect(normalizePhone(first.e164, again)).toEqual(first);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never throws, and always answers with a known reason and a usable suggestion', () => {
    fc.assert(
      fc.property(
        fc.oneof(anyText, phoneish),
        fc.constantFrom(...getCountries()),
        (raw, region) => {
          const result = normalizePhone(raw, region);
          if (result.ok) {
            expect(result.e164).toMatch(E164);
            return;
          }
          expect(REASONS).toContain(result.reason);
          expect(result.message.length).toBeGreaterThan(0);
          if (result.suggestion !== null) {
            expect(normalizePhone(result.suggestion)).toEqual({
              ok: true,
              e164: result.suggestion,
            });
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('survives input a CSV parser could hand it', () => {
    const odd = [undefined, null, 42, 'x'.repeat(10_000), '+'.repeat(300), `${'1'.repeat(400)}`];
    for (const raw of odd) {
      expect(() => normalizePhone(raw as string)).not.toThrow();
      expect(normalizePhone(raw as string).ok).toBe(false);
    }
    expect(normalizePhone('4155552671', 'XX' as CountryCode)).toMatchObject({ ok: false });
    expect(normalizePhone('+44 7911 123456', 'XX' as CountryCode)).toEqual({
      ok: true,
      e164: '+447911123456',
    });
  });

  it('rejects what a secondary region validates but its own E.164 would not', () => {
    // libphonenumber accepts 800000 for the Vatican, yet reads +39800000 as Italian and invalid.
    expect(libphonenumberSaysValid('800000', 'VA')).toBe(true);
    expect(normalizePhone('800000', 'VA')).toMatchObject({ ok: false, reason: 'PHONE_INVALID' });
    expect(normalizePhone('06 698 12345', 'VA')).toEqual({ ok: true, e164: '+390669812345' });
  });

  it('uses the United States as the default region', () => {
    expect(DEFAULT_PHONE_REGION).toBe('US');
    expect(normalizePhone('(415) 555-2671')).toEqual(normalizePhone('(415) 555-2671', 'US'));
  });
});

describe('createPhoneNormalizer', () => {
  it('answers exactly as normalizePhone does, across evictions', () => {
    fc.assert(
      fc.property(
        regions,
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.oneof(phoneish, anyText), { minLength: 1, maxLength: 30 }),
        (region, cacheSize, batch) => {
          const normalize = createPhoneNormalizer(region, cacheSize);
          // Each input twice, so cache hits are compared too.
          for (const raw of [...batch, ...batch]) {
            expect(normalize(raw)).toEqual(normalizePhone(raw, region));
          }
        },
      ),
    );
  });

  it('caches slow-path results and leaves fast-path ones uncached', () => {
    const normalize = createPhoneNormalizer('US', 2);
    const slow = normalize('+44 7911 123456');
    expect(normalize('+44 7911 123456')).toBe(slow);
    const fast = normalize('(415) 555-2671');
    expect(normalize('(415) 555-2671')).not.toBe(fast);
    expect(normalize('(415) 555-2671')).toEqual(fast);
  });

  it('evicts the least recently used entry past its size', () => {
    const normalize = createPhoneNormalizer('US', 2);
    const first = normalize('+44 7911 123456');
    normalize('+61 412 345 678');
    normalize('+49 30 1234567');
    expect(normalize('+44 7911 123456')).not.toBe(first);
    expect(normalize('+44 7911 123456')).toEqual(first);
  });
});

describe('suggestCorrection', () => {
  it.each([
    ['+44 07911 123456', 'US', '+447911123456'],
    ['+61 0412 345 678', 'US', '+61412345678'],
    ['+1 0415 555 2671', 'US', '+14155552671'],
    ['447911123456', 'US', '+447911123456'],
    ['0415 555 2671', 'US', '+14155552671'],
    ['0044 07911 123456', 'US', '+447911123456'],
    ['004407911123456', 'GB', '+447911123456'],
  ] as const)('turns the near miss %j (region %s) into %s', (raw, region, e164) => {
    expect(suggestCorrection(raw, region)).toBe(e164);
  });

  it.each([
    ['(415) 555-2671', 'valid already'],
    ['+44 7911 123456', 'valid already'],
    ['garbage', 'nothing to go on'],
    ['415 555 267', 'a digit is missing, and any of ten could be'],
    ['+1 415 555 26711', 'several digits could be the extra one'],
    ['74155552671', 'a Russian number or a US one with a stray 7'],
    ['07911 123456', 'a national number from an unknown country'],
  ])('offers nothing for %j (%s)', (raw) => {
    expect(suggestCorrection(raw)).toBeNull();
  });
});

describe('formatPhone', () => {
  it.each([
    ['+14155550100', 'national', '(415) 555-0100'],
    ['+14155550100', 'international', '+1 415 555 0100'],
    ['+447911123456', 'national', '07911 123456'],
    ['+447911123456', 'international', '+44 7911 123456'],
    ['+390612345678', 'international', '+39 06 1234 5678'],
    ['+61412345678', 'national', '0412 345 678'],
  ] as const)('formats %s as %s: %s', (e164, style, shown) => {
    expect(formatPhone(e164, style)).toBe(shown);
  });

  it('defaults to the national style', () => {
    expect(formatPhone('+14155550100')).toBe('(415) 555-0100');
  });

  it('falls back to the input it cannot format', () => {
    for (const raw of ['garbage', '', '4155550100', '+44 07911 123456', '+999123456']) {
      expect(formatPhone(raw)).toBe(raw);
      expect(formatPhone(raw, 'international')).toBe(raw);
    }
  });

  it('formats internationally in a way that reads back to the same number', () => {
    fc.assert(
      fc.property(fc.oneof(phoneish, exampleNumbers), regions, (raw, region) => {
        const result = normalizePhone(raw, region);
        if (!result.ok) return;
        const shown = formatPhone(result.e164, 'international');
        expect(normalizePhone(shown, region)).toEqual(result);
      }),
      { numRuns: 500 },
    );
  });
});

describe('inferTimezone', () => {
  it.each([
    ['+14155552671', 'America/Los_Angeles'],
    ['+12125550100', 'America/New_York'],
    ['+13125550100', 'America/Chicago'],
    ['+13035550100', 'America/Denver'],
    ['+16025550100', 'America/Phoenix'],
    ['+19075550100', 'America/Anchorage'],
    ['+18085550100', 'Pacific/Honolulu'],
    ['+19155550100', 'America/Denver'],
    ['+14165550100', 'America/Toronto'],
    ['+15145550100', 'America/Toronto'],
    ['+16045550100', 'America/Vancouver'],
    ['+19025550100', 'America/Halifax'],
    ['+12045550100', 'America/Winnipeg'],
    ['+14035550100', 'America/Edmonton'],
    ['+13065550100', 'America/Regina'],
    ['+17875550100', 'America/Puerto_Rico'],
    ['+18765550100', 'America/Jamaica'],
    ['+447400123456', 'Europe/London'],
    ['+353871234567', 'Europe/Dublin'],
    ['+33612345678', 'Europe/Paris'],
    ['+4915123456789', 'Europe/Berlin'],
    ['+34612345678', 'Europe/Madrid'],
    ['+34922123456', 'Atlantic/Canary'],
    ['+351912345678', 'Europe/Lisbon'],
    ['+351296123456', 'Atlantic/Azores'],
    ['+919876543210', 'Asia/Kolkata'],
    ['+819012345678', 'Asia/Tokyo'],
    ['+6591234567', 'Asia/Singapore'],
    ['+64211234567', 'Pacific/Auckland'],
    ['+27821234567', 'Africa/Johannesburg'],
  ])('places %s in %s', (e164, zone) => {
    expect(inferTimezone(e164)).toBe(zone);
  });

  it.each([
    ['+12085550100', 'Idaho is split between Mountain and Pacific'],
    ['+18505550100', 'the Florida panhandle is split'],
    ['+12505550100', 'British Columbia outside Vancouver is split'],
    ['+17785550100', 'a province-wide overlay inherits the split'],
    ['+17095550100', 'Labrador keeps Atlantic time'],
    ['+19285550100', 'the Navajo Nation keeps daylight time'],
    ['+18005550100', 'toll-free numbers are nowhere'],
    ['+15555550100', 'an unassigned area code'],
    ['+61412345678', 'Australia has several zones'],
    ['+5511912345678', 'Brazil has several zones'],
    ['+79123456789', 'Russia has several zones'],
    ['+525512345678', 'Mexico has several zones'],
    ['+999123456', 'no such country'],
    ['(415) 555-2671', 'not E.164'],
    ['', 'empty'],
  ])('says null for %s: %s', (e164) => {
    expect(inferTimezone(e164)).toBeNull();
  });

  it('only ever names a zone the runtime knows', () => {
    const zones = new Set<string>();
    for (let area = 200; area <= 999; area++) {
      const zone = inferTimezone(`+1${area}5550100`);
      if (zone) zones.add(zone);
    }
    for (const country of getCountries()) {
      const zone = inferTimezone(getExampleNumber(country, examples)?.number ?? '');
      if (zone) zones.add(zone);
    }
    expect(zones.size).toBeGreaterThan(60);
    for (const zone of zones) expect(isTimeZone(zone), zone).toBe(true);

    fc.assert(
      fc.property(fc.oneof(exampleNumbers, phoneish, anyText), (e164) => {
        const zone = inferTimezone(e164);
        expect(zone === null || isTimeZone(zone)).toBe(true);
      }),
    );
  });
});

describe('isPhoneRegion', () => {
  it.each(['US', 'CA', 'GB', 'AU', 'IN', 'JM'])('accepts %s', (code) => {
    expect(isPhoneRegion(code)).toBe(true);
  });

  it.each(['us', 'USA', 'XX', 'ZZ', '', ' US'])('refuses %j', (code) => {
    expect(isPhoneRegion(code)).toBe(false);
  });
});
