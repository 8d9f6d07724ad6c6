import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  csvLine,
  neutraliseFormula,
  restoreFormula,
} from '../../../../src/lib/contacts/imports/csv-cells';

const TRIGGERS = ['=', '+', '-', '@', '\t', '\r', '\0'];
const cellText = fc.oneof(
  fc.string(),
  fc
    .tuple(fc.constantFrom("'", "''", ''), fc.constantFrom(...TRIGGERS), fc.string())
    .map((p) => p.join('')),
);

describe('formula-safe CSV cells', () => {
  it('no exported cell starts with a formula trigger', () => {
    fc.assert(
      fc.property(cellText, (value) => {
        expect(TRIGGERS).not.toContain(neutraliseFormula(value).charAt(0));
      }),
    );
  });

  it('restoring what was neutralised gives the value back, whatever it is', () => {
    fc.assert(fc.property(cellText, (value) => restoreFormula(neutraliseFormula(value)) === value));
  });

  it('leaves ordinary text alone', () => {
    expect(neutraliseFormula('Ada Lovelace')).toBe('Ada Lovelace');
    expect(neutraliseFormula("O'Brien")).toBe("O'Brien");
    expect(neutraliseFormula('=1+2')).toBe("'=1+2");
    expect(neutraliseFormula("'=1+2")).toBe("''=1+2");
    expect(restoreFormula("'=1+2")).toBe('=1+2');
    expect(restoreFormula("'plain")).toBe("'plain");
  });

  it('a line parses back (RFC 4180) into the neutralised cells', () => {
    fc.assert(
      fc.property(fc.array(cellText, { minLength: 1, maxLength: 6 }), (values) => {
        const [row] = parse(csvLine(values), { relax_column_count: true }) as string[][];
        expect(row?.map(restoreFormula)).toEqual(values);
      }),
    );
  });
});
