import { describe, expect, it } from 'vitest';
import { formatCurrency, formatNumber, formatPercent } from '../../src/lib/format/numbers';

describe('number formats', () => {
  it('groups thousands', () => {
    expect(formatNumber(1234567)).toBe('1,234,567');
    expect(formatNumber(0)).toBe('0');
  });

  it('shows whole US dollars, or compact ones for headlines', () => {
    expect(formatCurrency(1234567)).toBe('$1,234,567');
    expect(formatCurrency(1234567.89)).toBe('$1,234,568');
    expect(formatCurrency(1234567, { compact: true })).toBe('$1.2M');
    expect(formatCurrency(950, { compact: true })).toBe('$950');
    expect(formatCurrency(-2500)).toBe('-$2,500');
  });

  it('reads percentages as ratios, as Intl does', () => {
    expect(formatPercent(0.42)).toBe('42%');
    expect(formatPercent(0.125)).toBe('12.5%');
    expect(formatPercent(1)).toBe('100%');
  });

  it('shows a dash for a missing or non-finite figure rather than a misleading zero', () => {
    for (const missing of [null, undefined, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(formatNumber(missing)).toBe('—');
      expect(formatCurrency(missing)).toBe('—');
      expect(formatPercent(missing)).toBe('—');
    }
  });
});
