import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type {
  GridComponentOption,
  LegendComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import { formatNumber } from '../../lib/format/numbers';
import type { ChartTheme } from '../dashboard/chart-support';

export interface Series {
  name: string;
  values: number[];
  /** Draw as a line over the bars (e.g. leads beside calls). */
  line?: boolean;
}

type SeriesOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
>;

/** Bars per category (stacked when asked), lines where a series says so, colours from the theme. */
export function seriesOption(
  categories: string[],
  series: Series[],
  theme: ChartTheme,
  stacked: boolean,
): SeriesOption {
  return {
    animationDuration: 400,
    textStyle: { fontFamily: theme.font, color: theme.text },
    color: theme.palette,
    legend: { top: 0, textStyle: { color: theme.muted }, type: 'scroll' },
    grid: { left: 8, right: 16, top: 36, bottom: 8, outerBoundsMode: 'same' },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      backgroundColor: theme.surface,
      borderColor: theme.border,
      textStyle: { color: theme.text },
      valueFormatter: (v) => formatNumber(Number(v)),
    },
    xAxis: {
      type: 'category',
      data: categories,
      axisTick: { show: false },
      axisLine: { lineStyle: { color: theme.border } },
      axisLabel: { color: theme.muted, hideOverlap: true },
    },
    yAxis: {
      type: 'value',
      splitNumber: 4,
      minInterval: 1,
      splitLine: { lineStyle: { color: theme.border } },
      axisLabel: { color: theme.muted, hideOverlap: true },
    },
    series: series.map((s) =>
      s.line
        ? { type: 'line' as const, name: s.name, data: s.values, smooth: true, symbolSize: 5 }
        : {
            type: 'bar' as const,
            name: s.name,
            data: s.values,
            barMaxWidth: 36,
            stack: stacked ? 'total' : undefined,
          },
    ),
  };
}
