/**
 * Number formats for the dashboards: en-US, whole dollars. Formatters are
 * built once because Intl constructors are slow enough to show up on pages
 * that format thousands of table cells.
 */
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const currency = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 0,
});
const compactCurrency = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  notation: 'compact',
  maximumFractionDigits: 1,
});
const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });

/** Aggregates can be null (an average of no deals); show a dash rather than "$0". */
type Maybe = number | null | undefined;
const MISSING = '—';
const usable = (n: Maybe): n is number => typeof n === 'number' && Number.isFinite(n);

/** 1234567 → "1,234,567". */
export function formatNumber(n: Maybe): string {
  return usable(n) ? integer.format(n) : MISSING;
}

/** 1234567 → "$1,234,567"; with `compact` → "$1.2M" (axis labels, KPI cards). */
export function formatCurrency(n: Maybe, options: { compact?: boolean } = {}): string {
  if (!usable(n)) return MISSING;
  return (options.compact ? compactCurrency : currency).format(n);
}

/** A ratio, as Intl reads it: 0.42 → "42%", 0.125 → "12.5%". Divide likelihoods (0–100) by 100. */
export function formatPercent(n: Maybe): string {
  return usable(n) ? percent.format(n) : MISSING;
}
