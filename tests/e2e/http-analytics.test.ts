/**
 * The analytics APIs and the overview over real HTTP against the built
 * server: the signed-in workspace's figures only, the verbs' answers
 * exactly, a 400 naming a bad parameter, and a page that renders them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { getCallAnalytics, getDashboardStats, rollupTenant } from '../../src/lib/analytics';
import type { PublicTenant } from '../../src/lib/tenants/schemas';
import { makeMember, makeSession, makeTenant } from '../factories';
import { useTestDatabase } from '../helpers/db';
import { HttpClient } from '../helpers/http-client';
import { useWebServer } from '../helpers/server';
import { insertCalls, makeCallCampaign } from '../lib/analytics/seed-calls';

const t = useTestDatabase();
const server = useWebServer(() => t.url);

/** A workspace with `connected` answered calls and `busy` busy ones in the last hour, rolled up. */
async function workspace(connected: number, busy: number) {
  const tenant = await makeTenant(t.db, { timezone: 'UTC' });
  const at = new Date(Date.now() - 30 * 60_000);
  const done = { dialledAt: at, finishedAt: at, durationSeconds: 60 };
  await insertCalls(t.db, tenant.id, await makeCallCampaign(t.db, tenant), [
    ...Array.from({ length: connected }, () => ({
      ...done,
      status: 'completed' as const,
      outcome: 'completed',
    })),
    ...Array.from({ length: busy }, () => ({
      ...done,
      status: 'failed' as const,
      outcome: 'busy',
    })),
  ]);
  await rollupTenant(t.db, tenant.id);
  return tenant;
}

async function signedInto(tenant: PublicTenant) {
  const { user } = await makeMember(t.db, { tenant });
  const { token } = await makeSession(t.db, user.id);
  const client = new HttpClient(server.url);
  client.cookies.set('sb_session', token);
  client.cookies.set('sb_tenant', tenant.id);
  return client;
}

let mine: PublicTenant;
let client: HttpClient;
beforeAll(async () => {
  mine = await workspace(3, 1);
  await workspace(0, 7); // another workspace, whose calls must never show
  client = await signedInto(mine);
});

async function getJson(path: string) {
  const response = await client.request(path);
  return { status: response.status, body: await response.json() };
}

describe('GET /api/analytics/dashboard and /api/analytics/calls', () => {
  it("answer the signed-in workspace's figures, as the verbs give them", async () => {
    const stats = await getJson('/api/analytics/dashboard?range=7d');
    expect(stats.status).toBe(200);
    const expected = await getDashboardStats(t.db, mine.id, '7d');
    expect(stats.body).toEqual({ ok: true, data: { ...expected, rolledAt: expect.any(String) } });
    expect(stats.body.data.current).toMatchObject({
      callsPlaced: 4,
      callsConnected: 3,
      connectRate: 0.75,
    });

    const calls = await getJson('/api/analytics/calls?range=30d&granularity=week');
    expect(calls.status).toBe(200);
    expect(calls.body).toEqual({
      ok: true,
      data: await getCallAnalytics(t.db, mine.id, '30d', 'week'),
    });
    const total = calls.body.data.buckets.reduce((n: number, b: { busy: number }) => n + b.busy, 0);
    expect(total).toBe(1);
  });

  it('default to 30 days by day', async () => {
    const { body } = await getJson('/api/analytics/calls');
    expect(body.data).toMatchObject({ range: '30d', granularity: 'day' });
    expect(body.data.buckets).toHaveLength(30);
    expect((await getJson('/api/analytics/dashboard')).body.data.range).toBe('30d');
  });

  it('reject a bad range or granularity with a 400 that names the parameter', async () => {
    for (const [path, name] of [
      ['/api/analytics/dashboard?range=365d', 'range'],
      ['/api/analytics/calls?range=all', 'range'],
      ['/api/analytics/calls?granularity=hour', 'granularity'],
    ] as const) {
      const { status, body } = await getJson(path);
      expect(status, path).toBe(400);
      expect(body.ok, path).toBe(false);
      expect(body.error.code, path).toBe('VALIDATION');
      expect(body.error.message, path).toContain(name);
    }
  });

  it('refuse a visitor who is not signed in', async () => {
    const anonymous = new HttpClient(server.url);
    const response = await anonymous.request('/api/analytics/dashboard');
    expect(response.status).toBe(401);
  });
});

describe('/dashboard', () => {
  it('renders the KPI cards, both charts and the range switch on the server', async () => {
    const response = await client.request('/dashboard?range=7d&granularity=day');
    expect(response.status).toBe(200);
    const html = await response.text();
    for (const label of [
      'Calls placed',
      'Connect rate',
      'Completed calls',
      'Talk time',
      'New leads',
      'Pipeline value',
    ]) {
      expect(html).toContain(label);
    }
    expect(html).toContain('Call volume by outcome');
    expect(html).toContain('New leads and calls placed');
    expect(html).toContain('75%');
    expect(html).toMatch(/href="\?range=90d&amp;granularity=day"/);
    // The workspace's running campaign, with its progress bar, rendered before any script runs.
    expect(html).toContain('Analytics campaign');
    expect(html).toContain('role="progressbar"');
  });

  it('explains a bad query string and falls back to 30 days by day', async () => {
    const response = await client.request('/dashboard?granularity=hour');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('granularity must be one of day, week, month');
  });
});
