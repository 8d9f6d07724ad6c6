import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  binaryKind,
  buildPreview,
  findPhoneColumn,
  headerLine,
  PREVIEW_BYTES,
  parseCsvRecords,
  readPreview,
  sniffDelimiter,
  stripBom,
} from '../../../src/components/contacts/import/csv-preview';

describe('stripBom', () => {
  it('drops a leading UTF-8 byte order mark and nothing else', () => {
    expect(stripBom('\uFEFFname,phone')).toBe('name,phone');
    expect(stripBom('name,phone')).toBe('name,phone');
    expect(stripBom('a\uFEFFb')).toBe('a\uFEFFb');
  });
});

describe('sniffDelimiter', () => {
  it('reads commas by default and semicolons when the header has more of them', () => {
    expect(sniffDelimiter('name,phone\nA;B,1')).toBe(',');
    expect(sniffDelimiter('name;phone;email\nAda,Lovelace;1;a@example.com')).toBe(';');
    expect(sniffDelimiter('\uFEFFname;phone')).toBe(';');
    expect(sniffDelimiter('phone')).toBe(',');
    expect(sniffDelimiter('')).toBe(',');
  });

  it('ignores delimiters inside quoted header names', () => {
    expect(sniffDelimiter('"a;b;c",phone,name')).toBe(',');
    expect(sniffDelimiter('"a,b,c";phone')).toBe(';');
  });

  it('looks at the header line only', () => {
    expect(headerLine('name,phone\r\nx;y;z;w')).toBe('name,phone');
    expect(headerLine('"multi\nline";phone\nrest')).toBe('"multi\nline";phone');
    expect(sniffDelimiter('name,phone\nx;y;z;w;v')).toBe(',');
  });
});

describe('parseCsvRecords', () => {
  it('splits records on LF, CRLF and CR, respecting quotes', () => {
    const text =
      'name,phone,notes\r\n"Byron, Ada",+14155550101,"said ""hi""\nthen left"\rGrace,+14155550102,\n';
    expect(parseCsvRecords(text, ',')).toEqual([
      ['name', 'phone', 'notes'],
      ['Byron, Ada', '+14155550101', 'said "hi"\nthen left'],
      ['Grace', '+14155550102', ''],
    ]);
  });

  it('skips blank lines and reads a last record without a line end', () => {
    expect(parseCsvRecords('a;b\n\n1;2', ';')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('stops after maxRecords', () => {
    expect(parseCsvRecords('a\n1\n2\n3\n', ',', { maxRecords: 2 })).toEqual([['a'], ['1']]);
  });

  it('drops a cut-off last record when the text is the start of a longer file', () => {
    expect(parseCsvRecords('a,b\n1,2\n3,', ',', { truncated: true })).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(parseCsvRecords('a,b\n"1\n2', ',', { truncated: true })).toEqual([['a', 'b']]);
  });

  it('keeps quotes that do not open a field as text', () => {
    expect(parseCsvRecords('a,b\n5" pipe,x', ',')).toEqual([
      ['a', 'b'],
      ['5" pipe', 'x'],
    ]);
  });

  it('reads back what an RFC 4180 writer wrote', () => {
    const field = fc.string({
      unit: fc.constantFrom('a', 'Z', ' ', ',', ';', '"', '\n', '\r', 'é'),
    });
    const record = fc.array(field, { minLength: 2, maxLength: 5 });
    fc.assert(
      fc.property(fc.array(record, { maxLength: 6 }), fc.constantFrom(',', ';'), (records, d) => {
        const quote = (f: string) => `"${f.replaceAll('"', '""')}"`;
        const text = records.map((r) => r.map(quote).join(d)).join('\r\n');
        expect(parseCsvRecords(text, d as ',' | ';')).toEqual(records);
      }),
    );
  });
});

describe('findPhoneColumn', () => {
  it('finds the phone column by the names the server accepts, in any case', () => {
    expect(findPhoneColumn(['Name', 'Phone'])).toEqual({ index: 1, problem: null });
    for (const name of ['PHONE_NUMBER', 'contact_number', 'Mobile', 'cell', 'Telephone', 'tel']) {
      expect(findPhoneColumn(['name', name]).index, name).toBe(1);
    }
    expect(findPhoneColumn(['name', 'Phone Number']).index).toBe(1);
  });

  it('explains a header without one', () => {
    const found = findPhoneColumn(['name', 'email']);
    expect(found.index).toBe(-1);
    expect(found.problem).toMatch(/no phone column/i);
  });
});

describe('buildPreview', () => {
  it('gives the header, the first five rows padded to its width, and the phone column', () => {
    const lines = [
      'name,phone,email',
      'A,+14155550101',
      ...[2, 3, 4, 5, 6, 7].map((n) => `R${n},+1415555010${n},r@example.com`),
    ];
    const preview = buildPreview(`\uFEFF${lines.join('\n')}`);
    expect(preview).toMatchObject({
      delimiter: ',',
      headers: ['name', 'phone', 'email'],
      phoneColumn: 1,
      phoneProblem: null,
      notUtf8: false,
    });
    expect(preview?.rows).toHaveLength(5);
    expect(preview?.rows[0]).toEqual(['A', '+14155550101', '']);
  });

  it('reads semicolon files', () => {
    const preview = buildPreview('Name;Mobile\n"Byron; Ada";+14155550101\n');
    expect(preview?.delimiter).toBe(';');
    expect(preview?.rows).toEqual([['Byron; Ada', '+14155550101']]);
    expect(preview?.phoneColumn).toBe(1);
  });

  it('flags text that did not decode as UTF-8', () => {
    expect(buildPreview('name,phone\nJos\uFFFD,+14155550101')?.notUtf8).toBe(true);
  });

  it('is null for an empty file', () => {
    expect(buildPreview('')).toBeNull();
    expect(buildPreview('\uFEFF\n\n')).toBeNull();
  });
});

describe('readPreview', () => {
  it('reads only the start of a large file and ignores the cut-off row', async () => {
    const header = 'name,phone\n';
    const row = 'Somebody with a long name,+14155550101\n';
    const body = header + row.repeat(Math.ceil((PREVIEW_BYTES * 2) / row.length));
    const preview = await readPreview(new Blob([body]));
    expect(preview?.headers).toEqual(['name', 'phone']);
    expect(preview?.rows).toHaveLength(5);
  });

  it('reads a file shorter than the preview window whole', async () => {
    const preview = await readPreview(new Blob(['phone\n+14155550101']));
    expect(preview?.rows).toEqual([['+14155550101']]);
  });
});

describe('binaryKind', () => {
  it.each([
    [[0x50, 0x4b, 0x03, 0x04, 0x14], /Excel/],
    [[0xff, 0xfe, 0x6e, 0x00], /UTF-16/],
    [[0x25, 0x50, 0x44, 0x46, 0x2d], /PDF/],
    [[0x6e, 0x61, 0x00, 0x0a], /binary/],
  ])('names %j as not CSV', (bytes, message) => {
    expect(binaryKind(new Uint8Array(bytes))).toMatch(message);
  });

  it('lets text through', () => {
    expect(binaryKind(new TextEncoder().encode('name,phone\nAda,4155550101\n'))).toBeNull();
  });
});
