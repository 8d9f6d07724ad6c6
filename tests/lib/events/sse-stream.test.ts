/**
 * The SSE response on its own, with a hub and a Node response the test
 * controls: the stream's framing, its heartbeat, teardown when the client
 * goes away, and dropping a client that falls too far behind.
 */
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { LiveHub, Subscription } from '../../../src/lib/events/hub';
import { openEventStream } from '../../../src/lib/events/sse-stream';

const TENANT = '6f1d3c1e-2b7a-4c55-9d1e-0a0b0c0d0e0f';

function fakeHub() {
  const state = { subscribed: 0, closed: 0, sub: null as Subscription | null, lastEventId: '' };
  const hub: LiveHub = {
    async subscribe(sub, lastEventId) {
      state.subscribed += 1;
      state.sub = sub;
      state.lastEventId = lastEventId ?? '';
      sub.send({ id: 'abcd0123-0', type: 'campaign.status', data: { id: 'c', status: 'running' } });
      return () => {
        state.closed += 1;
      };
    },
    subscribers: () => state.subscribed - state.closed,
    stop: async () => {},
  };
  return { hub, state };
}

/** Just what the stream reads from Node's response: how much is unsent, and destroy(). */
function fakeResponse(unsent = 0) {
  const response = {
    writableLength: unsent,
    destroyed: false,
    destroy() {
      response.destroyed = true;
    },
  };
  return response;
}

function open(
  hub: LiveHub,
  response: ReturnType<typeof fakeResponse> | undefined,
  signal: AbortSignal,
) {
  return openEventStream({
    hub,
    tenantId: TENANT,
    campaignId: null,
    lastEventId: 'abcd0123-7',
    signal,
    heartbeatMs: 50,
    retryMs: 2000,
    maxBufferedBytes: 1000,
    response: response as unknown as ServerResponse,
  });
}

async function readFor(body: ReadableStream<Uint8Array>, ms: number) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + ms;
  let done = false;
  while (!done && Date.now() < deadline) {
    const next = await Promise.race([reader.read(), sleep(deadline - Date.now()).then(() => null)]);
    if (!next) break;
    if (next.done) done = true;
    else text += decoder.decode(next.value);
  }
  reader.releaseLock();
  return { text, done };
}

describe('openEventStream', () => {
  it('answers text/event-stream with a retry hint, events and heartbeats', async () => {
    const { hub, state } = fakeHub();
    const controller = new AbortController();
    const response = open(hub, fakeResponse(), controller.signal);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const { text } = await readFor(response.body as ReadableStream<Uint8Array>, 180);
    expect(text.startsWith('retry: 2000\n')).toBe(true);
    expect(text).toContain(
      'id: abcd0123-0\nevent: campaign.status\ndata: {"id":"c","status":"running"}\n\n',
    );
    expect(text.match(/: heartbeat\n\n/g)?.length).toBeGreaterThanOrEqual(2);
    expect(state.lastEventId).toBe('abcd0123-7');
    controller.abort();
  });

  it('unsubscribes and stops its heartbeat when the client goes away', async () => {
    const { hub, state } = fakeHub();
    const controller = new AbortController();
    const response = open(hub, fakeResponse(), controller.signal);
    await readFor(response.body as ReadableStream<Uint8Array>, 20);
    controller.abort();
    expect(state.closed).toBe(1);
    expect(hub.subscribers()).toBe(0);
  });

  it('drops a client with more unsent than the bound: closed, its buffer destroyed, unsubscribed', async () => {
    const { hub, state } = fakeHub();
    const node = fakeResponse();
    const response = open(hub, node, new AbortController().signal);
    const body = response.body as ReadableStream<Uint8Array>;
    await readFor(body, 20);
    node.writableLength = 1001; // the client stopped reading
    state.sub?.send({ id: 'abcd0123-1', type: 'campaign.status', data: {} });
    const after = await readFor(body, 100);
    expect(after.done).toBe(true);
    expect(after.text).toBe('');
    expect(node.destroyed).toBe(true);
    expect(state.closed).toBe(1);
  });

  it('serves a request it cannot watch only until its first heartbeat, then sends it to reconnect', async () => {
    const { hub, state } = fakeHub();
    const response = open(hub, undefined, new AbortController().signal);
    const { text, done } = await readFor(response.body as ReadableStream<Uint8Array>, 200);
    expect(text).toContain('event: campaign.status');
    expect(text.endsWith('retry: 250\n: reconnect\n\n')).toBe(true);
    expect(text).not.toContain(': heartbeat');
    expect(done).toBe(true);
    expect(state.closed).toBe(1);
  });
});
