import { describe, expect, it } from 'vitest';
import { mapColumns, sniffDelimiter } from '../../../../src/lib/contacts/imports/columns';

describe('mapping the header row', () => {
  it('recognises synonyms whatever their case, spacing or punctuation', () => {
    const mapped = mapColumns([
      'Full Name',
      'MOBILE',
      'E-mail',
      'Organisation',
      'Time Zone',
      'Tags',
      'Deal Size',
    ]);
    expect(mapped.ok).toBe(true);
    if (!mapped.ok) return;
    expect(mapped.map.fields).toEqual({
      name: 0,
      phone: 1,
      email: 2,
      company: 3,
      timezone: 4,
      tags: 5,
    });
    expect(mapped.map.attributes).toEqual([{ index: 6, key: 'Deal Size' }]);
  });

  it('takes the first of two phone columns and keeps the second as an attribute', () => {
    const mapped = mapColumns(['phone', 'Phone Number', 'first_name', 'last_name']);
    expect(mapped.ok && mapped.map.fields).toEqual({ phone: 0, firstName: 2, lastName: 3 });
  });

  it('ignores the dates our own export adds, so re-importing an export stores no junk attributes', () => {
    const mapped = mapColumns(['phone', 'City', 'opted_out_at', 'created_at']);
    expect(mapped.ok && mapped.map.attributes).toEqual([{ index: 1, key: 'City' }]);
  });

  it('refuses a header without a phone column, naming what it found', () => {
    const mapped = mapColumns(['name', 'email']);
    expect(mapped.ok).toBe(false);
    if (!mapped.ok) expect(mapped.message).toMatch(/no phone column.*name, email/);
  });
});

describe('sniffing the delimiter', () => {
  it.each([
    ['name,phone,email', ','],
    ['name;phone;email', ';'],
    ['name\tphone\temail', '\t'],
    ['"last, first";phone', ';'],
    ['phone', ','],
  ])('%j → %j', (header, expected) => {
    expect(sniffDelimiter(header)).toBe(expected);
  });
});
