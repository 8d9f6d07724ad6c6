import type { PieSeriesOption } from 'echarts/charts';
import type { LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import { ChartFrame } from './ChartFrame';
import {
  type ChartDatum,
  type ChartProps,
  type ChartTheme,
  formatValue,
  type ValueFormat,
} from './chart-support';

type PieOption = ComposeOption<PieSeriesOption | LegendComponentOption | TooltipComponentOption>;

const load = () => import('./echarts-pie');

/** A donut with a legend below: slice labels collide on phones, the legend scrolls instead. */
function build(data: ChartDatum[], theme: ChartTheme, format: ValueFormat): PieOption {
  return {
    animationDuration: 400,
    color: theme.palette,
    textStyle: { fontFamily: theme.font, color: theme.text },
    tooltip: {
      trigger: 'item',
      backgroundColor: theme.surface,
      borderColor: theme.border,
      textStyle: { color: theme.text },
      formatter: (p) => {
        const item = Array.isArray(p) ? p[0] : p;
        if (!item) return '';
        return `${item.name}: ${formatValue(Number(item.value), format)} (${item.percent ?? 0}%)`;
      },
    },
    legend: { type: 'scroll', bottom: 0, textStyle: { color: theme.muted }, icon: 'circle' },
    series: [
      {
        type: 'pie',
        radius: ['45%', '72%'],
        center: ['50%', '44%'],
        avoidLabelOverlap: true,
        label: { show: false },
        itemStyle: { borderColor: theme.surface, borderWidth: 2, borderRadius: 4 },
        data: data.map((d) => ({ name: d.label, value: d.value })),
      },
    ],
  };
}

/** Shares of a whole, e.g. leads by stage. An island: use with `client:visible`. */
export function PieChart(props: ChartProps) {
  return <ChartFrame {...props} kind="Pie chart" load={load} buildOption={build} showShare />;
}
