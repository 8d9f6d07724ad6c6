import type { EChartsCoreOption, init } from 'echarts/core';
import { type RefObject, useEffect, useRef, useState } from 'react';
import { type ChartTheme, readChartTheme, watchColourScheme, watchSize } from './chart-support';

/** What a chart's lazily loaded ECharts module (`echarts-bar`, `echarts-series`…) exports. */
export interface ChartRuntime {
  init: typeof init;
}

export interface EChart {
  /** The chart's container: keep it `hidden` until `loaded`, so ECharts measures a real box. */
  canvasRef: RefObject<HTMLDivElement | null>;
  /** ECharts has loaded; the container is shown and the chart drawn into it. */
  loaded: boolean;
}

/**
 * Loads ECharts after hydration (keeping the island's first script small),
 * then draws into `canvasRef` and redraws on resize and colour-scheme changes.
 * `load` should be module-level and `option` memoised (useCallback): a new one
 * redraws the chart from scratch.
 */
export function useEChart(
  load: () => Promise<ChartRuntime>,
  option: (theme: ChartTheme) => EChartsCoreOption,
  enabled: boolean,
): EChart {
  const canvasRef = useRef<HTMLDivElement>(null);
  const [runtime, setRuntime] = useState<ChartRuntime | null>(null);

  useEffect(() => {
    if (!enabled) return;
    let live = true;
    load().then(
      (loaded) => {
        if (live) setRuntime(loaded);
      },
      () => {
        // Offline or blocked: the fallback table already shows every number.
      },
    );
    return () => {
      live = false;
    };
  }, [enabled, load]);

  // Runs once the container is visible (it is `hidden` until then), so ECharts measures a real box.
  useEffect(() => {
    const el = canvasRef.current;
    if (!runtime || !el) return;
    const chart = runtime.init(el, undefined, { renderer: 'svg' });
    const draw = () => chart.setOption(option(readChartTheme(el)), true);
    draw();
    const stopResize = watchSize(el, () => chart.resize());
    const stopScheme = watchColourScheme(draw);
    return () => {
      stopResize();
      stopScheme();
      chart.dispose();
    };
  }, [runtime, option]);

  return { canvasRef, loaded: runtime !== null };
}
