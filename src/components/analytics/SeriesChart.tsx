import { useCallback } from 'react';
import { formatNumber } from '../../lib/format/numbers';
import { ChartCard } from '../dashboard/ChartCard';
import type { ChartTheme } from '../dashboard/chart-support';
import { type ChartRuntime, useEChart } from '../dashboard/useEChart';
import { type Series, seriesOption } from './series-options';

export interface SeriesChartProps {
  title: string;
  /** One label per bucket, e.g. "Apr 13". */
  categories: string[];
  series: Series[];
  stacked?: boolean;
  /** The fallback table's first column heading, e.g. "Day". */
  categoryHeader: string;
  emptyMessage?: string;
  height?: number;
}

const load = (): Promise<ChartRuntime> => import('./echarts-series');

/**
 * Several series over the same buckets (calls by outcome, leads beside
 * calls). An island like the dashboard's charts, whose fallback table has a
 * column per series.
 */
export function SeriesChart(props: SeriesChartProps) {
  const { title, categories, series, stacked = false, height = 320 } = props;
  const empty = series.every((s) => s.values.every((v) => v === 0));
  const option = useCallback(
    (theme: ChartTheme) => seriesOption(categories, series, theme, stacked),
    [categories, series, stacked],
  );
  const chart = useEChart(load, option, !empty);

  const totals = series.map(
    (s) => `${s.name} ${formatNumber(s.values.reduce((a, b) => a + b, 0))}`,
  );
  return (
    <ChartCard
      title={title}
      empty={empty}
      emptyMessage={props.emptyMessage}
      summary={() => `${categories.length} periods; totals: ${totals.join(', ')}.`}
      height={height}
      chart={chart}
    >
      <thead>
        <tr>
          <th scope="col">{props.categoryHeader}</th>
          {series.map((s) => (
            <th key={s.name} scope="col" className="num">
              {s.name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {categories.map((category, i) => (
          <tr key={category}>
            <th scope="row">{category}</th>
            {series.map((s) => (
              <td key={s.name} className="num">
                {formatNumber(s.values[i] ?? 0)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </ChartCard>
  );
}
