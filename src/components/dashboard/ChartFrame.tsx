import type { EChartsCoreOption } from 'echarts/core';
import { useCallback } from 'react';
import { ChartCard } from './ChartCard';
import {
  type ChartDatum,
  type ChartProps,
  type ChartTheme,
  formatValue,
  summarise,
  type ValueFormat,
} from './chart-support';
import { type ChartRuntime, useEChart } from './useEChart';

interface ChartFrameProps extends ChartProps {
  /** "Bar chart", "Pie chart" — for the aria-label. */
  kind: string;
  /** Module-level functions, so the chart isn't redrawn from scratch on every render. */
  load: () => Promise<ChartRuntime>;
  buildOption: (data: ChartDatum[], theme: ChartTheme, format: ValueFormat) => EChartsCoreOption;
  /** Adds a share-of-total column to the table (pie charts). */
  showShare?: boolean;
}

/** One series of labelled values in a chart card: what the dashboard's bar and pie charts share. */
export function ChartFrame(props: ChartFrameProps) {
  const { title, data, valueFormat = 'number', height = 320, kind, load, buildOption } = props;
  const empty = data.length === 0;
  const option = useCallback(
    (theme: ChartTheme) => buildOption(data, theme, valueFormat),
    [buildOption, data, valueFormat],
  );
  const chart = useEChart(load, option, !empty);

  return (
    <ChartCard
      title={title}
      empty={empty}
      emptyMessage={props.emptyMessage}
      summary={() => summarise(kind, data, valueFormat)}
      height={height}
      chart={chart}
    >
      <FallbackRows {...props} format={valueFormat} />
    </ChartCard>
  );
}

function FallbackRows(props: ChartFrameProps & { format: ValueFormat }) {
  const { data, format, showShare } = props;
  const total = data.reduce((sum, d) => sum + d.value, 0);
  return (
    <>
      <thead>
        <tr>
          <th scope="col">{props.labelHeader ?? 'Category'}</th>
          <th scope="col" className="num">
            {props.valueHeader ?? (format === 'currency' ? 'Value' : 'Count')}
          </th>
          {showShare && (
            <th scope="col" className="num">
              Share
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {data.map((d, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: CRM labels may repeat; rows never reorder
          <tr key={i}>
            <th scope="row">{d.label}</th>
            <td className="num">{formatValue(d.value, format)}</td>
            {showShare && (
              <td className="num">{total > 0 ? `${Math.round((d.value / total) * 100)}%` : '—'}</td>
            )}
          </tr>
        ))}
      </tbody>
    </>
  );
}
