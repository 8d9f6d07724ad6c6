import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ClientTetherSimulator,
  startClientTetherSimulator,
} from '../../../src/lib/clienttether/simulator';

const TOKEN = 'sim-token-7c2e41';
const KEY = 'CT_0123456789abcdef0123456789abcdef';
const SMALL = 'CT_fedcba9876543210fedcba9876543210';
const WRITES = 'CT_aaaabbbbccccddddeeeeffff00001111';
const NOW = new Date('2026-02-10T15:00:00Z'); // 10:00 in New York
const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

let sim: ClientTetherSimulator;
beforeAll(async () => {
  sim = await startClientTetherSimulator({
    accessToken: TOKEN,
    tenants: [
      { webKey: KEY, seed: 11, clients: 250, opportunities: 90, events: 150 },
      { webKey: SMALL, seed: 12, clients: 40 },
      { webKey: WRITES, seed: 13, clients: 30 },
    ],
    now: () => NOW,
  });
});
afterAll(() => sim.stop());

interface Call {
  webKey?: string | null;
  token?: string | null;
  method?: string;
  json?: unknown;
  form?: string;
}
async function call(endpoint: string, options: Call = {}) {
  const headers: Record<string, string> = {};
  if (options.token !== null) headers['X-Access-Token'] = options.token ?? TOKEN;
  if (options.webKey !== null) headers['X-Web-Key'] = options.webKey ?? KEY;
  if (options.json) headers['content-type'] = 'application/json';
  if (options.form) headers['content-type'] = 'application/x-www-form-urlencoded';
  const response = await fetch(sim.url + endpoint, {
    method: options.method ?? (options.json || options.form ? 'POST' : 'GET'),
    headers,
    body: options.json ? JSON.stringify(options.json) : options.form,
  });
  const text = await response.text();
  return { status: response.status, text, body: () => JSON.parse(text) };
}
const read = async (endpoint: string, options?: Call) => (await call(endpoint, options)).body();

function allScalarsAreStrings(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(allScalarsAreStrings);
  if (value && typeof value === 'object') return Object.values(value).every(allScalarsAreStrings);
  return typeof value === 'string';
}

describe('authentication', () => {
  it.each([
    ['a wrong access token', { token: 'wrong-token-9f8e7d' }],
    ['no access token', { token: null }],
    ['an unknown web key', { webKey: 'CT_99999999999999999999999999999999' }],
    ['no web key', { webKey: null }],
  ] as const)('answers 401 in plain text to %s, echoing nothing', async (_, options) => {
    const response = await call('read_client_list', options);
    expect(response.status).toBe(401);
    expect(() => JSON.parse(response.text)).toThrow();
    for (const secret of [TOKEN, KEY, 'wrong-token-9f8e7d', 'CT_9999']) {
      expect(response.text).not.toContain(secret);
    }
  });

  it('serves each web key its own tenant', async () => {
    expect((await read('read_client_list', { webKey: SMALL })).TotalRecord).toBe(40);
    expect((await read('read_client_list')).TotalRecord).toBe(250);
  });
});

describe('envelope', () => {
  it('answers every read endpoint with CT_200, a total, a data array and only string scalars', async () => {
    const data = sim.dataset(KEY);
    const client = data.clients.find((c) => data.notes.some((n) => n.client_id === c.client_id));
    const email = data.clients.find((c) => c.email)?.email;
    for (const endpoint of [
      'read_client_list',
      'read_opportunity_list',
      'read_sales_cycle_list',
      'read_lead_source_list',
      'read_action_plan_list',
      'read_user_list',
      'read_all_events',
      `read_client_by_id/${client?.client_id}`,
      `read_client_history_notes/${client?.client_id}`,
      `read_client_exist?email=${email}`,
    ]) {
      const body = await read(endpoint);
      expect(body, endpoint).toMatchObject({ ResultCode: 'CT_200', Message: 'Success' });
      expect(Object.keys(body), endpoint).toEqual(['ResultCode', 'Message', 'TotalRecord', 'data']);
      expect(typeof body.TotalRecord, endpoint).toBe('number');
      expect(body.data.length, endpoint).toBeGreaterThan(0);
      expect(allScalarsAreStrings(body.data), endpoint).toBe(true);
    }
  });

  it('returns client rows with the documented fields', async () => {
    const { data } = await read('read_client_list');
    for (const row of data) {
      expect(Object.keys(row)).toEqual(
        'client_id external_id firstName lastName compName email phone address city state zip whiteboard deal_size clients_sales_cycle clients_lead_source clients_action_plan contact_type assigned_user created last_modified_date'.split(
          ' ',
        ),
      );
      expect(row.client_id).toMatch(/^\d+$/);
      if (row.phone) expect(row.phone).toMatch(/^\d{10}$/);
      expect(row.whiteboard).toMatch(/^(<p>.*<\/p>)?$/);
      expect(row.deal_size).toMatch(/^(\d+)?$/);
      expect(['1', '4', '5']).toContain(row.contact_type);
      expect(row.created).toMatch(DATE_TIME);
      expect(row.last_modified_date >= row.created).toBe(true);
    }
  });

  it('returns opportunity rows with names like "Middle TN - 2 units" and IFF-sized deals', async () => {
    const { data } = await read('read_opportunity_list');
    for (const row of data) {
      expect(row).toHaveProperty('contact_sales_cycle');
      expect(row.opportunity_name).toMatch(/^.+ - [1-5] units?$/);
      expect(row.units).toMatch(/^[1-5]$/);
      expect(Number(row.deal_size)).toBeGreaterThanOrEqual(35_000);
      expect(Number(row.deal_size)).toBeLessThanOrEqual(150_000);
    }
  });

  it('lists the franchise stages in order with rising likelihood to close', async () => {
    const { data } = await read('read_sales_cycle_list');
    const byName = Object.fromEntries(
      data.map((s: Record<string, string>) => [s.sales_cycle_name, s]),
    );
    expect(byName['New Lead'].likelihood_to_close).toBe('0');
    expect(byName['FDD Signed'].likelihood_to_close).toBe('40');
    expect(byName['Discovery Day Completed'].likelihood_to_close).toBe('60');
    expect(byName['FA Signed'].likelihood_to_close).toBe('100');
    expect(byName['Future Interest'].likelihood_to_close).toBe('5');
    const pipeline = data.filter(
      (s: Record<string, string>) => s.sales_cycle_name !== 'Future Interest',
    );
    pipeline.forEach((stage: Record<string, string>, i: number) => {
      expect(stage.sales_cycle_order).toBe(String(i + 1));
      if (i > 0)
        expect(Number(stage.likelihood_to_close)).toBeGreaterThan(
          Number(pipeline[i - 1].likelihood_to_close),
        );
      expect(stage).toMatchObject({
        sales_cycle_active_status: '1',
        contact_type: '1',
        contact_type_name: 'Prospect',
      });
    });
  });

  it('nests action plans in groups (an array of arrays)', async () => {
    const body = await read('read_action_plan_list');
    expect(body.data.every(Array.isArray)).toBe(true);
    expect(body.data.flat()).toHaveLength(body.TotalRecord);
    expect(body.data.flat()[0]).toEqual({
      action_plan_id: expect.any(String),
      action_plan_name: expect.any(String),
    });
  });

  it('answers an unknown endpoint with CT404 over HTTP 200', async () => {
    const response = await call('read_everything');
    expect(response.status).toBe(200);
    expect(response.body()).toEqual({ ResultCode: 'CT_404', Message: 'Request Not Found' });
  });
});

describe('paging', () => {
  it('caps limit at 100 and defaults to 100', async () => {
    for (const endpoint of ['read_client_list?limit=500', 'read_client_list']) {
      const body = await read(endpoint);
      expect(body.data).toHaveLength(100);
      expect(body.TotalRecord).toBe(250);
    }
  });

  it.each([100, 37])('covers every client exactly once in pages of %i', async (limit) => {
    const ids: string[] = [];
    let total = Number.POSITIVE_INFINITY;
    for (let offset = 0; offset < total; offset += limit) {
      const body = await read(`read_client_list?limit=${limit}&offset=${offset}`);
      total = body.TotalRecord;
      ids.push(...body.data.map((c: Record<string, string>) => c.client_id));
    }
    expect(ids).toEqual(sim.dataset(KEY).clients.map((c) => c.client_id));
    expect(new Set(ids).size).toBe(250);
  });

  it('answers an offset past the end with an empty page and the total', async () => {
    const body = await read('read_opportunity_list?offset=5000');
    expect(body).toMatchObject({ ResultCode: 'CT_200', TotalRecord: 90, data: [] });
  });
});

describe('clients by id and existence', () => {
  it('reads one client by id, and CT515 for a missing one', async () => {
    const client = sim.dataset(KEY).clients[17];
    expect(await read(`read_client_by_id/${client?.client_id}`)).toMatchObject({
      TotalRecord: 1,
      data: [client],
    });
    expect(await read('read_client_by_id/1')).toEqual({
      ResultCode: 'CT_515',
      Message: 'No Record Found',
    });
  });

  it('does not serve one tenant’s client to another web key', async () => {
    const client = sim.dataset(KEY).clients[3];
    const body = await read(`read_client_by_id/${client?.client_id}`, { webKey: SMALL });
    expect(body.ResultCode).toBe('CT_515');
  });

  it('finds a client by email (any case) or by phone digits', async () => {
    const client = sim.dataset(KEY).clients.find((c) => c.email && c.phone) as Record<
      string,
      string
    >;
    const hit = {
      TotalRecord: 1,
      data: [{ client_id: client.client_id, external_id: client.external_id }],
    };
    expect(await read(`read_client_exist?email=${client.email?.toUpperCase()}`)).toMatchObject(hit);
    const phone = client.phone as string;
    const formatted = `(${phone.slice(0, 3)}) ${phone.slice(3, 6)}-${phone.slice(6)}`;
    expect(await read(`read_client_exist?phone=${encodeURIComponent(formatted)}`)).toMatchObject(
      hit,
    );
  });

  it('answers a miss with the documented CT515 shape', async () => {
    expect(await read('read_client_exist?email=nobody@nowhere.test')).toEqual({
      resultCode: 'CT515',
      Message: 'No Record Found',
      client_id: false,
      external_id: '',
    });
  });
});
