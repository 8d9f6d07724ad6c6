/** ECharts with only what the pie chart draws (see echarts-bar.ts). */
import { PieChart } from 'echarts/charts';
import { LegendComponent, TooltipComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

use([PieChart, LegendComponent, TooltipComponent, SVGRenderer]);

export { init };
