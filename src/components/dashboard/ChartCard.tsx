import { type ReactNode, useId } from 'react';
import type { EChart } from './useEChart';

interface ChartCardProps {
  title: string;
  /** Nothing to chart: the card shows `emptyMessage` instead of a chart and table. */
  empty: boolean;
  emptyMessage?: string;
  /** One sentence for screen readers (asked only when there is data); the table carries every number. */
  summary: () => string;
  height: number;
  chart: EChart;
  /** The fallback table's `<thead>` and `<tbody>`. */
  children: ReactNode;
}

/**
 * The card every chart island shares. The server renders the heading and a
 * table of the numbers, so the page works without JavaScript; once ECharts has
 * loaded and drawn, the table stays in the page for screen readers only.
 */
export function ChartCard(props: ChartCardProps) {
  const { title, chart, height } = props;
  const headingId = useId();
  return (
    <section className="card chart-card" aria-labelledby={headingId}>
      <h2 id={headingId} className="chart-title">
        {title}
      </h2>
      {props.empty ? (
        <p className="chart-empty">{props.emptyMessage ?? 'No data to chart yet.'}</p>
      ) : (
        <>
          <div
            ref={chart.canvasRef}
            className="chart-canvas"
            role="img"
            aria-label={`${title}. ${props.summary()}`}
            hidden={!chart.loaded}
            style={{ height }}
          />
          <div className={chart.loaded ? 'visually-hidden' : 'table-wrap chart-fallback'}>
            <table className="table">
              <caption className="visually-hidden">{title}</caption>
              {props.children}
            </table>
          </div>
        </>
      )}
    </section>
  );
}
