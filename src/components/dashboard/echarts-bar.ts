/**
 * ECharts with only what the bar charts draw, so the bundler leaves the rest
 * of the library out. Loaded after hydration (see ChartFrame).
 */
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

use([BarChart, GridComponent, TooltipComponent, SVGRenderer]);

export { init };
