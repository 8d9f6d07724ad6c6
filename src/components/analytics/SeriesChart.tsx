import { useEffect, useId, useRef, useState } from 'react';
import { formatNumber } from '../../lib/format/numbers';
import type { ChartRuntime } from '../dashboard/ChartFrame';
import { readChartTheme, watchColourScheme, watchSize } from '../dashboard/chart-support';
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
 * calls). An island like the dashboard's charts: the server renders a table
 * with a column per series; once ECharts has drawn, the table stays for
 * screen readers only.
 */
export function SeriesChart(props: SeriesChartProps) {
  const { title, categories, series, stacked = false, height = 320 } = props;
  const headingId = useId();
  const canvasRef = useRef<HTMLDivElement>(null);
  const [runtime, setRuntime] = useState<ChartRuntime | null>(null);
  const empty = series.every((s) => s.values.every((v) => v === 0));

  useEffect(() => {
    if (empty) return;
    let live = true;
    load().then(
      (loaded) => {
        if (live) setRuntime(loaded);
      },
      () => {
        // Offline or blocked: the table already shows every number.
      },
    );
    return () => {
      live = false;
    };
  }, [empty]);

  useEffect(() => {
    const el = canvasRef.current;
    if (!runtime || !el) return;
    const chart = runtime.init(el, undefined, { renderer: 'svg' });
    const draw = () =>
      chart.setOption(seriesOption(categories, series, readChartTheme(el), stacked), true);
    draw();
    const stopResize = watchSize(el, () => chart.resize());
    const stopScheme = watchColourScheme(draw);
    return () => {
      stopResize();
      stopScheme();
      chart.dispose();
    };
  }, [runtime, categories, series, stacked]);

  const totals = series.map(
    (s) => `${s.name} ${formatNumber(s.values.reduce((a, b) => a + b, 0))}`,
  );
  return (
    <section className="card chart-card" aria-labelledby={headingId}>
      <h2 id={headingId} className="chart-title">
        {title}
      </h2>
      {empty ? (
        <p className="chart-empty">{props.emptyMessage ?? 'No data to chart yet.'}</p>
      ) : (
        <>
          <div
            ref={canvasRef}
            className="chart-canvas"
            role="img"
            aria-label={`${title}. ${categories.length} periods; totals: ${totals.join(', ')}.`}
            hidden={!runtime}
            style={{ height }}
          />
          <div className={runtime ? 'visually-hidden' : 'table-wrap chart-fallback'}>
            <table className="table">
              <caption className="visually-hidden">{title}</caption>
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
            </table>
          </div>
        </>
      )}
    </section>
  );
}
