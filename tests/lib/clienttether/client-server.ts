import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';
import { createClientTetherClient } from '../../../src/lib/clienttether/client';

/** Canary secrets: a test fails if either shows up anywhere it shouldn't. */
export const ACCESS_TOKEN = 'CT_canary_access_7b1f09e2';
export const WEB_KEY = 'CT_canary_webkey_4c8d5a31';

export interface SeenRequest {
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** A string is sent verbatim (for malformed JSON); anything else as JSON. */
  body?: unknown;
  /** Never answer, to exercise the client's timeout. */
  hang?: boolean;
}

/** A real HTTP server on 127.0.0.1:0 for one test; it records every request and closes afterwards. */
export async function serve(handler: (request: SeenRequest, index: number) => Reply) {
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const seen = { path: url.pathname, query: url.searchParams, headers: req.headers };
    requests.push(seen);
    const reply = handler(seen, requests.length - 1);
    if (reply.hang) return;
    const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  onTestFinished(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return { url: `http://127.0.0.1:${port}/v2/api/`, requests };
}

/** A CT200 envelope in the S4 casing. */
export function envelope(data: unknown[], total: number | string = data.length) {
  return { ResultCode: 'CT_200', Message: 'Success', TotalRecord: total, data };
}

/** A client on `url` with canary credentials, recorded sleeps and no jitter. */
export function testClient(
  url: string,
  options: Partial<Parameters<typeof createClientTetherClient>[0]> = {},
) {
  const sleeps: number[] = [];
  const client = createClientTetherClient({
    baseUrl: url,
    credentials: { accessToken: ACCESS_TOKEN, webKey: WEB_KEY },
    random: () => 0,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options,
  });
  return { client, sleeps };
}

/** Everything an async generator yields, in order. */
export async function collect<T>(generator: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of generator) out.push(item);
  return out;
}
