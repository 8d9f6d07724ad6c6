import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { backoffMs, parseRetryAfter } from '../../../src/lib/clienttether/retry';
import { envelope, type Reply, serve, testClient } from './client-server';

const users = envelope([{ user_id: '33590' }]);

/** Serves `faults` in order, then a good answer. */
async function serveFaultsThen(...faults: Reply[]) {
  return serve((_, index) => faults[index] ?? { body: users });
}

describe('ClientTether client: backoff', () => {
  it('sleeps 1 s, 2 s, 4 s with no jitter and then returns the last error', async () => {
    const server = await serve(() => ({ status: 500, body: 'boom' }));
    const { client, sleeps } = testClient(server.url);
    const result = await client.readUserList();
    expect(sleeps).toEqual([1000, 2000, 4000]);
    expect(server.requests).toHaveLength(4);
    expect(result).toMatchObject({
      ok: false,
      error: { kind: 'http', status: 500, retryable: true },
    });
  });

  it('adds at most 25 % jitter', async () => {
    const server = await serve(() => ({ status: 502 }));
    const { client, sleeps } = testClient(server.url, { random: () => 1 });
    await client.readUserList();
    expect(sleeps).toEqual([1250, 2500, 5000]);
  });

  it('recovers from one 500 after a single 1 s sleep', async () => {
    const server = await serveFaultsThen({ status: 500 });
    const { client, sleeps } = testClient(server.url);
    expect(await client.readUserList()).toMatchObject({ ok: true, data: [{ user_id: '33590' }] });
    expect(sleeps).toEqual([1000]);
  });

  it('waits exactly Retry-After on a 429, then succeeds', async () => {
    const server = await serveFaultsThen({ status: 429, headers: { 'Retry-After': '5' } });
    const { client, sleeps } = testClient(server.url);
    expect(await client.readUserList()).toMatchObject({ ok: true });
    expect(sleeps).toEqual([5000]);
  });

  it('backs off normally on a 429 without Retry-After', async () => {
    const server = await serveFaultsThen({ status: 429 });
    const { client, sleeps } = testClient(server.url);
    expect(await client.readUserList()).toMatchObject({ ok: true });
    expect(sleeps).toEqual([1000]);
  });

  it('returns rate_limited without waiting when Retry-After exceeds the cap', async () => {
    const server = await serve(() => ({ status: 429, headers: { 'Retry-After': '120' } }));
    const { client, sleeps } = testClient(server.url);
    const result = await client.readUserList();
    expect(result).toMatchObject({
      ok: false,
      error: { kind: 'rate_limited', status: 429, retryable: true },
    });
    expect(sleeps).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('ignores Retry-After on statuses other than 429 and 503', async () => {
    const server = await serveFaultsThen({ status: 500, headers: { 'Retry-After': '120' } });
    const { client, sleeps } = testClient(server.url);
    expect(await client.readUserList()).toMatchObject({ ok: true });
    expect(sleeps).toEqual([1000]);
  });

  it('does not retry a 400 or a 403', async () => {
    const server = await serve((_, index) => ({ status: index === 0 ? 400 : 403 }));
    const { client, sleeps } = testClient(server.url);
    expect(await client.readUserList()).toMatchObject({
      ok: false,
      error: { kind: 'http', status: 400 },
    });
    expect(await client.readUserList()).toMatchObject({
      ok: false,
      error: { kind: 'auth', status: 403 },
    });
    expect(server.requests).toHaveLength(2);
    expect(sleeps).toEqual([]);
  });

  it('retries a CT500 envelope', async () => {
    const server = await serveFaultsThen({
      body: { ResultCode: 'CT_500', Message: 'Unknown Error' },
    });
    const { client, sleeps } = testClient(server.url);
    expect(await client.readUserList()).toMatchObject({ ok: true });
    expect(sleeps).toEqual([1000]);
  });

  it('recovers from a malformed JSON body', async () => {
    const server = await serveFaultsThen({ body: '{"ResultCode":"CT_200","data":[{' });
    const { client, sleeps } = testClient(server.url);
    expect(await client.readUserList()).toMatchObject({ ok: true, data: [{ user_id: '33590' }] });
    expect(sleeps).toEqual([1000]);
  });

  it('makes one attempt when maxRetries is 0', async () => {
    const server = await serve(() => ({ status: 503 }));
    const { client, sleeps } = testClient(server.url, { maxRetries: 0 });
    expect(await client.readUserList()).toMatchObject({ ok: false, error: { status: 503 } });
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });
});

describe('ClientTether client: transport failures', () => {
  it('times out a server that never answers, after every retry', async () => {
    const server = await serve(() => ({ hang: true }));
    const { client, sleeps } = testClient(server.url, { timeoutMs: 200 });
    const result = await client.readUserList();
    expect(result).toMatchObject({ ok: false, error: { kind: 'timeout', retryable: true } });
    expect(server.requests).toHaveLength(4);
    expect(sleeps).toHaveLength(3);
  });

  it('reports a refused connection as network', async () => {
    const port = await closedPort();
    const { client, sleeps } = testClient(`http://127.0.0.1:${port}/v2/api/`);
    const result = await client.readUserList();
    expect(result).toMatchObject({
      ok: false,
      error: {
        kind: 'network',
        retryable: true,
        message: 'Could not reach ClientTether (ECONNREFUSED)',
      },
    });
    expect(sleeps).toEqual([1000, 2000, 4000]);
  });
});

describe('ClientTether client: called off by its signal', () => {
  it('aborts the request in flight at once, as aborted and without retrying', async () => {
    let received!: () => void;
    const arrived = new Promise<void>((resolve) => {
      received = resolve;
    });
    const server = await serve(() => {
      received();
      return { hang: true };
    });
    const stop = new AbortController();
    // A timeout far beyond the test's: only the signal can end the request.
    const { client, sleeps } = testClient(server.url, { signal: stop.signal, timeoutMs: 60_000 });
    const pending = client.readUserList();
    await arrived;
    stop.abort();
    expect(await pending).toMatchObject({
      ok: false,
      error: { kind: 'aborted', retryable: false, endpoint: 'read_user_list' },
    });
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('cuts a backoff short and sends nothing more', async () => {
    const server = await serve(() => ({ status: 429, headers: { 'Retry-After': '50' } }));
    const stop = new AbortController();
    let asleep!: () => void;
    const sleeping = new Promise<void>((resolve) => {
      asleep = resolve;
    });
    // A sleep that never ends by itself: the abort has to end it.
    const sleep = () => {
      asleep();
      return new Promise<void>(() => {});
    };
    const { client } = testClient(server.url, { signal: stop.signal, sleep });
    const pending = client.readUserList();
    await sleeping;
    stop.abort();
    expect(await pending).toMatchObject({ ok: false, error: { kind: 'aborted' } });
    expect(server.requests).toHaveLength(1);
  });

  it('sends nothing once the signal has fired', async () => {
    const server = await serve(() => ({ body: users }));
    const { client } = testClient(server.url, { signal: AbortSignal.abort() });
    expect(await client.readUserList()).toMatchObject({ ok: false, error: { kind: 'aborted' } });
    expect(server.requests).toHaveLength(0);
  });
});

describe('retry helpers', () => {
  it('grows the delay as 1, 2, 4 s', () => {
    expect([0, 1, 2].map((retry) => backoffMs(retry, () => 0.5))).toEqual([1125, 2250, 4500]);
  });

  it('reads Retry-After as seconds or an HTTP-date', () => {
    const now = Date.parse('2026-02-01T12:00:00Z');
    expect(parseRetryAfter('5', now)).toBe(5000);
    expect(parseRetryAfter('Sun, 01 Feb 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 01 Feb 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

/** A port that was free a moment ago and now has nothing listening. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
