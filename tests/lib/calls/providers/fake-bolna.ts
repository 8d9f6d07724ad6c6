/**
 * A fake Bolna API on 127.0.0.1:0 (call-providers.md §1): POST /call, GET
 * /executions/{id}, GET /v2/agent/{id}/executions (trimmed rows, paged, from/to),
 * POST /call/{id}/stop, Bearer auth. `override` answers chosen requests instead,
 * for status codes, malformed bodies and hangs. Every request is recorded.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

/** A canary key: a test fails if it shows up in any message. */
export const API_KEY = 'bn-canary-5e0c2b9d7a14f3';

export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** A string is sent verbatim; anything else as JSON. */
  body?: unknown;
  /** Never answer, to exercise the client's timeout. */
  hang?: boolean;
}

export type Execution = Record<string, unknown> & { id: string; status: string; agent_id: string };

export interface FakeBolnaOptions {
  /** `trimmed` (Bolna's list projection, no user data) or `full` rows in listings. */
  listRows?: 'trimmed' | 'full';
}

export interface FakeBolna {
  url: string;
  requests: SeenRequest[];
  executions: Map<string, Execution>;
  /** Answer requests with `handler`'s reply; undefined falls through to the fake. */
  override(handler: (request: SeenRequest, index: number) => Reply | undefined): void;
  addExecution(execution: Execution): void;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const STOPPABLE = new Set(['queued', 'scheduled']);

function trim(execution: Execution) {
  const telephony = (execution.telephony_data ?? {}) as Record<string, unknown>;
  return {
    id: execution.id,
    status: execution.status,
    conversation_duration: execution.conversation_duration ?? 0,
    created_at: execution.created_at,
    telephony_data: { to_number: telephony.to_number, duration: telephony.duration ?? null },
  };
}

export async function serveFakeBolna(options: FakeBolnaOptions = {}): Promise<FakeBolna> {
  const requests: SeenRequest[] = [];
  const executions = new Map<string, Execution>();
  let overrideHandler: ((request: SeenRequest, index: number) => Reply | undefined) | undefined;

  function route(request: SeenRequest): Reply {
    if (request.headers.authorization !== `Bearer ${API_KEY}`) {
      return { status: 401, body: { message: 'Access denied' } };
    }
    const { method, path, query } = request;
    if (method === 'POST' && path === '/call') {
      const body = (request.body ?? {}) as Record<string, unknown>;
      if (typeof body.agent_id !== 'string')
        return { status: 400, body: { message: 'agent_id required' } };
      const to = body.recipient_phone_number;
      if (typeof to !== 'string' || !E164.test(to)) {
        return { status: 400, body: { message: 'Invalid recipient_phone_number' } };
      }
      const id = randomUUID();
      executions.set(id, {
        id,
        agent_id: body.agent_id,
        status: 'queued',
        conversation_duration: 0,
        created_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
        context_details: { recipient_data: body.user_data ?? {}, recipient_phone_number: to },
        telephony_data: { to_number: to, from_number: body.from_phone_number ?? null },
      });
      return { body: { message: 'done', status: 'queued', execution_id: id } };
    }
    const execution = /^\/executions\/([^/]+)$/.exec(path);
    if (method === 'GET' && execution) {
      const found = executions.get(decodeURIComponent(execution[1] ?? ''));
      return found ? { body: found } : { status: 404, body: { message: 'Execution not found' } };
    }
    const stop = /^\/call\/([^/]+)\/stop$/.exec(path);
    if (method === 'POST' && stop) {
      const found = executions.get(decodeURIComponent(stop[1] ?? ''));
      if (!found) return { status: 404, body: { message: 'Execution not found' } };
      if (!STOPPABLE.has(found.status))
        return { status: 400, body: { message: 'Call is not queued' } };
      found.status = 'stopped';
      return { body: { message: 'Call stopped', status: 'stopped' } };
    }
    const listing = /^\/v2\/agent\/([^/]+)\/executions$/.exec(path);
    if (method === 'GET' && listing) {
      const agentId = decodeURIComponent(listing[1] ?? '');
      const page = Number(query.get('page_number') ?? '1');
      const size = Math.min(50, Number(query.get('page_size') ?? '20'));
      const from = query.has('from') ? Date.parse(query.get('from') ?? '') : -Infinity;
      const to = query.has('to') ? Date.parse(query.get('to') ?? '') : Infinity;
      const rows = [...executions.values()]
        .filter((e) => e.agent_id === agentId)
        .filter((e) => {
          const at = Date.parse(String(e.created_at));
          return at >= from && at <= to;
        })
        .reverse(); // newest first
      const data = rows.slice((page - 1) * size, page * size);
      return {
        body: {
          page_number: page,
          page_size: size,
          total: rows.length,
          has_more: page * size < rows.length,
          data: options.listRows === 'full' ? data : data.map(trim),
        },
      };
    }
    return { status: 404, body: { detail: 'Not Found' } };
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      const seen: SeenRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
      };
      requests.push(seen);
      const reply = overrideHandler?.(seen, requests.length - 1) ?? route(seen);
      if (reply.hang) return;
      const out = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      res.end(out);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  onTestFinished(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    executions,
    override: (handler) => {
      overrideHandler = handler;
    },
    addExecution: (execution) => {
      executions.set(execution.id, execution);
    },
  };
}
