/**
 * Cookie flags as a production deployment sends them: PUBLIC_URL is https
 * (TLS ends at a proxy), so cookies are Secure and `__Host-` prefixed
 * (checklist item 6), both at sign-in and when a session is renewed.
 */
import { describe, expect, it } from 'vitest';
import { hashToken } from '../../src/lib/auth/tokens';
import { makeMember, makeSession } from '../factories';
import { useTestDatabase } from '../helpers/db';
import { HttpClient, parseSetCookie } from '../helpers/http-client';
import { useWebServer } from '../helpers/server';

const t = useTestDatabase();
const server = useWebServer(() => t.url, { PUBLIC_URL: 'https://portal.switchboard.example' });
const DAY = 86_400_000;

function sessionCookie(response: Response) {
  const cookies = response.headers.getSetCookie().map(parseSetCookie);
  return cookies.find((c) => c.name === '__Host-sb_session');
}

function expectProductionFlags(cookie: ReturnType<typeof sessionCookie>) {
  expect(cookie).toBeDefined();
  expect(cookie?.attributes).toMatchObject({
    httponly: true,
    secure: true,
    samesite: 'Lax',
    path: '/',
  });
  expect(cookie?.attributes).not.toHaveProperty('domain');
}

describe('cookies behind https', () => {
  it('are __Host- prefixed, Secure, HttpOnly, SameSite=Lax, Path=/, with Expires and no Domain at sign-in', async () => {
    const { user } = await makeMember(t.db);
    const client = new HttpClient(server.url);
    const response = await client.login(user.email, user.password);
    expect(response.status).toBe(200);
    const cookie = sessionCookie(response);
    expectProductionFlags(cookie);
    const expires = new Date(String(cookie?.attributes.expires)).getTime();
    expect(Math.abs(expires - (Date.now() + 30 * DAY))).toBeLessThan(60_000);
    expect(response.headers.getSetCookie().some((h) => h.startsWith('sb_session='))).toBe(false);
  });

  it('keep those flags when a validated request renews the session', async () => {
    const { user } = await makeMember(t.db);
    const { token } = await makeSession(t.db, user.id, new Date(Date.now() - 20 * DAY));
    const client = new HttpClient(server.url);
    client.cookies.set('__Host-sb_session', token);
    const response = await client.request('/api/me');
    expect(response.status).toBe(200);
    const cookie = sessionCookie(response);
    expectProductionFlags(cookie);
    expect(cookie?.value).toBe(token);
    const [row] = await t.sql`select expires_at from sessions where id = ${hashToken(token)}`;
    expect(new Date(row?.expires_at).getTime()).toBeGreaterThan(Date.now() + 29 * DAY);
  });

  it('ignore a plain-named session cookie, which a sibling subdomain could have planted', async () => {
    const { user } = await makeMember(t.db);
    const { token } = await makeSession(t.db, user.id);
    const client = new HttpClient(server.url);
    client.cookies.set('sb_session', token);
    expect((await client.request('/api/me')).status).toBe(401);
  });
});
