/**
 * A fake Bolna API on the test process, shared by every worker process under
 * test (so it outlives any of them): POST /call, GET /executions/:id and the
 * agent's executions listing, as src/lib/calls/providers/bolna.ts uses them.
 *
 * It can hold its answers to dials (a worker killed while waiting has had its
 * calls accepted and recorded nothing), and it can play each accepted call
 * out: ringing, then a final status posted to the tenant's webhook URL after
 * a while, sometimes twice and sometimes after a late `ringing` (Bolna retries
 * and reorders). It keeps the high-water mark of calls in flight, counting a
 * call from its acceptance until its final webhook is *sent*: the system
 * frees a slot only when it has applied that webhook, so a count over a cap
 * here is a cap exceeded for real.
 *
 * It can also go down: its API refuses connections (the port closes, open
 * connections are cut) until it comes back on the same port. Calls already
 * under way go on and post their webhooks meanwhile: those come from Bolna's
 * telephony side, not from the API that is down.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CALL_REF_KEY } from '../../src/lib/calls/providers/types';

export interface FakeExecution {
  id: string;
  status: string;
  agent_id: string;
  user_data: Record<string, unknown>;
  created_at: string;
  /** Set when the call ends, as Bolna's execution record carries it (GET /executions/:id). */
  conversation_duration?: number;
}

export interface PlayOptions {
  /** Where this agent's webhooks go (one of them at random per delivery). */
  webhookUrls: (agentId: string) => string[];
  /** How long a call lasts, ms. */
  durationMs: [number, number];
  /** Chance that the final status is delivered twice, and that a stale `ringing` follows it. */
  duplicate?: number;
  reorder?: number;
  /** Chance that the final status is never delivered (the system must ask GET /executions/:id). */
  dropFinal?: number;
}

/** How a dial is answered: accepted, or refused as Bolna does when it is down or busy. */
export type DialAnswer = 'accept' | 'error-500' | 'rate-limited';

export interface FakeBolna {
  url: string;
  executions: FakeExecution[];
  bodies: Record<string, unknown>[];
  heldCount: () => number;
  /** From now on dials are answered at once. */
  answerAtOnce: () => void;
  /** Most calls in flight at once, overall and per key (`keyOf` the call's reference). */
  highWater: () => { total: number; byKey: Map<string, number> };
  /** Final webhooks sent and answered (2xx) so far, those dropped on purpose, and failed deliveries. */
  delivered: () => { finals: number; dropped: number; failures: string[] };
  /** Dials refused on purpose, by answer. */
  refused: () => Record<Exclude<DialAnswer, 'accept'>, number>;
  /** The API stops accepting connections (the ones open are cut) until `comeBack`. */
  goDown: () => Promise<void>;
  /** Listens again on the same port. */
  comeBack: () => Promise<void>;
  close: () => Promise<void>;
}

const between = ([min, max]: [number, number]) => min + Math.random() * (max - min);

export async function startFakeBolna(
  options: {
    agents: string[];
    hold?: boolean;
    play?: PlayOptions;
    keyOf?: (ref: string) => string;
    answer?: () => DialAnswer;
  } = { agents: [] },
): Promise<FakeBolna> {
  const executions: FakeExecution[] = [];
  const bodies: Record<string, unknown>[] = [];
  const held: ServerResponse[] = [];
  let holding = options.hold ?? false;
  const inFlight = new Map<string, number>();
  let total = 0;
  let peak = 0;
  const peakByKey = new Map<string, number>();
  let finals = 0;
  let dropped = 0;
  const refused: Record<Exclude<DialAnswer, 'accept'>, number> = {
    'error-500': 0,
    'rate-limited': 0,
  };
  const failures: string[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  async function post(agentId: string, payload: unknown, final: boolean) {
    const urls = options.play?.webhookUrls(agentId) ?? [];
    const url = urls[Math.floor(Math.random() * urls.length)];
    if (!url) return;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      });
      await response.text();
      if (!response.ok) failures.push(`${url}: ${response.status}`);
      else if (final) finals += 1;
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why = cause ? ` (${cause.code ?? cause.message})` : '';
      failures.push(`${url}: ${(error as Error).message}${why}`);
    }
  }

  function play(execution: FakeExecution) {
    const plan = options.play;
    if (!plan) return;
    const ref = String(execution.user_data[CALL_REF_KEY] ?? '');
    const key = options.keyOf?.(ref) ?? '';
    total += 1;
    peak = Math.max(peak, total);
    inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
    peakByKey.set(key, Math.max(peakByKey.get(key) ?? 0, inFlight.get(key) ?? 0));
    const base = { id: execution.id, agent_id: execution.agent_id, user_data: execution.user_data };
    later(20, () => void post(execution.agent_id, { ...base, status: 'ringing' }, false));
    later(between(plan.durationMs), () => {
      execution.status = 'completed';
      execution.conversation_duration = 12;
      total -= 1;
      inFlight.set(key, (inFlight.get(key) ?? 1) - 1);
      const done = { ...base, status: 'completed', conversation_duration: 12 };
      if (Math.random() < (plan.dropFinal ?? 0)) {
        dropped += 1;
        return;
      }
      void post(execution.agent_id, done, true);
      if (Math.random() < (plan.duplicate ?? 0))
        later(15, () => void post(execution.agent_id, done, false));
      if (Math.random() < (plan.reorder ?? 0))
        later(30, () => void post(execution.agent_id, { ...base, status: 'ringing' }, false));
    });
  }

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'POST' && url.pathname === '/call') {
      let text = '';
      for await (const chunk of req) text += chunk;
      const body = JSON.parse(text) as { agent_id: string; user_data: Record<string, unknown> };
      bodies.push(body);
      const how = options.answer?.() ?? 'accept';
      if (how === 'error-500') {
        refused[how] += 1;
        return json(500, { message: 'internal error' });
      }
      if (how === 'rate-limited') {
        refused[how] += 1;
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
        return res.end(JSON.stringify({ message: 'too many requests' }));
      }
      const execution: FakeExecution = {
        id: `exec-${executions.length + 1}`,
        status: 'queued',
        agent_id: body.agent_id,
        user_data: body.user_data,
        created_at: new Date().toISOString(),
      };
      executions.push(execution);
      const answer = () => {
        json(200, { message: 'done', status: 'queued', execution_id: execution.id });
        play(execution);
      };
      if (holding) held.push(res);
      else answer();
      return;
    }
    const one = /^\/executions\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && one) {
      const found = executions.find((e) => e.id === one[1]);
      return found ? json(200, found) : json(404, { message: 'not found' });
    }
    const listing = /^\/v2\/agent\/([^/]+)\/executions$/.exec(url.pathname);
    if (req.method === 'GET' && listing && options.agents.includes(listing[1] ?? '')) {
      return json(200, {
        data: executions.filter((e) => e.agent_id === listing[1]),
        has_more: false,
      });
    }
    json(404, { message: 'no such route' });
  });
  const listen = (port: number) =>
    new Promise<void>((done, fail) => {
      server.once('error', fail);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', fail);
        done();
      });
    });
  await listen(0);
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    executions,
    bodies,
    heldCount: () => held.length,
    answerAtOnce: () => {
      holding = false;
    },
    highWater: () => ({ total: peak, byKey: new Map(peakByKey) }),
    delivered: () => ({ finals, dropped, failures: [...failures] }),
    refused: () => ({ ...refused }),
    goDown: async () => {
      const closed = new Promise((done) => server.close(done));
      server.closeAllConnections();
      await closed;
    },
    comeBack: async () => {
      try {
        await listen(port);
      } catch (error) {
        throw new Error(`the fake Bolna could not listen on its port ${port} again`, {
          cause: error,
        });
      }
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
}
