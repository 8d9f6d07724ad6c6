import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ClientTetherSimulator,
  startClientTetherSimulator,
} from '../../../src/lib/clienttether/simulator';

const TOKEN = 'sim-token-records-3b9a';
const KEY = 'CT_11112222333344445555666677778888';
const NOW = new Date('2026-02-10T15:00:00Z'); // 10:00 in New York
type Row = Record<string, string>;

let sim: ClientTetherSimulator;
beforeAll(async () => {
  sim = await startClientTetherSimulator({
    accessToken: TOKEN,
    tenants: [{ webKey: KEY, seed: 21, clients: 120, opportunities: 50, events: 200 }],
    now: () => NOW,
  });
});
afterAll(() => sim.stop());

async function read(endpoint: string, init: RequestInit = {}) {
  const headers = { 'X-Access-Token': TOKEN, 'X-Web-Key': KEY, ...init.headers };
  const response = await fetch(sim.url + endpoint, { ...init, headers });
  expect(response.status).toBe(200);
  return response.json();
}
const post = (endpoint: string, body: unknown) =>
  read(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const q = (params: Record<string, string>) => new URLSearchParams(params).toString();

describe('read_all_events', () => {
  it('returns the events whose start_date lies within from_date..end_date', async () => {
    const from = '2026-02-01 00:00:00';
    const end = '2026-02-28 23:59:59';
    const expected = sim
      .dataset(KEY)
      .events.filter((e) => (e.start_date as string) >= from && (e.start_date as string) <= end);
    expect(expected.length).toBeGreaterThan(10);
    const body = await read(
      `read_all_events?${q({ from_date: from, end_date: end, limit: '100' })}`,
    );
    expect(body.TotalRecord).toBe(expected.length);
    expect(body.data.map((e: Row) => e.event_id).sort()).toEqual(
      expected.map((e) => e.event_id).sort(),
    );
  });

  it('filters by event_type and pages the matches', async () => {
    const appts = sim.dataset(KEY).events.filter((e) => e.event_type === 'appt');
    const first = await read(`read_all_events?${q({ event_type: 'appt', limit: '10' })}`);
    const second = await read(
      `read_all_events?${q({ event_type: 'appt', limit: '10', offset: '10' })}`,
    );
    expect(first.TotalRecord).toBe(appts.length);
    expect([...first.data, ...second.data]).toEqual(appts.slice(0, 20));
  });

  it('treats a bare date as its whole day and rejects malformed dates with CT400', async () => {
    const day = (sim.dataset(KEY).events[5]?.start_date ?? '').slice(0, 10);
    const body = await read(`read_all_events?${q({ from_date: day, end_date: day })}`);
    expect(body.TotalRecord).toBeGreaterThan(0);
    expect(body.data.every((e: Row) => e.start_date?.startsWith(day))).toBe(true);
    expect((await read('read_all_events?from_date=next%20week')).ResultCode).toBe('CT_400');
  });

  it('spans 30 days back to 60 days ahead in the inferred event shape', () => {
    const events = sim.dataset(KEY).events;
    const first = events[0]?.start_date ?? '';
    const last = events.at(-1)?.start_date ?? '';
    expect(first >= '2026-01-11' && first < '2026-01-16').toBe(true);
    expect(last > '2026-04-05' && last <= '2026-04-11 23:59:59').toBe(true);
    expect(Object.keys(events[0] ?? {})).toEqual(
      'event_id client_id user_id event_type event_title event_notes start_date end_date status'.split(
        ' ',
      ),
    );
  });
});

describe('read_client_history_notes', () => {
  it('returns each client’s own notes in the inferred shape', async () => {
    const data = sim.dataset(KEY);
    const withNotes = data.clients.filter((c) =>
      data.notes.some((n) => n.client_id === c.client_id),
    );
    expect(withNotes.length).toBeGreaterThan(20);
    for (const client of withNotes.slice(0, 10)) {
      const body = await read(`read_client_history_notes/${client.client_id}`);
      expect(body.data).toEqual(data.notes.filter((n) => n.client_id === client.client_id));
      expect(Object.keys(body.data[0])).toEqual([
        'history_id',
        'client_id',
        'user_id',
        'note_type',
        'note',
        'created',
      ]);
    }
  });

  it('answers an empty list for a client without notes and CT515 for an unknown client', async () => {
    const data = sim.dataset(KEY);
    const quiet = data.clients.find((c) => !data.notes.some((n) => n.client_id === c.client_id));
    expect(await read(`read_client_history_notes/${quiet?.client_id}`)).toMatchObject({
      TotalRecord: 0,
      data: [],
    });
    expect((await read('read_client_history_notes/42')).ResultCode).toBe('CT_515');
  });
});

describe('writes', () => {
  it('refuses create_client without firstName and lastName (CT501)', async () => {
    expect(await post('create_client', { firstName: 'Ann' })).toEqual({
      ResultCode: 'CT_501',
      Message: 'Missing Required Key:Value Pair(s)',
    });
  });

  it('creates a client from a JSON body, a form body or the query string', async () => {
    const created: string[] = [];
    const json = await post('create_client', {
      firstName: 'Dana',
      lastName: 'Whitfield',
      email: 'dana.new@example.test',
      phone: '(615) 555-0142',
      external_id: 'ext-1',
    });
    created.push(json.data[0].client_id);
    expect(json.data[0].external_id).toBe('ext-1');
    const form = await read('create_client', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: q({ firstName: 'Form', lastName: 'Body' }),
    });
    created.push(form.data[0].client_id);
    created.push(
      (
        await read(`create_client?${q({ firstName: 'Query', lastName: 'String' })}`, {
          method: 'POST',
        })
      ).data[0].client_id,
    );

    const client = (await read(`read_client_by_id/${created[0]}`)).data[0];
    expect(client).toMatchObject({
      phone: '6155550142',
      created: '2026-02-10 10:00:00',
      clients_sales_cycle: '',
    });
    expect((await read('read_client_exist?email=dana.new@example.test')).data[0].client_id).toBe(
      created[0],
    );
    const ids = sim.dataset(KEY).clients.map((c) => c.client_id);
    expect(ids.slice(-3)).toEqual(created);
  });

  it('updates a client, moving its opportunities along, and answers the documented CT200', async () => {
    const data = sim.dataset(KEY);
    const deal = data.opportunities[0] as Row;
    const stage = data.salesCycles.find((s) => s.sales_cycle_name === 'FA Sent') as Row;
    const body = await post('update_client_by_id', {
      client_id: deal.client_id,
      sales_cycle_id: stage.sales_cycle_id,
      append_whiteboard: 'Signed the QR.',
    });
    expect(body).toEqual({ resultCode: 'CT200', Message: 'Success' });
    const client = (await read(`read_client_by_id/${deal.client_id}`)).data[0];
    expect(client.clients_sales_cycle).toBe('FA Sent');
    expect(client.whiteboard).toMatch(/<p>Signed the QR\.<\/p>$/);
    expect(client.last_modified_date).toBe('2026-02-10 10:00:00');
    const moved = sim
      .dataset(KEY)
      .opportunities.find((o) => o.opportunity_id === deal.opportunity_id);
    expect(moved?.contact_sales_cycle).toBe('FA Sent');
  });

  it('deletes a client with its opportunities; a second delete answers CT515', async () => {
    const deal = sim.dataset(KEY).opportunities[1] as Row;
    expect(await post('delete_client_by_id', { client_id: deal.client_id })).toEqual({
      resultCode: 'CT200',
      Message: 'Success',
    });
    expect((await read(`read_client_by_id/${deal.client_id}`)).ResultCode).toBe('CT_515');
    expect(sim.dataset(KEY).opportunities.some((o) => o.client_id === deal.client_id)).toBe(false);
    expect((await post('delete_client_by_id', { client_id: deal.client_id })).ResultCode).toBe(
      'CT_515',
    );
  });
});
