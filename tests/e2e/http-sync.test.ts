/**
 * Sync status, "Sync now" and Settings over HTTP against the built server,
 * with ClientTether played by the simulator.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ClientTetherSimulator,
  startClientTetherSimulator,
} from '../../src/lib/clienttether/simulator';
import { makeMember, makeSession, makeTenant, makeUser } from '../factories';
import {
  connectTenant,
  newWebKey,
  SIM_ACCESS_TOKEN,
  TEST_SECRETS_KEY,
} from '../helpers/clienttether';
import { useTestDatabase } from '../helpers/db';
import { HttpClient } from '../helpers/http-client';
import { startWebServer, type WebServer } from '../helpers/server';

const t = useTestDatabase();
const webKey = newWebKey();
let simulator: ClientTetherSimulator;
let server: WebServer;
beforeAll(async () => {
  simulator = await startClientTetherSimulator({
    accessToken: SIM_ACCESS_TOKEN,
    tenants: [{ webKey, seed: 9, clients: 30, opportunities: 10 }],
  });
  server = await startWebServer(t.url, {
    CLIENTTETHER_API_URL: simulator.url,
    SECRETS_KEY: TEST_SECRETS_KEY,
  });
});
afterAll(async () => {
  await server?.stop();
  await simulator?.stop();
});

async function signedIn(
  role: 'owner' | 'admin' | 'member',
  options: { connected?: boolean; platformAdmin?: boolean } = {},
) {
  const tenant = await makeTenant(t.db);
  if (options.connected) await connectTenant(t.db, tenant.id, webKey);
  const user = await makeUser(t.db, { isPlatformAdmin: options.platformAdmin ?? false });
  await makeMember(t.db, { tenant, user, role });
  const { token } = await makeSession(t.db, user.id);
  const client = new HttpClient(server.url);
  client.cookies.set('sb_session', token);
  client.cookies.set('sb_tenant', tenant.id);
  return { tenant, user, client };
}

async function waitForRun(tenantId: string) {
  for (let i = 0; i < 100; i++) {
    const [row] = await t.db.execute<{ status: string }>(
      sql`select status from sync_runs where tenant_id = ${tenantId} order by started_at desc limit 1`,
    );
    if (row && row.status !== 'running') return row.status;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('sync did not finish');
}

describe('GET /api/sync/status', () => {
  it('answers never-synced for a fresh workspace', async () => {
    const { client } = await signedIn('member');
    const response = await client.request('/api/sync/status');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      ok: true,
      data: { lastSyncAt: null, status: 'never', isStale: true, lastError: null },
    });
  });

  it('answers 401 without a session and 403 without a workspace', async () => {
    expect((await new HttpClient(server.url).request('/api/sync/status')).status).toBe(401);
    const user = await makeUser(t.db);
    const { token } = await makeSession(t.db, user.id);
    const client = new HttpClient(server.url);
    client.cookies.set('sb_session', token);
    expect((await client.request('/api/sync/status')).status).toBe(403);
  });
});

describe('POST /api/sync/trigger', () => {
  it('lets an admin start a sync (202), which then shows as the status, and refuses a second within 5 minutes (429)', async () => {
    const { tenant, client } = await signedIn('admin', { connected: true });
    const first = await client.request('/api/sync/trigger', { json: {} });
    expect(first.status).toBe(202);
    expect(await waitForRun(tenant.id)).toBe('success');
    const status = await (await client.request('/api/sync/status')).json();
    expect(status.data).toMatchObject({ status: 'success', isStale: false });

    const second = await client.request('/api/sync/trigger', { json: {} });
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await second.json()).toMatchObject({
      ok: false,
      error: { code: 'RATE_LIMITED', retryable: true },
    });
  });

  it('is refused to a member (403) and changes nothing', async () => {
    const { tenant, client } = await signedIn('member', { connected: true });
    expect((await client.request('/api/sync/trigger', { json: {} })).status).toBe(403);
    const [row] = await t.db.execute<{ n: number }>(
      sql`select count(*)::int as n from sync_runs where tenant_id = ${tenant.id}`,
    );
    expect(row?.n).toBe(0);
  });

  it('answers 412 when the workspace has no credentials', async () => {
    const { client } = await signedIn('owner');
    expect((await client.request('/api/sync/trigger', { json: {} })).status).toBe(412);
  });
});

describe('Settings', () => {
  it('shows whether credentials are set, never their value', async () => {
    const { client } = await signedIn('owner', { connected: true });
    const page = await client.request('/settings');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Web key');
    expect(html).toMatch(/>Set</);
    expect(html).not.toContain(webKey);
    expect(html).not.toContain(SIM_ACCESS_TOKEN);
  });

  it('is not open to members', async () => {
    const { client } = await signedIn('member');
    expect((await client.request('/settings')).status).toBe(403);
  });

  it('lets the owner set the web key (form post), then Test connection succeeds', async () => {
    const { tenant, client } = await signedIn('owner');
    await connectTenant(t.db, tenant.id, 'CT_ffffffffffffffffffffffffffffffff');
    const saved = await client.request('/api/settings/clienttether', { form: { webKey } });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('/settings?saved=credentials');
    const test = await client.request('/api/settings/clienttether/test', { json: {} });
    expect(await test.json()).toMatchObject({ ok: true, data: { users: expect.any(Number) } });
  });

  it('reports a failed connection test without echoing the key', async () => {
    const { tenant, client } = await signedIn('owner');
    const wrongKey = 'CT_eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee';
    await connectTenant(t.db, tenant.id, wrongKey);
    const response = await client.request('/api/settings/clienttether/test', { json: {} });
    const body = await response.text();
    expect(response.status).toBe(412);
    expect(body).toMatch(/refused the credentials/);
    expect(body).not.toContain(wrongKey);
  });

  it('keeps the web key to the owner and the access token to platform admins', async () => {
    const admin = await signedIn('admin');
    expect(
      (await admin.client.request('/api/settings/clienttether', { json: { webKey: 'CT_x' } }))
        .status,
    ).toBe(403);
    const owner = await signedIn('owner');
    expect(
      (await owner.client.request('/api/settings/clienttether', { json: { accessToken: 'tok' } }))
        .status,
    ).toBe(403);
    const platform = await signedIn('member', { platformAdmin: true });
    expect(
      (
        await platform.client.request('/api/settings/clienttether', {
          json: { accessToken: 'tok' },
        })
      ).status,
    ).toBe(403);
    const platformAdmin = await signedIn('admin', { platformAdmin: true });
    const ok = await platformAdmin.client.request('/api/settings/clienttether', {
      json: { accessToken: 'tok' },
    });
    expect(await ok.json()).toEqual({ ok: true, data: { webKeySet: false, accessTokenSet: true } });
  });

  it('validates the hot list rule and saves a valid one', async () => {
    const { client } = await signedIn('admin');
    const bad = await client.request('/api/settings/hot-list', { json: { minLikelihood: 150 } });
    expect(bad.status).toBe(400);
    const good = await client.request('/api/settings/hot-list', {
      form: { mode: 'stages', stages: 'FDD Signed, FA Sent' },
    });
    expect(good.headers.get('location')).toBe('/settings?saved=hot-list');
    const page = await (await client.request('/settings')).text();
    expect(page).toContain('FDD Signed, FA Sent');
  });

  it('rejects malformed bodies with 400 and never 500', async () => {
    const { client } = await signedIn('owner');
    for (const body of ['{', '[]', '"x"', '{"webKey": 5}', '{"webKey": ""}']) {
      const response = await client.request('/api/settings/clienttether', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(response.status, body).toBeGreaterThanOrEqual(400);
      expect(response.status, body).toBeLessThan(500);
    }
  });
});
