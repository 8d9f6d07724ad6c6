import { describe, expect, it } from 'vitest';
import { ACCESS_TOKEN, envelope, serve, testClient, WEB_KEY } from './client-server';

const dana = {
  client_id: '14597321',
  firstName: 'Dana',
  deal_size: '90000',
  created: '2026-01-26 10:14:03',
  smsok: '1',
};

describe('ClientTether client: credentials', () => {
  it('sends both credential headers and Accept on every call', async () => {
    const server = await serve(() => ({ body: envelope([]) }));
    const { client } = testClient(server.url);
    await client.readClientList();
    await client.readClientById('1');
    await client.readClientExist({ email: 'a@example.com' });
    await client.readOpportunityList();
    await client.readSalesCycleList();
    await client.readLeadSourceList();
    await client.readActionPlanList();
    await client.readUserList();
    await client.readAllEvents({ fromDate: '2026-02-01 00:00:00', endDate: '2026-02-28 23:59:59' });
    await client.readClientHistoryNotes('1');
    await client.testConnection();
    expect(server.requests).toHaveLength(11);
    for (const { headers } of server.requests) {
      expect(headers['x-access-token']).toBe(ACCESS_TOKEN);
      expect(headers['x-web-key']).toBe(WEB_KEY);
      expect(headers.accept).toBe('application/json');
    }
  });

  it('reports wrong credentials as auth after exactly one attempt, without either secret', async () => {
    const server = await serve(() => ({
      status: 401,
      body: `Unauthorized: token ${ACCESS_TOKEN} is not valid for ${WEB_KEY}`,
    }));
    const { client, sleeps } = testClient(server.url);
    const result = await client.readClientList();
    expect(result).toMatchObject({
      ok: false,
      error: { kind: 'auth', status: 401, retryable: false, endpoint: 'read_client_list' },
    });
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(JSON.stringify(result)).not.toContain(ACCESS_TOKEN);
    expect(JSON.stringify(result)).not.toContain(WEB_KEY);
  });

  it('redacts the secrets from an envelope message that echoes them', async () => {
    const server = await serve(() => ({
      body: { ResultCode: 'CT_400', Message: `Bad Request for key ${WEB_KEY} / ${ACCESS_TOKEN}` },
    }));
    const result = await testClient(server.url).client.readUserList();
    expect(result).toMatchObject({ ok: false, error: { kind: 'api', resultCode: 'CT400' } });
    expect(JSON.stringify(result)).not.toMatch(/CT_canary/);
    expect(JSON.stringify(result)).toContain('[redacted]');
  });
});

describe('ClientTether client: envelope', () => {
  it('accepts ResultCode CT_200 with a numeric TotalRecord', async () => {
    const server = await serve(() => ({ body: envelope([dana], 240) }));
    const result = await testClient(server.url).client.readClientList();
    expect(result).toMatchObject({ ok: true, total: 240, invalid: 0 });
  });

  it('accepts resultCode CT200 with TotalRecord as a string', async () => {
    const server = await serve(() => ({
      body: { resultCode: 'CT200', TotalRecord: '7', data: [dana] },
    }));
    const result = await testClient(server.url).client.readClientList();
    expect(result).toMatchObject({ ok: true, total: 7, data: [{ client_id: '14597321' }] });
  });

  it('falls back to the data length when TotalRecord is missing', async () => {
    const server = await serve(() => ({ body: { ResultCode: 'CT_200', data: [dana, dana] } }));
    expect(await testClient(server.url).client.readClientList()).toMatchObject({
      ok: true,
      total: 2,
    });
  });

  it('treats CT515 "No Record Found" as an empty answer', async () => {
    const server = await serve(() => ({
      body: { ResultCode: 'CT_515', Message: 'No Record Found' },
    }));
    const { client } = testClient(server.url);
    expect(await client.readClientList()).toEqual({ ok: true, data: [], total: 0, invalid: 0 });
    expect(await client.readClientById('9')).toMatchObject({ ok: true, data: null });
  });

  it('answers null from read_client_exist on the doc-sample miss and the ref on a hit', async () => {
    const miss = {
      resultCode: 'CT515',
      Message: 'No Record Found',
      client_id: false,
      external_id: '',
    };
    const hit = envelope([{ client_id: 8051632, external_id: '16051989' }]);
    const server = await serve((_, index) => ({ body: index === 0 ? miss : hit }));
    const { client } = testClient(server.url);
    expect(await client.readClientExist({ phone: '(615) 555-0142' })).toMatchObject({
      ok: true,
      data: null,
    });
    const found = await client.readClientExist({ email: 'dana@example.com' });
    expect(found).toMatchObject({
      ok: true,
      data: { client_id: '8051632', external_id: '16051989' },
    });
    expect(server.requests[0]?.query.get('phone')).toBe('6155550142');
    expect(server.requests[1]?.query.get('email')).toBe('dana@example.com');
  });

  it('returns CT501 as an api error with the server message, without retrying', async () => {
    const server = await serve(() => ({
      body: { ResultCode: 'CT_501', Message: 'Missing Required Key:Value Pair(s)' },
    }));
    const { client, sleeps } = testClient(server.url);
    expect(await client.readClientList()).toEqual({
      ok: false,
      error: {
        kind: 'api',
        resultCode: 'CT501',
        message: 'Missing Required Key:Value Pair(s)',
        retryable: false,
        endpoint: 'read_client_list',
      },
    });
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('rejects an envelope whose data is not a list', async () => {
    const server = await serve(() => ({
      body: { ResultCode: 'CT_200', data: { client_id: '1' } },
    }));
    const result = await testClient(server.url, { maxRetries: 0 }).client.readClientList();
    expect(result).toMatchObject({
      ok: false,
      error: { kind: 'invalid_response', retryable: true },
    });
  });
});

describe('ClientTether client: records', () => {
  it('keeps the valid records of a page and counts the malformed one', async () => {
    const rows = [dana, { firstName: 'No id' }, { ...dana, client_id: '14597388' }];
    const server = await serve(() => ({ body: envelope(rows) }));
    const result = await testClient(server.url).client.readClientList();
    if (!result.ok) throw new Error(result.error.message);
    expect(result.data.map((c) => c.client_id)).toEqual(['14597321', '14597388']);
    expect(result.invalid).toBe(1);
  });

  it('converts string scalars and keeps unknown fields', async () => {
    const rows = [dana, { ...dana, client_id: 42, deal_size: '', email: null }];
    const server = await serve(() => ({ body: envelope(rows) }));
    const result = await testClient(server.url).client.readClientList();
    if (!result.ok) throw new Error(result.error.message);
    const [first, second] = result.data;
    expect(first).toMatchObject({ deal_size: 90000, created: '2026-01-26 10:14:03', smsok: '1' });
    expect(second).toMatchObject({ client_id: '42', deal_size: null, email: undefined });
  });

  it('reads opportunity units and sales-cycle percentages as numbers', async () => {
    const opportunity = { opportunity_id: '3021187', deal_size: 'n/a', units: '2' };
    const cycle = { sales_cycle_id: '5011', sales_cycle_order: '7', likelihood_to_close: '20.5' };
    const server = await serve((request) => ({
      body: envelope(request.path.endsWith('read_opportunity_list') ? [opportunity] : [cycle]),
    }));
    const { client } = testClient(server.url);
    expect(await client.readOpportunityList()).toMatchObject({
      data: [{ deal_size: null, units: 2 }],
    });
    expect(await client.readSalesCycleList()).toMatchObject({
      data: [{ sales_cycle_order: 7, likelihood_to_close: 20.5 }],
    });
  });

  it('flattens the nested arrays of read_action_plan_list', async () => {
    const plans = [
      [{ action_plan_id: '1201', action_plan_name: 'Nurture' }],
      [{ action_plan_id: '1202' }],
    ];
    const server = await serve(() => ({ body: envelope(plans) }));
    const result = await testClient(server.url).client.readActionPlanList();
    expect(result).toMatchObject({
      ok: true,
      data: [{ action_plan_id: '1201' }, { action_plan_id: '1202' }],
    });
  });
});

describe('ClientTether client: requests', () => {
  it('sends from_date, end_date and event_type to read_all_events', async () => {
    const server = await serve(() => ({
      body: envelope([{ event_id: '778812', event_type: 'appt' }]),
    }));
    const window = {
      fromDate: '2026-02-01 00:00:00',
      endDate: '2026-02-28 23:59:59',
      eventType: 'appt',
    };
    const result = await testClient(server.url).client.readAllEvents(window);
    expect(result).toMatchObject({ ok: true, data: [{ event_id: '778812' }] });
    const [request] = server.requests;
    expect(request?.path).toBe('/v2/api/read_all_events');
    expect(request?.query.get('from_date')).toBe('2026-02-01 00:00:00');
    expect(request?.query.get('end_date')).toBe('2026-02-28 23:59:59');
    expect(request?.query.get('event_type')).toBe('appt');
  });

  it('puts ids in the path, encoded', async () => {
    const server = await serve(() => ({
      body: envelope([{ history_id: '99120455', note: '<p>hi</p>' }]),
    }));
    const { client } = testClient(server.url);
    expect(await client.readClientHistoryNotes('14597321')).toMatchObject({
      data: [{ history_id: '99120455' }],
    });
    await client.readClientById('12/3?x');
    expect(server.requests.map((r) => r.path)).toEqual([
      '/v2/api/read_client_history_notes/14597321',
      '/v2/api/read_client_by_id/12%2F3%3Fx',
    ]);
  });

  it('clamps limit to 1..100 and joins the base URL with exactly one slash', async () => {
    const server = await serve(() => ({ body: envelope([]) }));
    const { client } = testClient(server.url.replace(/\/$/, ''));
    await client.readClientList({ limit: 500, offset: 200 });
    await client.readOpportunityList({ limit: 0 });
    expect(server.requests.map((r) => `${r.path}?${r.query}`)).toEqual([
      '/v2/api/read_client_list?limit=100&offset=200',
      '/v2/api/read_opportunity_list?limit=1&offset=0',
    ]);
  });

  it('tests the connection with one read_user_list call', async () => {
    const users = [{ user_id: '33590', user_first_name: 'Alex' }, { user_id: '33591' }];
    const server = await serve(() => ({ body: envelope(users) }));
    const result = await testClient(server.url).client.testConnection();
    expect(result).toEqual({ ok: true, data: { users: 2 }, total: 2, invalid: 0 });
    expect(server.requests.map((r) => r.path)).toEqual(['/v2/api/read_user_list']);
  });
});
