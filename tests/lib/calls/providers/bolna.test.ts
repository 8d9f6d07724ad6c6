import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createBolnaProvider, type PlaceCallInput } from '../../../../src/lib/calls/providers';
import { API_KEY, type Execution, type Reply, serveFakeBolna } from './fake-bolna';

const AGENT = '3c90c3cc-0d44-4b50-8888-8dd25736052a';
const INPUT: PlaceCallInput = {
  agentId: AGENT,
  to: '+14155550123',
  from: '+14155550999',
  callRef: 'cq_81#1',
  userData: { first_name: 'Dana', company: 'Acme' },
};

function provider(url: string, extra: Partial<Parameters<typeof createBolnaProvider>[0]> = {}) {
  const sleeps: number[] = [];
  const bolna = createBolnaProvider({
    apiKey: API_KEY,
    baseUrl: url,
    timeoutMs: 2_000,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...extra,
  });
  return { bolna, sleeps };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const noKey = (value: unknown) => expect(JSON.stringify(value)).not.toContain(API_KEY);

describe('Bolna provider: placeCall', () => {
  it('POSTs /call with Bearer auth, JSON, and the call ref in user_data', async () => {
    const fake = await serveFakeBolna();
    const result = await provider(fake.url).bolna.placeCall(INPUT);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(fake.executions.has(result.executionId)).toBe(true);
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/call' });
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.body).toEqual({
      agent_id: AGENT,
      recipient_phone_number: '+14155550123',
      from_phone_number: '+14155550999',
      user_data: { first_name: 'Dana', company: 'Acme', switchboard_call_id: 'cq_81#1' },
    });
  });

  it('omits from_phone_number when there is none, and never sends retry_config', async () => {
    const fake = await serveFakeBolna();
    await provider(fake.url).bolna.placeCall({ ...INPUT, from: null });
    const body = fake.requests[0]?.body as Record<string, unknown>;
    expect(body).not.toHaveProperty('from_phone_number');
    expect(body).not.toHaveProperty('retry_config');
  });

  it('lets the call ref win over a user_data key of the same name', async () => {
    const fake = await serveFakeBolna();
    const userData = { switchboard_call_id: 'spoofed' };
    await provider(fake.url).bolna.placeCall({ ...INPUT, userData });
    expect(fake.requests[0]?.body).toMatchObject({ user_data: { switchboard_call_id: 'cq_81#1' } });
  });

  it('accepts a numeric execution id as a string', async () => {
    const fake = await serveFakeBolna();
    fake.override(() => ({ body: { message: 'done', status: 'queued', execution_id: 7432 } }));
    expect(await provider(fake.url).bolna.placeCall(INPUT)).toEqual({
      ok: true,
      executionId: '7432',
    });
  });

  const cases: [string, Reply, Record<string, unknown>][] = [
    ['401', { status: 401, body: { message: 'Access denied' } }, { failure: 'auth' }],
    ['403', { status: 403, body: { message: 'Forbidden' } }, { failure: 'auth' }],
    ['402', { status: 402, body: { message: 'Payment required' } }, { failure: 'balance_low' }],
    [
      '400 mentioning balance',
      { status: 400, body: { message: 'Insufficient balance to place call' } },
      { failure: 'balance_low' },
    ],
    [
      '400 about the number',
      { status: 400, body: { message: 'Invalid recipient_phone_number' } },
      { failure: 'invalid_number' },
    ],
    [
      '422 validation error on the number',
      {
        status: 422,
        body: { detail: [{ loc: ['body', 'recipient_phone_number'], msg: 'not E.164' }] },
      },
      { failure: 'invalid_number', message: expect.stringContaining('recipient_phone_number') },
    ],
    [
      '400 about our caller id',
      { status: 400, body: { message: 'from_phone_number is not verified' } },
      { failure: 'fatal' },
    ],
    [
      '429 with Retry-After seconds',
      { status: 429, headers: { 'retry-after': '7' }, body: { message: 'Too many' } },
      { failure: 'rate_limited', retryAfterMs: 7_000 },
    ],
    [
      '429 without Retry-After',
      { status: 429, body: {} },
      { failure: 'rate_limited', retryAfterMs: 60_000 },
    ],
    ['500', { status: 500, body: 'Internal Server Error' }, { failure: 'retryable' }],
    ['502', { status: 502, body: '<html>bad gateway</html>' }, { failure: 'retryable' }],
    ['503', { status: 503, body: {} }, { failure: 'retryable' }],
    [
      '404 (unknown agent)',
      { status: 404, body: { message: 'Agent not found' } },
      { failure: 'fatal' },
    ],
    [
      '400 otherwise',
      { status: 400, body: { message: 'agent is disabled' } },
      { failure: 'fatal' },
    ],
    [
      '200 without an execution id',
      { status: 200, body: { message: 'done' } },
      { failure: 'retryable', unconfirmed: true },
    ],
  ];

  it.each(cases)('maps %s after exactly one request', async (_, reply, expected) => {
    const fake = await serveFakeBolna();
    fake.override(() => reply);
    const result = await provider(fake.url).bolna.placeCall(INPUT);
    expect(result).toMatchObject({ ok: false, ...expected });
    expect(fake.requests).toHaveLength(1);
    if (!result.ok) expect(result.message).toMatch(/Bolna/);
    noKey(result);
  });

  it('maps an HTTP-date Retry-After to the wait until then', async () => {
    const fake = await serveFakeBolna();
    const at = new Date(Date.now() + 30_000).toUTCString();
    fake.override(() => ({ status: 429, headers: { 'retry-after': at } }));
    const result = await provider(fake.url).bolna.placeCall(INPUT);
    expect(result.ok ? 0 : result.retryAfterMs).toBeGreaterThan(25_000);
    expect(result.ok ? 0 : result.retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it('keeps the key out of messages even when Bolna echoes it', async () => {
    const fake = await serveFakeBolna();
    const echoes = [
      { status: 401, body: { message: `Invalid key ${API_KEY}` } },
      { status: 400, body: { message: `Bad request with Bearer ${API_KEY}` } },
      { status: 400, body: { detail: `Authorization: Bearer ${API_KEY} phone number invalid` } },
      { status: 402, body: { message: `balance low for ${API_KEY}` } },
      { status: 500, body: { error: `crash ${API_KEY}` } },
      { status: 404, body: { message: `nothing for key=${API_KEY}` } },
    ];
    fake.override((_, index) => echoes[index]);
    const { bolna } = provider(fake.url);
    const results = [];
    for (const _ of echoes) results.push(await bolna.placeCall(INPUT));
    expect(results.map((r) => !r.ok && r.failure)).toEqual([
      'auth',
      'fatal',
      'invalid_number',
      'balance_low',
      'retryable',
      'fatal',
    ]);
    noKey(results);
    expect(JSON.stringify(results)).toContain('[redacted]');
  });

  it('reports a timeout as retryable without waiting longer than timeoutMs', async () => {
    const fake = await serveFakeBolna();
    fake.override(() => ({ hang: true }));
    const started = Date.now();
    const result = await provider(fake.url, { timeoutMs: 150 }).bolna.placeCall(INPUT);
    // Bolna may have placed the call before the answer was lost: the dispatcher looks it up.
    expect(result).toEqual({
      ok: false,
      failure: 'retryable',
      message: 'Bolna did not answer within 150 ms',
      unconfirmed: true,
    });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('reports a refused connection as retryable', async () => {
    const port = await closedPort();
    const result = await provider(`http://127.0.0.1:${port}`).bolna.placeCall(INPUT);
    expect(result).toMatchObject({ ok: false, failure: 'retryable' });
    expect(result.ok ? '' : result.message).toMatch(/^Could not reach Bolna/);
    // Nothing was sent, so nothing needs looking up.
    expect(result.ok ? true : result.unconfirmed).toBeUndefined();
  });

  it('stops when the caller aborts', async () => {
    const fake = await serveFakeBolna();
    fake.override(() => ({ hang: true }));
    const controller = new AbortController();
    const pending = provider(fake.url).bolna.placeCall(INPUT, controller.signal);
    setTimeout(() => controller.abort(), 20);
    expect(await pending).toMatchObject({ ok: false, failure: 'retryable', message: /cancelled/ });
  });

  it('refuses to start without a key', () => {
    expect(() => createBolnaProvider({ apiKey: '' })).toThrow(/API key/);
  });
});

describe('Bolna provider: getExecution', () => {
  const execution: Execution = {
    id: 'ex-1',
    agent_id: AGENT,
    status: 'completed',
    conversation_duration: 41,
    answered_by_voice_mail: false,
    created_at: '2026-05-01T10:00:00Z',
  };

  it('GETs /executions/{id} and reads it into a snapshot', async () => {
    const fake = await serveFakeBolna();
    fake.addExecution(execution);
    const result = await provider(fake.url).bolna.getExecution('ex-1');
    expect(result).toEqual({
      ok: true,
      execution: { executionId: 'ex-1', status: 'completed', durationSeconds: 41, raw: execution },
    });
    expect(fake.requests[0]).toMatchObject({ method: 'GET', path: '/executions/ex-1' });
    expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('answers null for a 404', async () => {
    const fake = await serveFakeBolna();
    expect(await provider(fake.url).bolna.getExecution('nope')).toEqual({
      ok: true,
      execution: null,
    });
  });

  it('escapes the id in the path', async () => {
    const fake = await serveFakeBolna();
    await provider(fake.url).bolna.getExecution('a/../b?c');
    expect(fake.requests[0]?.path).toBe('/executions/a%2F..%2Fb%3Fc');
  });

  it('retries a 5xx twice, with the waits it reports', async () => {
    const fake = await serveFakeBolna();
    fake.addExecution(execution);
    fake.override((_, index) => (index < 2 ? { status: 503 } : undefined));
    const { bolna, sleeps } = provider(fake.url);
    expect(await bolna.getExecution('ex-1')).toMatchObject({
      ok: true,
      execution: { status: 'completed' },
    });
    expect(fake.requests).toHaveLength(3);
    expect(sleeps).toEqual([500, 1_000]);
  });

  it('gives up after three attempts', async () => {
    const fake = await serveFakeBolna();
    fake.override(() => ({ status: 500, body: { message: `boom ${API_KEY}` } }));
    const result = await provider(fake.url).bolna.getExecution('ex-1');
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/HTTP 500/) });
    expect(fake.requests).toHaveLength(3);
    noKey(result);
  });

  it('retries timeouts', async () => {
    const fake = await serveFakeBolna();
    fake.addExecution(execution);
    fake.override((_, index) => (index === 0 ? { hang: true } : undefined));
    const result = await provider(fake.url, { timeoutMs: 100 }).bolna.getExecution('ex-1');
    expect(result).toMatchObject({ ok: true, execution: { executionId: 'ex-1' } });
    expect(fake.requests).toHaveLength(2);
  });

  it('does not retry auth failures or 429', async () => {
    for (const status of [401, 429]) {
      const fake = await serveFakeBolna();
      fake.override(() => ({ status }));
      const result = await provider(fake.url).bolna.getExecution('ex-1');
      expect(result.ok).toBe(false);
      expect(fake.requests).toHaveLength(1);
    }
  });

  it('refuses a body it cannot read', async () => {
    const fake = await serveFakeBolna();
    fake.override(() => ({ body: { id: 'ex-1', status: 'teleported' } }));
    expect(await provider(fake.url).bolna.getExecution('ex-1')).toEqual({
      ok: false,
      message: 'Bolna sent an execution we could not read',
    });
  });
});

describe('Bolna provider: findExecutionByRef', () => {
  const since = new Date('2026-05-01T10:00:00Z');
  const now = () => new Date('2026-05-01T10:05:00Z');

  function addCalls(fake: Awaited<ReturnType<typeof serveFakeBolna>>, count: number) {
    for (let i = 0; i < count; i += 1) {
      fake.addExecution({
        id: `ex-${i}`,
        agent_id: AGENT,
        status: 'in-progress',
        created_at: new Date(since.getTime() + i * 1_000).toISOString(),
        context_details: { recipient_data: { switchboard_call_id: `cq_${i}#1` } },
      });
    }
  }

  it('lists the agent window and matches trimmed rows by fetching each execution', async () => {
    const fake = await serveFakeBolna();
    addCalls(fake, 3);
    const { bolna } = provider(fake.url, { now });
    const result = await bolna.findExecutionByRef(AGENT, 'cq_1#1', since);
    expect(result).toMatchObject({
      ok: true,
      execution: { executionId: 'ex-1', status: 'in-progress' },
    });
    const [listing] = fake.requests;
    expect(listing?.path).toBe(`/v2/agent/${AGENT}/executions`);
    expect(Object.fromEntries(listing?.query ?? [])).toEqual({
      page_size: '50',
      page_number: '1',
      // Two minutes either side for clock skew, with an explicit offset rather than Z.
      from: '2026-05-01T09:58:00+00:00',
      to: '2026-05-01T10:07:00+00:00',
    });
    expect(fake.requests.slice(1).every((r) => r.path.startsWith('/executions/'))).toBe(true);
  });

  it('matches full rows without fetching any', async () => {
    const fake = await serveFakeBolna({ listRows: 'full' });
    addCalls(fake, 3);
    const result = await provider(fake.url, { now }).bolna.findExecutionByRef(
      AGENT,
      'cq_0#1',
      since,
    );
    expect(result).toMatchObject({ ok: true, execution: { executionId: 'ex-0' } });
    expect(fake.requests).toHaveLength(1);
  });

  it('pages past the first 50 rows', async () => {
    const fake = await serveFakeBolna({ listRows: 'full' });
    addCalls(fake, 120);
    const result = await provider(fake.url, { now }).bolna.findExecutionByRef(
      AGENT,
      'cq_3#1',
      since,
    );
    expect(result).toMatchObject({ ok: true, execution: { executionId: 'ex-3' } });
    expect(fake.requests.map((r) => r.query.get('page_number'))).toEqual(['1', '2', '3']);
  });

  it('finds a call placed through placeCall', async () => {
    const fake = await serveFakeBolna();
    const { bolna } = provider(fake.url);
    const placed = await bolna.placeCall(INPUT);
    const found = await bolna.findExecutionByRef(
      AGENT,
      INPUT.callRef,
      new Date(Date.now() - 60_000),
    );
    expect(found).toMatchObject({
      ok: true,
      execution: { executionId: placed.ok ? placed.executionId : 'x', status: 'queued' },
    });
  });

  it('answers null when no execution carries the ref', async () => {
    const fake = await serveFakeBolna();
    addCalls(fake, 3);
    const result = await provider(fake.url, { now }).bolna.findExecutionByRef(
      AGENT,
      'cq_9#1',
      since,
    );
    expect(result).toEqual({ ok: true, execution: null });
  });

  it('says it cannot tell when the listing fails', async () => {
    const fake = await serveFakeBolna();
    fake.override(() => ({ status: 401, body: { message: `no ${API_KEY}` } }));
    const result = await provider(fake.url, { now }).bolna.findExecutionByRef(
      AGENT,
      'cq_1#1',
      since,
    );
    expect(result).toEqual({ ok: false, message: 'Bolna refused the API key (HTTP 401)' });
  });

  it('says it cannot tell when a detail lookup fails', async () => {
    const fake = await serveFakeBolna();
    addCalls(fake, 2);
    fake.override((r) => (r.path.startsWith('/executions/') ? { status: 500 } : undefined));
    const result = await provider(fake.url, { now }).bolna.findExecutionByRef(
      AGENT,
      'cq_1#1',
      since,
    );
    expect(result.ok).toBe(false);
  });

  it('says it cannot tell when the listing is not a listing', async () => {
    const fake = await serveFakeBolna();
    fake.override(() => ({ body: [] }));
    const result = await provider(fake.url, { now }).bolna.findExecutionByRef(
      AGENT,
      'cq_1#1',
      since,
    );
    expect(result).toEqual({
      ok: false,
      message: 'Bolna sent an executions listing we could not read',
    });
  });
});

describe('Bolna provider: stopCall', () => {
  it('POSTs /call/{id}/stop', async () => {
    const fake = await serveFakeBolna();
    fake.addExecution({ id: 'ex-q', agent_id: AGENT, status: 'queued' });
    expect(await provider(fake.url).bolna.stopCall('ex-q')).toEqual({ ok: true });
    expect(fake.requests[0]).toMatchObject({ method: 'POST', path: '/call/ex-q/stop' });
    expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(fake.executions.get('ex-q')?.status).toBe('stopped');
  });

  it('reports a call that can no longer be stopped, without the key', async () => {
    const fake = await serveFakeBolna();
    fake.addExecution({ id: 'ex-p', agent_id: AGENT, status: 'in-progress' });
    const result = await provider(fake.url).bolna.stopCall('ex-p');
    expect(result).toEqual({
      ok: false,
      message: 'Bolna answered HTTP 400 to a stop request: Call is not queued',
    });
  });

  it('reports a network failure', async () => {
    const port = await closedPort();
    const result = await provider(`http://127.0.0.1:${port}`).bolna.stopCall('ex-1');
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^Could not reach Bolna/);
  });
});
