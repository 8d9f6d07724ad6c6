import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvLine } from '../../../../src/lib/contacts/imports/csv-cells';
import { CsvScanner, UploadRejected } from '../../../../src/lib/contacts/imports/scan';

const limits = { maxRows: 1000, maxRecordBytes: 1024 };

function scan(input: string | Buffer, chunkSize = 3, overrides = {}) {
  const bytes = typeof input === 'string' ? Buffer.from(input) : input;
  const scanner = new CsvScanner({ ...limits, ...overrides });
  for (let i = 0; i < bytes.length; i += chunkSize) scanner.feed(bytes.subarray(i, i + chunkSize));
  return scanner.finish();
}

function rejection(fn: () => unknown): UploadRejected {
  try {
    fn();
  } catch (error) {
    if (error instanceof UploadRejected) return error;
    throw error;
  }
  throw new Error('expected the upload to be rejected');
}

describe('scanning an upload', () => {
  it('counts records, not lines: quoted newlines stay in their record', () => {
    expect(scan('name,notes\na,"x\ny\nz"\nb,c\n')).toEqual({ header: 'name,notes', dataRows: 2 });
  });

  it('gives the same answer for CRLF, a BOM, blank lines and no final newline', () => {
    expect(scan('\uFEFFname,phone\r\n\r\na,1\r\nb,2')).toEqual({
      header: 'name,phone',
      dataRows: 2,
    });
    expect(scan('\n\nname,phone\na,1\n\n')).toEqual({ header: 'name,phone', dataRows: 1 });
  });

  it('reads a header split across many chunks', () => {
    expect(scan('first_name,last_name,phone\n1,2,3\n', 1).header).toBe(
      'first_name,last_name,phone',
    );
  });

  it.each([
    ['empty', '', /empty/],
    ['only blank lines', '\n\r\n', /empty/],
    ['header only', 'name,phone\n', /no contacts/],
  ])('refuses a file that is %s', (_label, input, message) => {
    const error = rejection(() => scan(input));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(message);
  });

  it('refuses more rows than allowed as soon as it sees them (413)', () => {
    const error = rejection(() => scan('h\n1\n2\n3\n', 3, { maxRows: 2 }));
    expect(error.status).toBe(413);
  });

  it('refuses a record over the size limit, such as an unclosed quote swallowing the file (413)', () => {
    const error = rejection(() =>
      scan(`name,phone\n"open,1\n${'a,2\n'.repeat(100)}`, 16, { maxRecordBytes: 64 }),
    );
    expect(error.status).toBe(413);
    expect(error.message).toMatch(/quote/);
  });

  it('refuses UTF-8 that is broken, even when a character is split across chunks only at the end', () => {
    expect(scan(Buffer.from('name,phone\nJosé,1\n'), 1).dataRows).toBe(1);
    expect(rejection(() => scan(Buffer.from([0x61, 0x0a, 0x62, 0xc3]))).message).toMatch(/UTF-8/);
    expect(rejection(() => scan(Buffer.from([0x61, 0x0a, 0xc3, 0x28, 0x0a]))).message).toMatch(
      /UTF-8/,
    );
  });

  it.each([
    ['a ZIP / xlsx', [0x50, 0x4b, 0x03, 0x04, 0x0a], /Excel|ZIP/],
    ['UTF-16 LE', [0xff, 0xfe, 0x61, 0x00], /UTF-16/],
    ['UTF-16 BE', [0xfe, 0xff, 0x00, 0x61], /UTF-16/],
    ['a PDF', [0x25, 0x50, 0x44, 0x46, 0x2d], /PDF/],
    ['NUL bytes', [0x61, 0x2c, 0x00, 0x0a], /binary/],
  ])('refuses %s', (_label, bytes, message) => {
    const error = rejection(() => scan(Buffer.from(bytes)));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(message);
  });
});

describe('the scanner agrees with csv-parse', () => {
  it('counts the same data rows and reads the same header, however the bytes are chunked', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'b', ' ', ',', '"', '\n', '\r\n', 'é') });
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 7 }),
        (rows, chunkSize) => {
          const text = `name,phone\r\n${rows.map((r) => csvLine(r)).join('')}`;
          const expected = (parse(text, { skip_empty_lines: true }) as string[][]).length - 1;
          fc.pre(expected > 0);
          expect(scan(text, chunkSize, { maxRecordBytes: 1 << 20 })).toEqual({
            header: 'name,phone',
            dataRows: expected,
          });
        },
      ),
    );
  });
});
