/**
 * Cross-site request hygiene and response headers over real HTTP against the
 * built server (checklist item 11).
 */
import { describe, expect, it } from 'vitest';
import { makeMember, makeSession, makeUser } from '../factories';
import { useTestDatabase } from '../helpers/db';
import { HttpClient, parseSetCookie } from '../helpers/http-client';
import { useWebServer } from '../helpers/server';

const t = useTestDatabase();
const server = useWebServer(() => t.url);

const SESSION = 'sb_session';
const EVIL = 'https://evil.example';

const setsSession = (response: Response) =>
  response.headers
    .getSetCookie()
    .map(parseSetCookie)
    .some((c) => c.name === SESSION && c.value !== '');

async function signedIn(userId: string): Promise<HttpClient> {
  const { token } = await makeSession(t.db, userId);
  const client = new HttpClient(server.url);
  client.cookies.set(SESSION, token);
  return client;
}

/** A request's Location resolved against the server: where a browser would go. */
function target(response: Response): URL {
  const location = response.headers.get('location');
  if (location === null) throw new Error(`no Location (status ${response.status})`);
  return new URL(location, server.url);
}

describe('cross-site requests', () => {
  it('refuses a cross-origin form post with 403 and signs nobody in', async () => {
    const user = await makeUser(t.db);
    const response = await new HttpClient(server.url).request('/api/auth/login', {
      form: { email: user.email, password: user.password },
      headers: { origin: EVIL },
    });

    expect(response.status).toBe(403);
    expect(setsSession(response)).toBe(false);
  });

  it('refuses a cross-origin form post even when X-Forwarded-Host/Proto claim the evil origin', async () => {
    const user = await makeUser(t.db);
    const response = await new HttpClient(server.url).request('/api/auth/login', {
      form: { email: user.email, password: user.password },
      headers: {
        origin: EVIL,
        'x-forwarded-host': 'evil.example',
        'x-forwarded-proto': 'https',
      },
    });

    expect(response.status).toBe(403);
    expect(setsSession(response)).toBe(false);
  });

  it('refuses a cross-origin sign-out form (login CSRF in reverse) and keeps the session', async () => {
    const user = await makeUser(t.db);
    const client = await signedIn(user.id);

    const response = await client.request('/api/auth/logout', {
      form: {},
      headers: { origin: EVIL },
    });

    expect(response.status).toBe(403);
    expect((await client.request('/api/me')).status).toBe(200);
  });

  it('refuses a JSON post labelled Sec-Fetch-Site: cross-site with 403 FORBIDDEN', async () => {
    const user = await makeUser(t.db);
    const client = new HttpClient(server.url);

    const response = await client.request('/api/auth/login', {
      json: { email: user.email, password: user.password },
      headers: { 'sec-fetch-site': 'cross-site' },
    });

    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(setsSession(response)).toBe(false);

    // The same request labelled same-origin goes through.
    const sameOrigin = await client.request('/api/auth/login', {
      json: { email: user.email, password: user.password },
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    expect(sameOrigin.status).toBe(200);
  });

  it('refuses a cross-site JSON password change from a signed-in browser, leaving the password alone', async () => {
    const user = await makeUser(t.db);
    const client = await signedIn(user.id);

    const response = await client.request('/api/auth/password', {
      json: { currentPassword: user.password, newPassword: 'attacker chosen password' },
      headers: { 'sec-fetch-site': 'cross-site' },
    });

    expect(response.status).toBe(403);
    expect((await new HttpClient(server.url).login(user.email, user.password)).status).toBe(200);
  });
});

describe('content types on JSON APIs', () => {
  it('answers a same-origin text/plain post with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const user = await makeUser(t.db);
    const response = await new HttpClient(server.url).request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ email: user.email, password: user.password }),
    });

    expect(response.status).toBe(415);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({
      ok: false,
      error: { code: 'UNSUPPORTED_MEDIA_TYPE' },
    });
    expect(setsSession(response)).toBe(false);
  });

  it.each([
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'text/plain;charset=UTF-8',
  ])('answers a %s post to a JSON-only API with 415 and changes nothing', async (type) => {
    const user = await makeUser(t.db);
    const client = await signedIn(user.id);

    const response = await client.request('/api/auth/password', {
      method: 'POST',
      headers: { 'content-type': type },
      body: 'currentPassword=x&newPassword=y',
    });

    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ error: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
    expect((await client.request('/api/me')).status).toBe(200);
  });
});

describe('forwarded headers', () => {
  const forged = { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' };

  it("don't change the Location of the sign-in redirect", async () => {
    const response = await new HttpClient(server.url).request('/dashboard', { headers: forged });

    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/login?next=%2Fdashboard');
    expect(target(response).origin).toBe(new URL(server.url).origin);
  });

  it("don't change where a signed-in visitor to /login or /workspaces is sent", async () => {
    const { user } = await makeMember(t.db);
    const second = await makeMember(t.db, { user });
    const client = await signedIn(second.user.id);

    const login = await client.request('/login?next=/workspaces', { headers: forged });
    expect(login.status).toBe(302);
    expect(target(login).origin).toBe(new URL(server.url).origin);
    expect(target(login).pathname).toBe('/workspaces');

    const dashboard = await client.request('/dashboard', { headers: forged });
    expect(dashboard.status).toBe(302);
    expect(target(dashboard).origin).toBe(new URL(server.url).origin);
    expect(target(dashboard).pathname).toBe('/workspaces');
  });

  it("don't change the Location of a form sign-in", async () => {
    const user = await makeUser(t.db);
    const response = await new HttpClient(server.url).request('/api/auth/login', {
      form: { email: user.email, password: user.password, next: '/workspaces' },
      headers: forged,
    });

    expect(response.status).toBe(303);
    expect(target(response).href).toBe(new URL('/workspaces', server.url).href);
  });
});

describe('response headers', () => {
  it.each([
    ['a public API', '/api/health', 200],
    ['the login page', '/login', 200],
    ['a sign-in redirect', '/dashboard', 302],
    ['an unauthenticated API', '/api/me', 401],
    ['an unknown path', '/no-such-page', 302],
  ])('%s (%s) carries x-content-type-options: nosniff', async (_label, path, status) => {
    const response = await new HttpClient(server.url).request(path);

    expect(response.status).toBe(status);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('nosniff is also set on refusals: 415, 403 tenant refusal and a signed-in page', async () => {
    const { user, tenant } = await makeMember(t.db);
    const client = await signedIn(user.id);

    const refused = await client.request('/api/auth/password', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(refused.status).toBe(415);
    expect(refused.headers.get('x-content-type-options')).toBe('nosniff');

    client.cookies.set('sb_tenant', 'garbage');
    const forbidden = await client.request('/dashboard');
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('x-content-type-options')).toBe('nosniff');

    client.cookies.set('sb_tenant', tenant.id);
    const page = await client.request('/dashboard');
    expect(page.status).toBe(200);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('cache-control')).toBe('no-store');
  });

  it('GET /api/health answers 200 with an ok Result without signing in', async () => {
    const response = await new HttpClient(server.url).request('/api/health');

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, data: { status: 'ok' } });
    expect(response.headers.getSetCookie()).toEqual([]);
  });
});
