import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseFaults } from './faults';
import type { SimulatorFaults } from './types';

/** What the control endpoints may do to a running simulator. */
export interface Controls {
  faults(): SimulatorFaults;
  setFaults(patch: Partial<SimulatorFaults>): void;
  resetFaults(): void;
  /** False when no tenant has this web key. */
  evolve(webKey: string, steps: number): boolean;
}

function send(res: ServerResponse, status: number, body: unknown) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
  });
  res.end(text);
}

/**
 * /__simulator/* lets a standalone simulator (the CLI, the benchmark) be
 * steered over HTTP. It needs the access token but never suffers faults, so a
 * test can always switch a fault off again.
 *
 *   GET    /__simulator/faults            → current faults
 *   POST   /__simulator/faults  {…}       → merge, answer the result
 *   DELETE /__simulator/faults            → back to no faults
 *   POST   /__simulator/evolve?webKey=…&steps=N
 */
export function handleControl(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: string,
  controls: Controls,
) {
  const action = url.pathname.slice('/__simulator/'.length);
  if (action === 'faults' && req.method === 'GET') return send(res, 200, controls.faults());
  if (action === 'faults' && req.method === 'DELETE') {
    controls.resetFaults();
    return send(res, 200, controls.faults());
  }
  if (action === 'faults' && req.method === 'POST') {
    let input: unknown;
    try {
      input = JSON.parse(body || '{}');
    } catch {
      return send(res, 400, 'faults body must be JSON');
    }
    const patch = parseFaults(input);
    if (typeof patch === 'string') return send(res, 400, patch);
    controls.setFaults(patch);
    return send(res, 200, controls.faults());
  }
  if (action === 'evolve' && req.method === 'POST') {
    const steps = Number(url.searchParams.get('steps') ?? '1');
    if (!Number.isInteger(steps) || steps < 1 || steps > 10_000)
      return send(res, 400, 'steps must be a whole number from 1 to 10000');
    if (!controls.evolve(url.searchParams.get('webKey') ?? '', steps))
      return send(res, 404, 'unknown tenant');
    return send(res, 200, { evolved: steps });
  }
  return send(res, 404, 'unknown control endpoint');
}
