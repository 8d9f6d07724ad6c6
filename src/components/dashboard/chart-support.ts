import { formatCurrency, formatNumber } from '../../lib/format/numbers';

export interface ChartDatum {
  label: string;
  value: number;
}

export type ValueFormat = 'number' | 'currency';

/** What every chart island takes: plain data, so Astro can serialise it into the page. */
export interface ChartProps {
  title: string;
  data: ChartDatum[];
  valueFormat?: ValueFormat;
  height?: number;
  /** Headings of the fallback table's columns, e.g. "Source" and "Leads". */
  labelHeader?: string;
  valueHeader?: string;
  emptyMessage?: string;
}

export function formatValue(value: number, format: ValueFormat, compact = false): string {
  return format === 'currency' ? formatCurrency(value, { compact }) : formatNumber(value);
}

/** One sentence for the chart's aria-label; the fallback table carries every number. */
export function summarise(kind: string, data: ChartDatum[], format: ValueFormat): string {
  const top = data.reduce((best, d) => (d.value > best.value ? d : best));
  const items = `${data.length} ${data.length === 1 ? 'item' : 'items'}`;
  return `${kind}, ${items}; largest: ${top.label}, ${formatValue(top.value, format)}.`;
}

export interface ChartTheme {
  text: string;
  muted: string;
  border: string;
  surface: string;
  font: string;
  palette: string[];
}

/** The light theme's values, for when the stylesheet has not loaded (or in tests). */
const FALLBACK: ChartTheme = {
  text: '#1b2330',
  muted: '#5b6676',
  border: '#dde2e8',
  surface: '#ffffff',
  font: 'system-ui, sans-serif',
  palette: ['#2450c9', '#0f9b8e', '#e08a1e', '#8a4fd6', '#d04a6e', '#4a9be0', '#6b8e23', '#7a8699'],
};

/**
 * Canvas and SVG charts can't use var(--…), so the colours are read from the
 * CSS tokens at draw time; that is what lets dark mode reach the charts.
 */
export function readChartTheme(el: Element): ChartTheme {
  const style = getComputedStyle(el);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    text: read('--text', FALLBACK.text),
    muted: read('--muted', FALLBACK.muted),
    border: read('--border', FALLBACK.border),
    surface: read('--surface', FALLBACK.surface),
    font: read('--font-sans', FALLBACK.font),
    palette: FALLBACK.palette.map((colour, i) => read(`--chart-${i + 1}`, colour)),
  };
}

/** Calls `onResize` when the element's box changes, or the window's where ResizeObserver is missing. */
export function watchSize(el: Element, onResize: () => void): () => void {
  if (typeof ResizeObserver === 'function') {
    const observer = new ResizeObserver(() => onResize());
    observer.observe(el);
    return () => observer.disconnect();
  }
  window.addEventListener('resize', onResize);
  return () => window.removeEventListener('resize', onResize);
}

/** Redraws when the OS switches between light and dark while the page is open. */
export function watchColourScheme(onChange: () => void): () => void {
  if (typeof window.matchMedia !== 'function') return () => {};
  const query = window.matchMedia('(prefers-color-scheme: dark)');
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}
