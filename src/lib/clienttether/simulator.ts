/**
 * A local ClientTether API 2.0 (reference: docs clienttether-api.md §9.5) for
 * the demo, the tests and the benchmark: the same endpoints, envelope, paging,
 * result codes and string scalars as the real API, over per-tenant datasets
 * generated from a seed, plus switchable faults (429, 500, broken JSON,
 * quirky casing, resets, hangs) so clients are exercised against both.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { handleControl } from './simulator/control';
import { generateTenant } from './simulator/data';
import { fail, renderEnvelope } from './simulator/envelope';
import { evolveTenant } from './simulator/evolve';
import { DEFAULT_FAULTS, parseFaults, takeCountedFault } from './simulator/faults';
import { BadRequest, mergeParams, readBody } from './simulator/params';
import { ROUTES } from './simulator/routes';
import { snapshot, type TenantStore } from './simulator/store';
import type {
  ClientTetherSimulator,
  RequestLogEntry,
  SimulatorFaults,
  SimulatorOptions,
} from './simulator/types';

export type {
  ClientTetherSimulator,
  RequestLogEntry,
  SimulatorDataset,
  SimulatorFaults,
  SimulatorOptions,
  SimulatorTenant,
} from './simulator/types';

const API_PREFIX = '/v2/api/';
const CONTROL_PREFIX = '/__simulator/';
const LOG_LIMIT = 10_000;

const digest = (value: string) => createHash('sha256').update(value).digest();
const header = (req: IncomingMessage, name: string) => {
  const value = req.headers[name];
  return typeof value === 'string' ? value : '';
};

/** A malformed %-escape names no record; keep it raw rather than fail the request. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function sendText(res: ServerResponse, status: number, text: string, extra = {}) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...extra });
  res.end(text);
}

export async function startClientTetherSimulator(
  options: SimulatorOptions,
): Promise<ClientTetherSimulator> {
  if (!options.accessToken) throw new Error('the simulator needs an access token');
  const now = options.now ?? (() => new Date());
  const stores = new Map<string, TenantStore>();
  for (const tenant of options.tenants) {
    if (!tenant.webKey) throw new Error('every simulated tenant needs a web key');
    if (stores.has(tenant.webKey)) throw new Error('two simulated tenants share a web key');
    stores.set(tenant.webKey, generateTenant(tenant, now()));
  }
  const tokenDigest = digest(options.accessToken);
  let faults: SimulatorFaults = { ...DEFAULT_FAULTS };
  const log: RequestLogEntry[] = [];
  // Aborted by stop(), so hanging or slow answers never hold the shutdown.
  const stopping = new AbortController();

  const tokenOk = (req: IncomingMessage) =>
    timingSafeEqual(digest(header(req, 'x-access-token')), tokenDigest);
  const storeOf = (webKey: string) => {
    const store = stores.get(webKey);
    if (!store) throw new Error('no simulated tenant has that web key');
    return store;
  };
  const evolve = (webKey: string, steps = 1) => {
    const store = storeOf(webKey);
    for (let i = 0; i < steps; i++) evolveTenant(store, now());
  };
  const setFaults = (patch: Partial<SimulatorFaults>) => {
    const checked = parseFaults(patch);
    if (typeof checked === 'string') throw new Error(checked);
    faults = { ...faults, ...checked };
  };
  const resetFaults = () => {
    faults = { ...DEFAULT_FAULTS };
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const body = await readBody(req).catch(() => undefined);
    if (url.pathname.startsWith(CONTROL_PREFIX)) {
      if (!tokenOk(req)) return sendText(res, 401, 'Unauthorized');
      return handleControl(req, res, url, body ?? '', {
        faults: () => ({ ...faults }),
        setFaults,
        resetFaults,
        evolve: (webKey, steps) => {
          if (!stores.has(webKey)) return false;
          evolve(webKey, steps);
          return true;
        },
      });
    }
    const [endpoint = '', id] = url.pathname.startsWith(API_PREFIX)
      ? url.pathname.slice(API_PREFIX.length).split('/').map(decodeSegment)
      : [url.pathname];
    const webKey = header(req, 'x-web-key');
    const store = stores.get(webKey);
    const record = (status: number) => {
      if (log.length >= LOG_LIMIT) log.shift();
      log.push({
        endpoint,
        status,
        at: now().getTime(),
        webKeySuffix: store ? webKey.slice(-4) : '',
      });
    };

    if (faults.down) {
      record(0);
      req.socket.destroy();
      return;
    }
    const delay = faults.latencyMs + faults.hangMs;
    if (delay > 0) {
      await sleep(delay, undefined, { signal: stopping.signal });
      if (res.destroyed) return;
    }
    // The real API rejects bad credentials before it runs (reference §2): no envelope, no echo.
    if (!store || !tokenOk(req)) {
      record(401);
      return sendText(res, 401, 'Unauthorized');
    }
    if (!url.pathname.startsWith(API_PREFIX)) {
      record(404);
      return sendText(res, 404, 'Not Found');
    }
    const fault = takeCountedFault(faults);
    if (fault === 'rateLimited') {
      record(429);
      const retryAfter = String(faults.retryAfterSeconds);
      return sendText(res, 429, 'Too Many Requests', { 'retry-after': retryAfter });
    }
    if (fault === 'serverErrors') {
      record(500);
      return sendText(res, 500, 'Internal Server Error');
    }

    let result = fail(400);
    if (body !== undefined) {
      try {
        const params = mergeParams(url.searchParams, header(req, 'content-type'), body);
        const route = ROUTES[endpoint];
        result = route ? route(store, params, id || undefined, now()) : fail(404);
      } catch (error) {
        if (!(error instanceof BadRequest)) throw error;
      }
    }
    let text = renderEnvelope(result, faults.envelope);
    // A proper prefix of a JSON object is never valid JSON: the closing brace is missing.
    if (fault === 'malformedJson') text = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
    record(200);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(text);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      // Aborted by stop(), or a simulator bug: answer without leaking details.
      if (!res.headersSent && !res.destroyed) sendText(res, 500, 'Internal Server Error');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;

  const timer =
    options.evolveEveryMs && options.evolveEveryMs > 0
      ? setInterval(() => {
          for (const store of stores.values()) evolveTenant(store, now());
        }, options.evolveEveryMs)
      : undefined;
  let stopped: Promise<void> | undefined;

  return {
    url: `http://${host}:${port}${API_PREFIX}`,
    accessToken: options.accessToken,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        clearInterval(timer);
        stopping.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
    setFaults,
    resetFaults,
    evolve,
    dataset: (webKey) => snapshot(storeOf(webKey)),
    requestLog: () => [...log],
  };
}
