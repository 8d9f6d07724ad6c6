import { barOption } from './bar-options';
import { ChartFrame } from './ChartFrame';
import type { ChartDatum, ChartProps, ChartTheme, ValueFormat } from './chart-support';

const load = () => import('./echarts-bar');
const build = (data: ChartDatum[], theme: ChartTheme, format: ValueFormat) =>
  barOption(data, theme, format, true);

/**
 * Horizontal bars in the order given, first at the top — for pipeline stages,
 * whose order means something. An island: use with `client:visible`.
 */
export function HorizontalBarChart(props: ChartProps) {
  return <ChartFrame {...props} kind="Horizontal bar chart" load={load} buildOption={build} />;
}
