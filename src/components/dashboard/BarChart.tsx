import { barOption } from './bar-options';
import { ChartFrame } from './ChartFrame';
import type { ChartDatum, ChartProps, ChartTheme, ValueFormat } from './chart-support';

const load = () => import('./echarts-bar');
const build = (data: ChartDatum[], theme: ChartTheme, format: ValueFormat) =>
  barOption(data, theme, format, false);

/** Vertical bars, e.g. leads by source. An island: use with `client:visible`. */
export function BarChart(props: ChartProps) {
  return <ChartFrame {...props} kind="Bar chart" load={load} buildOption={build} />;
}
