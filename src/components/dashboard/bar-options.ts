import type { BarSeriesOption } from 'echarts/charts';
import type { GridComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import { type ChartDatum, type ChartTheme, formatValue, type ValueFormat } from './chart-support';

type BarOption = ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption>;

/** The shared look of both bar charts; `horizontal` swaps the axes. */
export function barOption(
  data: ChartDatum[],
  theme: ChartTheme,
  format: ValueFormat,
  horizontal: boolean,
): BarOption {
  const category = {
    type: 'category' as const,
    data: data.map((d) => d.label),
    // Pipeline order reads top-to-bottom; ECharts would otherwise start at the bottom.
    inverse: horizontal,
    axisTick: { show: false },
    axisLine: { lineStyle: { color: theme.border } },
    axisLabel: {
      color: theme.muted,
      // Every category labelled: tilted when there are too many to sit side by side.
      interval: 0,
      rotate: !horizontal && data.length > 4 ? 30 : 0,
      width: horizontal ? 120 : 100,
      overflow: 'truncate' as const,
    },
  };
  const value = {
    type: 'value' as const,
    splitNumber: 4,
    splitLine: { lineStyle: { color: theme.border } },
    // Horizontal bars carry their own value labels; an axis of "$300K $600K…" would crowd them.
    axisLabel: {
      show: !horizontal,
      color: theme.muted,
      hideOverlap: true,
      formatter: (v: number) => formatValue(v, format, true),
    },
  };
  return {
    animationDuration: 400,
    textStyle: { fontFamily: theme.font, color: theme.text },
    grid: { left: 8, right: horizontal ? 56 : 16, top: 16, bottom: 8, outerBoundsMode: 'same' },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      backgroundColor: theme.surface,
      borderColor: theme.border,
      textStyle: { color: theme.text },
      valueFormatter: (v) => formatValue(Number(v), format),
    },
    xAxis: horizontal ? value : category,
    yAxis: horizontal ? category : value,
    series: [
      {
        type: 'bar',
        data: data.map((d) => d.value),
        barMaxWidth: 44,
        itemStyle: {
          color: theme.palette[0],
          borderRadius: horizontal ? [0, 4, 4, 0] : [4, 4, 0, 0],
        },
        // Values at the bar ends spare the reader a trip to the axis on long pipelines.
        label: horizontal
          ? {
              show: true,
              position: 'right',
              color: theme.text,
              formatter: (p) => formatValue(Number(p.value), format, true),
            }
          : { show: false },
      },
    ],
  };
}
