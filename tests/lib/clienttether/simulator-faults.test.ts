import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ClientTetherSimulator,
  startClientTetherSimulator,
} from '../../../src/lib/clienttether/simulator';

const TOKEN = 'sim-token-faults-90ab';
const KEY = 'CT_0f0f0f0f0f0f0f0f0f0f0f0f0f0f4e21';

let sim: ClientTetherSimulator;
beforeAll(async () => {
  sim = await startClientTetherSimulator({
    accessToken: TOKEN,
    tenants: [{ webKey: KEY, seed: 31, clients: 60 }],
  });
});
afterEach(() => sim.resetFaults());
afterAll(() => sim.stop());

const headers = { 'X-Access-Token': TOKEN, 'X-Web-Key': KEY };
const api = (endpoint = 'read_client_list', init: RequestInit = {}) =>
  fetch(sim.url + endpoint, { headers, ...init });
const control = (path: string, init: RequestInit & { token?: string } = {}) =>
  fetch(new URL(`/__simulator/${path}`, sim.url), {
    ...init,
    headers: init.token === '' ? {} : { 'X-Access-Token': init.token ?? TOKEN },
  });
async function timed<T>(work: () => Promise<T>) {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

describe('faults', () => {
  it('refuses invalid fault values', () => {
    expect(() => sim.setFaults({ latencyMs: -1 })).toThrow();
    expect(() => sim.setFaults({ envelope: 'loud' as 'quirky' })).toThrow();
  });

  it('adds latencyMs to every response', async () => {
    sim.setFaults({ latencyMs: 150 });
    const slow = await timed(() => api().then((r) => r.json()));
    expect(slow.ms).toBeGreaterThanOrEqual(145);
    sim.resetFaults();
    expect((await timed(() => api().then((r) => r.json()))).ms).toBeLessThan(140);
  });

  it('answers 429 with Retry-After for the next N requests, then recovers', async () => {
    sim.setFaults({ rateLimited: 2, retryAfterSeconds: 3 });
    for (let i = 0; i < 2; i++) {
      const response = await api();
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('3');
      expect(await response.text()).not.toContain(TOKEN);
    }
    expect((await api()).status).toBe(200);
  });

  it('answers 500 for the next N requests, then recovers', async () => {
    sim.setFaults({ serverErrors: 3 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await api()).status);
    expect(statuses).toEqual([500, 500, 500, 200]);
  });

  it('serves count-based faults one after another', async () => {
    sim.setFaults({ rateLimited: 1, serverErrors: 1, malformedJson: 1 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await api()).status);
    expect(statuses).toEqual([429, 500, 200, 200]);
  });

  it('sends a truncated JSON body with status 200 when malformedJson is set', async () => {
    sim.setFaults({ malformedJson: 1 });
    const broken = await api();
    expect(broken.status).toBe(200);
    expect(broken.headers.get('content-type')).toContain('application/json');
    const text = await broken.text();
    expect(text.startsWith('{"ResultCode"')).toBe(true);
    expect(() => JSON.parse(text)).toThrow();
    expect((await (await api()).json()).ResultCode).toBe('CT_200');
  });

  it('switches to the quirky envelope: resultCode, CT200 and TotalRecord as a string', async () => {
    sim.setFaults({ envelope: 'quirky' });
    const body = await (await api('read_client_list?limit=2')).json();
    expect(body).toMatchObject({ resultCode: 'CT200', Message: 'Success', TotalRecord: '60' });
    expect(body).not.toHaveProperty('ResultCode');
    expect(await (await api('read_client_by_id/1')).json()).toEqual({
      resultCode: 'CT515',
      Message: 'No Record Found',
    });
  });

  it('resets the connection while down, and serves again once up', async () => {
    sim.setFaults({ down: true });
    await expect(api()).rejects.toThrow();
    sim.setFaults({ down: false });
    expect((await api()).status).toBe(200);
  });

  it('holds the answer for hangMs, so a client timeout fires', async () => {
    sim.setFaults({ hangMs: 400 });
    await expect(api('read_user_list', { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    const held = await timed(() => api('read_user_list'));
    expect(held.ms).toBeGreaterThanOrEqual(390);
    expect(held.value.status).toBe(200);
  });

  it('logs endpoint and status with a web-key suffix, never the token or the whole key', async () => {
    sim.setFaults({ serverErrors: 1 });
    await api('read_opportunity_list');
    await api('read_opportunity_list', { headers: { ...headers, 'X-Access-Token': 'nope' } });
    const log = sim.requestLog().slice(-2);
    expect(log.map(({ endpoint, status }) => [endpoint, status])).toEqual([
      ['read_opportunity_list', 500],
      ['read_opportunity_list', 401],
    ]);
    expect(log[0]?.webKeySuffix).toBe(KEY.slice(-4));
    const text = JSON.stringify(sim.requestLog());
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(KEY);
  });
});

describe('control endpoints', () => {
  it('require the access token and do not echo what was sent', async () => {
    for (const token of ['', 'wrong-control-token']) {
      const response = await control('faults', {
        method: 'POST',
        body: '{"serverErrors":1}',
        token,
      });
      expect(response.status).toBe(401);
      expect(await response.text()).not.toContain('wrong-control-token');
      const evolve = await control(`evolve?webKey=${KEY}`, { method: 'POST', token });
      expect(evolve.status).toBe(401);
    }
    expect((await api()).status).toBe(200);
  });

  it('set, read and reset faults over HTTP', async () => {
    const set = await control('faults', {
      method: 'POST',
      body: '{"serverErrors":1,"latencyMs":5}',
    });
    expect(await set.json()).toMatchObject({ serverErrors: 1, latencyMs: 5, envelope: 'standard' });
    expect((await api()).status).toBe(500);
    await control('faults', { method: 'POST', body: '{"envelope":"quirky"}' });
    expect((await control('faults', { method: 'DELETE' }).then((r) => r.json())).envelope).toBe(
      'standard',
    );
    expect((await control('faults', { method: 'POST', body: '{"serverErrors":-1}' })).status).toBe(
      400,
    );
    expect((await control('faults', { method: 'POST', body: '{"explode":true}' })).status).toBe(
      400,
    );
  });

  it('are not subject to faults, so a fault can always be switched off', async () => {
    sim.setFaults({ down: true, rateLimited: 5 });
    const response = await control('faults', {
      method: 'POST',
      body: '{"down":false,"rateLimited":0}',
    });
    expect(response.status).toBe(200);
    expect((await api()).status).toBe(200);
  });

  it('evolve a tenant by web key; an unknown key is 404 without echo', async () => {
    const before = sim.dataset(KEY).clients.length;
    const response = await control(`evolve?webKey=${KEY}&steps=3`, { method: 'POST' });
    expect(response.status).toBe(200);
    expect(sim.dataset(KEY).clients.length).toBeGreaterThan(before);
    const unknown = await control('evolve?webKey=CT_secretish', { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).not.toContain('CT_secretish');
  });
});

describe('stop', () => {
  it('finishes promptly while a request hangs', async () => {
    const own = await startClientTetherSimulator({
      accessToken: TOKEN,
      tenants: [{ webKey: KEY, seed: 1, clients: 5 }],
    });
    own.setFaults({ hangMs: 60_000 });
    const pending = fetch(`${own.url}read_client_list`, { headers }).catch((error) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const { ms } = await timed(() => own.stop());
    expect(ms).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Error);
  });
});
