/** Every request the soak makes, by route and by minute of the run: latency and whether it failed. */
import { summarise } from '../dispatch-stats';

interface Cell {
  ms: number[];
  errors: number;
}

export interface RouteFigures {
  requests: number;
  errors: number;
  p50: number;
  p95: number;
  max: number;
}

export class Recorder {
  /** minute (1-based) → route → cell; minute 0 is set-up, before the run. */
  private readonly minutes = new Map<number, Map<string, Cell>>();
  /** The first few failures, for the report. */
  readonly failures: string[] = [];
  private started = 0;

  start(now = performance.now()) {
    this.started = now;
  }

  minuteOf(now = performance.now()): number {
    return this.started === 0 ? 0 : Math.floor((now - this.started) / 60_000) + 1;
  }

  /** A request that ended: `ok` false for an unexpected status or a network error. */
  record(route: string, ms: number, ok: boolean, detail = '') {
    const minute = this.minuteOf();
    let routes = this.minutes.get(minute);
    if (!routes) {
      routes = new Map();
      this.minutes.set(minute, routes);
    }
    let cell = routes.get(route);
    if (!cell) {
      cell = { ms: [], errors: 0 };
      routes.set(route, cell);
    }
    cell.ms.push(ms);
    if (!ok) {
      cell.errors += 1;
      if (this.failures.length < 20) this.failures.push(`min ${minute} ${route}: ${detail}`);
    }
  }

  /** Figures per route over the given minutes (default: the whole run, set-up excluded). */
  byRoute(minutes?: number[]): Map<string, RouteFigures> {
    const merged = new Map<string, Cell>();
    for (const [minute, routes] of this.minutes) {
      if (minute === 0 || (minutes && !minutes.includes(minute))) continue;
      for (const [route, cell] of routes) {
        const into = merged.get(route) ?? { ms: [], errors: 0 };
        into.ms.push(...cell.ms);
        into.errors += cell.errors;
        merged.set(route, into);
      }
    }
    const out = new Map<string, RouteFigures>();
    for (const [route, cell] of [...merged].sort(([a], [b]) => a.localeCompare(b))) {
      const s = summarise(cell.ms);
      out.set(route, { requests: s.n, errors: cell.errors, p50: s.p50, p95: s.p95, max: s.max });
    }
    return out;
  }

  totals(minutes?: number[]) {
    let requests = 0;
    let errors = 0;
    for (const r of this.byRoute(minutes).values()) {
      requests += r.requests;
      errors += r.errors;
    }
    return { requests, errors };
  }
}

/** fetch with a timer: reads the whole body, records the route, never throws. */
export async function timedGet(
  recorder: Recorder,
  route: string,
  url: string,
  headers: Record<string, string>,
  expect = 200,
): Promise<{ status: number; body: string }> {
  const t0 = performance.now();
  try {
    const response = await fetch(url, { headers, redirect: 'manual' });
    const body = await response.text();
    recorder.record(
      route,
      performance.now() - t0,
      response.status === expect,
      `${response.status}`,
    );
    return { status: response.status, body };
  } catch (error) {
    recorder.record(route, performance.now() - t0, false, (error as Error).message);
    return { status: 0, body: '' };
  }
}
