import type { EChartsCoreOption, init } from 'echarts/core';
import { useEffect, useId, useRef, useState } from 'react';
import {
  type ChartDatum,
  type ChartProps,
  type ChartTheme,
  formatValue,
  readChartTheme,
  summarise,
  type ValueFormat,
  watchColourScheme,
  watchSize,
} from './chart-support';

export interface ChartRuntime {
  init: typeof init;
}

interface ChartFrameProps extends ChartProps {
  /** "Bar chart", "Pie chart" — for the aria-label. */
  kind: string;
  /** Module-level functions, so the effects below don't re-run on every render. */
  load: () => Promise<ChartRuntime>;
  buildOption: (data: ChartDatum[], theme: ChartTheme, format: ValueFormat) => EChartsCoreOption;
  /** Adds a share-of-total column to the table (pie charts). */
  showShare?: boolean;
}

/**
 * The card every chart island shares. The server renders the heading and a
 * table of the numbers, so the page works without JavaScript; once ECharts has
 * loaded and drawn, the table stays in the page for screen readers only.
 */
export function ChartFrame(props: ChartFrameProps) {
  const { title, data, valueFormat = 'number', height = 320, kind, load, buildOption } = props;
  const headingId = useId();
  const canvasRef = useRef<HTMLDivElement>(null);
  const [runtime, setRuntime] = useState<ChartRuntime | null>(null);
  const empty = data.length === 0;

  // ECharts is fetched after hydration, keeping the island's first script small.
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
  }, [empty, load]);

  // Runs once the container is visible (it is `hidden` until then), so ECharts measures a real box.
  useEffect(() => {
    const el = canvasRef.current;
    if (!runtime || !el) return;
    const chart = runtime.init(el, undefined, { renderer: 'svg' });
    const draw = () => chart.setOption(buildOption(data, readChartTheme(el), valueFormat), true);
    draw();
    const stopResize = watchSize(el, () => chart.resize());
    const stopScheme = watchColourScheme(draw);
    return () => {
      stopResize();
      stopScheme();
      chart.dispose();
    };
  }, [runtime, data, valueFormat, buildOption]);

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
            aria-label={`${title}. ${summarise(kind, data, valueFormat)}`}
            hidden={!runtime}
            style={{ height }}
          />
          <FallbackTable {...props} hide={Boolean(runtime)} format={valueFormat} />
        </>
      )}
    </section>
  );
}

function FallbackTable(props: ChartFrameProps & { hide: boolean; format: ValueFormat }) {
  const { title, data, format, showShare, hide } = props;
  const total = data.reduce((sum, d) => sum + d.value, 0);
  return (
    <div className={hide ? 'visually-hidden' : 'table-wrap chart-fallback'}>
      <table className="table">
        <caption className="visually-hidden">{title}</caption>
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
                <td className="num">
                  {total > 0 ? `${Math.round((d.value / total) * 100)}%` : '—'}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
