/**
 * Sign-in, sessions and their invalidation over real HTTP against the built
 * server (checklist items 5–10). Every user is made fresh by the factories, so
 * no test depends on another's throttle counters or sessions.
 */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makePlatformAdmin, makeSession, makeUser } from '../factories';
import { useTestDatabase } from '../helpers/db';
import {
  cookiesNamed,
  HttpClient,
  isCleared,
  lastCookie,
  type ParsedCookie,
} from '../helpers/http-client';
import { useWebServer } from '../helpers/server';

const t = useTestDatabase();
const server = useWebServer(() => t.url);

const SESSION = 'sb_session';
const DAY = 24 * 60 * 60 * 1000;
const WRONG_PASSWORD = 'definitely not the password';

const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');

function expiresOf(cookie: ParsedCookie | undefined): number {
  const expires = cookie?.attributes.expires;
  if (typeof expires !== 'string')
    throw new Error(`cookie has no Expires: ${JSON.stringify(cookie)}`);
  return new Date(expires).getTime();
}

/** A client that carries only `token` as its session cookie (a second browser, or an attacker). */
function clientWithSession(token: string) {
  const client = new HttpClient(server.url);
  client.cookies.set(SESSION, token);
  return client;
}

/** A token in the right shape (32 base32 characters) that no session was ever issued for. */
const randomToken = () =>
  Array.from(randomBytes(32), (b) => 'abcdefghijklmnopqrstuvwxyz234567'[b % 32]).join('');

const uniqueEmail = () => `nobody-${randomBytes(4).toString('hex')}@example.test`;

interface SessionRow {
  id: string;
  user_id: string;
  expires_at: Date;
  created_at: Date;
}

/** The user's session rows, timestamps as Dates (drizzle makes the driver hand back strings). */
async function sessionRows(userId: string): Promise<SessionRow[]> {
  const rows = await t.sql<Record<string, unknown>[]>`
    select * from sessions where user_id = ${userId} order by created_at`;
  return rows.map((row) => ({
    ...row,
    id: String(row.id),
    user_id: String(row.user_id),
    expires_at: new Date(String(row.expires_at)),
    created_at: new Date(String(row.created_at)),
  }));
}

async function meStatus(client: HttpClient) {
  return (await client.request('/api/me')).status;
}

describe('JSON sign-in', () => {
  it('answers 200 with an ok Result and an HttpOnly, SameSite=Lax, host-only session cookie that lives 30 days', async () => {
    const user = await makeUser(t.db);
    const client = new HttpClient(server.url);
    const before = Date.now();

    const response = await client.login(user.email, user.password);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await response.json();
    expect(body).toMatchObject({ ok: true });
    const cookies = cookiesNamed(response, SESSION);
    expect(cookies).toHaveLength(1);
    const [cookie] = cookies;
    expect(cookie?.value).toMatch(/^[a-z2-7]{32}$/);
    expect(cookie?.attributes.httponly).toBe(true);
    expect(String(cookie?.attributes.samesite).toLowerCase()).toBe('lax');
    expect(cookie?.attributes.path).toBe('/');
    expect(cookie?.attributes).not.toHaveProperty('domain');
    expect(cookie?.attributes).not.toHaveProperty('secure'); // plain http: Secure would drop it
    expect(Math.abs(expiresOf(cookie) - (before + 30 * DAY))).toBeLessThan(60_000);
    // The Result's expiry and the cookie's agree (HTTP dates have whole seconds).
    expect(Math.abs(new Date(body.data.expiresAt).getTime() - expiresOf(cookie))).toBeLessThan(
      1_000,
    );

    const me = await client.request('/api/me');
    expect(me.status).toBe(200);
    expect((await me.json()).data.user).toMatchObject({ id: user.id, email: user.email });
  });

  it('stores only the hex SHA-256 of the cookie token: no column of the session row holds the token', async () => {
    const user = await makeUser(t.db);
    const client = new HttpClient(server.url);
    await client.login(user.email, user.password);
    const token = client.cookies.get(SESSION) ?? '';
    expect(token).toMatch(/^[a-z2-7]{32}$/);

    const rows = await t.sql<Record<string, unknown>[]>`
      select * from sessions where user_id = ${user.id}`;
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row?.id).toBe(sha256Hex(token));
    expect(row?.id).toMatch(/^[0-9a-f]{64}$/);
    for (const [column, value] of Object.entries(row ?? {})) {
      expect(String(value), `sessions.${column}`).not.toContain(token);
    }
  });

  it('replaces a cookie planted before sign-in, and the planted value never becomes a session', async () => {
    const user = await makeUser(t.db);
    const planted = randomToken();
    const client = clientWithSession(planted);

    const response = await client.login(user.email, user.password);

    expect(response.status).toBe(200);
    const issued = client.cookies.get(SESSION);
    expect(issued).toMatch(/^[a-z2-7]{32}$/);
    expect(issued).not.toBe(planted);
    expect(await meStatus(client)).toBe(200);
    expect(await meStatus(clientWithSession(planted))).toBe(401);
    const [row] = await t.sql`select 1 from sessions where id = ${sha256Hex(planted)}`;
    expect(row).toBeUndefined();
  });

  it('signing in again from a browser that already has a session ends the previous session', async () => {
    const user = await makeUser(t.db);
    const client = new HttpClient(server.url);
    await client.login(user.email, user.password);
    const first = client.cookies.get(SESSION) ?? '';

    await client.login(user.email, user.password);
    const second = client.cookies.get(SESSION) ?? '';

    expect(second).not.toBe(first);
    expect(await meStatus(client)).toBe(200);
    expect(await meStatus(clientWithSession(first))).toBe(401);
    expect((await sessionRows(user.id)).map((r) => r.id)).toEqual([sha256Hex(second)]);
  });

  it('answers a malformed JSON body with 400 VALIDATION and no cookie', async () => {
    const client = new HttpClient(server.url);
    const response = await client.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email": "someone@example.test", "password": ',
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(cookiesNamed(response, SESSION)).toEqual([]);
  });
});

describe('failed sign-in', () => {
  it('gives a wrong password and an unknown email the same 401 status and byte-identical body', async () => {
    const user = await makeUser(t.db);
    const wrongPassword = await new HttpClient(server.url).login(user.email, WRONG_PASSWORD);
    const unknownEmail = await new HttpClient(server.url).login(uniqueEmail(), WRONG_PASSWORD);

    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    const a = await wrongPassword.text();
    const b = await unknownEmail.text();
    expect(a).toBe(b);
    expect(JSON.parse(a)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(wrongPassword.headers.get('content-type')).toBe(
      unknownEmail.headers.get('content-type'),
    );
    expect(cookiesNamed(wrongPassword, SESSION)).toEqual([]);
    expect(cookiesNamed(unknownEmail, SESSION)).toEqual([]);
  });

  async function failFiveTimes(email: string, client: HttpClient, forwardedFor?: () => string) {
    for (let i = 0; i < 5; i++) {
      const response = await client.request('/api/auth/login', {
        json: { email, password: `${WRONG_PASSWORD} ${i}` },
        headers: forwardedFor ? { 'x-forwarded-for': forwardedFor() } : {},
      });
      expect(response.status, `failure ${i + 1}`).toBe(401);
    }
  }

  async function expectThrottled(response: Response) {
    expect(response.status).toBe(429);
    const retryAfter = response.headers.get('retry-after');
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeLessThanOrEqual(15 * 60);
    expect(await response.json()).toMatchObject({
      ok: false,
      error: { code: 'RATE_LIMITED', retryable: true, retryAfterSeconds: Number(retryAfter) },
    });
    expect(cookiesNamed(response, SESSION)).toEqual([]);
  }

  it('refuses the sixth attempt after five failures for one email with 429, Retry-After and RATE_LIMITED — even with the right password', async () => {
    const user = await makeUser(t.db);
    const client = new HttpClient(server.url);
    await failFiveTimes(user.email, client);

    await expectThrottled(await client.login(user.email, user.password));
  });

  it('throttles per email across clients: the sixth attempt from a second client is refused too', async () => {
    const user = await makeUser(t.db);
    await failFiveTimes(user.email, new HttpClient(server.url));

    await expectThrottled(await new HttpClient(server.url).login(user.email, user.password));
  });

  it('is not reset by rotating X-Forwarded-For', async () => {
    const user = await makeUser(t.db);
    let n = 0;
    const nextIp = () => `203.0.113.${++n}`;
    await failFiveTimes(user.email, new HttpClient(server.url), nextIp);

    const response = await new HttpClient(server.url).request('/api/auth/login', {
      json: { email: user.email, password: user.password },
      headers: { 'x-forwarded-for': nextIp() },
    });
    await expectThrottled(response);
  });

  it('counts differently-cased spellings of an email against the same limit', async () => {
    const user = await makeUser(t.db);
    await failFiveTimes(user.email.toUpperCase(), new HttpClient(server.url));

    await expectThrottled(await new HttpClient(server.url).login(user.email, user.password));
  });

  it('throttles only the attacked email: another user still signs in', async () => {
    const victim = await makeUser(t.db);
    const bystander = await makeUser(t.db);
    await failFiveTimes(victim.email, new HttpClient(server.url));

    expect(
      (await new HttpClient(server.url).login(bystander.email, bystander.password)).status,
    ).toBe(200);
  });
});

describe('form sign-in (no JavaScript)', () => {
  it('answers a urlencoded form post with 303 to `next` and sets the session cookie', async () => {
    const user = await makeUser(t.db);
    const client = new HttpClient(server.url);
    const response = await client.request('/api/auth/login', {
      form: { email: user.email, password: user.password, next: '/workspaces?from=login' },
    });

    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/workspaces?from=login');
    expect(lastCookie(response, SESSION)?.value).toMatch(/^[a-z2-7]{32}$/);
    expect(await meStatus(client)).toBe(200);
  });

  const ORIGIN_ESCAPES = [
    '//evil.com',
    '///evil.com',
    'https://evil.com',
    'http:evil.com',
    '//evil.com/%2F..',
    '/\\evil.com',
    '\\\\evil.com',
    '/\\/evil.com',
    '/%2F%2Fevil.com',
    '%2F%2Fevil.com',
    '/%5Cevil.com',
    '/\t/evil.com',
    ' //evil.com',
    'javascript:alert(document.domain)',
    '/..//evil.com',
    '/.//evil.com',
  ];

  it.each(ORIGIN_ESCAPES)('keeps a sign-in with next=%j on this site', async (next) => {
    const user = await makeUser(t.db);
    const response = await new HttpClient(server.url).request('/api/auth/login', {
      form: { email: user.email, password: user.password, next },
    });

    expect(response.status).toBe(303);
    const location = response.headers.get('location') ?? '';
    expect(location.startsWith('/')).toBe(true);
    expect(location.startsWith('//')).toBe(false);
    expect(location).not.toMatch(/[\\\s]/);
    const target = new URL(location, server.url);
    expect(target.origin).toBe(new URL(server.url).origin);
    expect(target.hostname).not.toContain('evil');
  });

  it('sends a failed form sign-in back to the login page, keeping only a same-site next', async () => {
    const user = await makeUser(t.db);
    const response = await new HttpClient(server.url).request('/api/auth/login', {
      form: { email: user.email, password: WRONG_PASSWORD, next: '//evil.com' },
    });

    expect(response.status).toBe(303);
    const target = new URL(response.headers.get('location') ?? '', server.url);
    expect(target.origin).toBe(new URL(server.url).origin);
    expect(target.pathname).toBe('/login');
    expect(target.searchParams.get('error')).toBe('invalid');
    expect(target.searchParams.get('next')).toBe('/dashboard');
    expect(cookiesNamed(response, SESSION)).toEqual([]);
  });
});

describe('ending sessions', () => {
  it('logout deletes the session: the old cookie then gets 401 on /api/me', async () => {
    const user = await makeUser(t.db);
    const client = new HttpClient(server.url);
    await client.login(user.email, user.password);
    const token = client.cookies.get(SESSION) ?? '';
    expect(await meStatus(clientWithSession(token))).toBe(200);

    const response = await client.request('/api/auth/logout', { json: {} });

    expect(response.status).toBe(200);
    expect(isCleared(lastCookie(response, SESSION))).toBe(true);
    expect(await meStatus(clientWithSession(token))).toBe(401);
    expect(await sessionRows(user.id)).toEqual([]);
  });

  it('a password change ends every session of the user and hands this browser a working new one', async () => {
    const user = await makeUser(t.db);
    const browser = new HttpClient(server.url);
    await browser.login(user.email, user.password);
    const oldToken = browser.cookies.get(SESSION) ?? '';
    const otherDevice = new HttpClient(server.url);
    await otherDevice.login(user.email, user.password);
    expect(await meStatus(otherDevice)).toBe(200);

    const newPassword = 'a completely new passphrase';
    const response = await browser.request('/api/auth/password', {
      json: { currentPassword: user.password, newPassword },
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true });
    const newToken = lastCookie(response, SESSION)?.value ?? '';
    expect(newToken).toMatch(/^[a-z2-7]{32}$/);
    expect(newToken).not.toBe(oldToken);
    expect(await meStatus(clientWithSession(oldToken))).toBe(401);
    expect(await meStatus(otherDevice)).toBe(401);
    expect(await meStatus(browser)).toBe(200);
    expect((await sessionRows(user.id)).map((r) => r.id)).toEqual([sha256Hex(newToken)]);

    expect((await new HttpClient(server.url).login(user.email, user.password)).status).toBe(401);
    expect((await new HttpClient(server.url).login(user.email, newPassword)).status).toBe(200);
  });

  it('refuses a 7-character new password with 400 VALIDATION and keeps the session', async () => {
    const user = await makeUser(t.db);
    const client = new HttpClient(server.url);
    await client.login(user.email, user.password);
    const token = client.cookies.get(SESSION);

    const response = await client.request('/api/auth/password', {
      json: { currentPassword: user.password, newPassword: 'seven77' },
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', fields: { newPassword: expect.any(String) } },
    });
    expect(cookiesNamed(response, SESSION)).toEqual([]);
    expect(client.cookies.get(SESSION)).toBe(token);
    expect(await meStatus(client)).toBe(200);
  });

  it('deactivating a user ends their sessions at the next request', async () => {
    const user = await makeUser(t.db);
    const { token } = await makeSession(t.db, user.id);
    expect(await meStatus(clientWithSession(token))).toBe(200);

    await t.sql`update users set deactivated_at = now() where id = ${user.id}`;

    expect(await meStatus(clientWithSession(token))).toBe(401);
    expect(await sessionRows(user.id)).toEqual([]);
  });
});

describe('session lifetime', () => {
  it('rejects a session whose expiry has passed with 401, clears the cookie and deletes the row', async () => {
    const user = await makeUser(t.db);
    const { token, session } = await makeSession(t.db, user.id);
    await t.sql`update sessions set expires_at = now() - interval '1 minute' where id = ${session.id}`;

    const response = await clientWithSession(token).request('/api/me');

    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(isCleared(lastCookie(response, SESSION))).toBe(true);
    expect(await sessionRows(user.id)).toEqual([]);
  });

  it('renews a session with fewer than 15 days left: a later Expires on the cookie and in the row', async () => {
    const user = await makeUser(t.db);
    const { token, session } = await makeSession(t.db, user.id);
    await t.sql`update sessions set expires_at = now() + interval '10 days' where id = ${session.id}`;
    const [before] = await sessionRows(user.id);
    const now = Date.now();

    const response = await clientWithSession(token).request('/api/me');

    expect(response.status).toBe(200);
    const cookie = lastCookie(response, SESSION);
    expect(cookie?.value).toBe(token);
    expect(cookie?.attributes.httponly).toBe(true);
    expect(Math.abs(expiresOf(cookie) - (now + 30 * DAY))).toBeLessThan(60_000);
    const [after] = await sessionRows(user.id);
    expect(after?.id).toBe(session.id);
    expect(after?.expires_at.getTime()).toBeGreaterThan(
      (before?.expires_at.getTime() ?? 0) + 19 * DAY,
    );
    expect(Math.abs((after?.expires_at.getTime() ?? 0) - expiresOf(cookie))).toBeLessThan(1_000);
  });

  it('leaves a session with more than 15 days left alone: no cookie, no row change', async () => {
    const user = await makeUser(t.db);
    const { token, session } = await makeSession(t.db, user.id);
    await t.sql`update sessions set expires_at = now() + interval '20 days' where id = ${session.id}`;
    const [before] = await sessionRows(user.id);

    const response = await clientWithSession(token).request('/api/me');

    expect(response.status).toBe(200);
    expect(cookiesNamed(response, SESSION)).toEqual([]);
    const [after] = await sessionRows(user.id);
    expect(after?.expires_at.getTime()).toBe(before?.expires_at.getTime());
  });

  it('never renews past 90 days from sign-in', async () => {
    const user = await makeUser(t.db);
    const { token, session } = await makeSession(t.db, user.id);
    await t.sql`update sessions set created_at = now() - interval '80 days',
      expires_at = now() + interval '5 days' where id = ${session.id}`;
    const [row] = await sessionRows(user.id);
    const cap = (row?.created_at.getTime() ?? 0) + 90 * DAY;

    const response = await clientWithSession(token).request('/api/me');

    expect(response.status).toBe(200);
    expect(Math.abs(expiresOf(lastCookie(response, SESSION)) - cap)).toBeLessThan(1_000);
    const [after] = await sessionRows(user.id);
    expect(after?.expires_at.getTime()).toBe(cap);
  });

  it('rejects a session older than the 90-day cap even though its expiry is ahead', async () => {
    const user = await makeUser(t.db);
    const { token, session } = await makeSession(t.db, user.id);
    await t.sql`update sessions set created_at = now() - interval '91 days',
      expires_at = now() + interval '10 days' where id = ${session.id}`;

    expect(await meStatus(clientWithSession(token))).toBe(401);
    expect(await sessionRows(user.id)).toEqual([]);
  });
});

describe('ways out of the sign-in page', () => {
  it('links to the password reset, and says after a reset that the new password is needed', async () => {
    const plain = await (await fetch(`${server.url}/login`)).text();
    expect(plain).toContain('href="/forgot-password"');
    expect(plain).not.toContain('Your password is changed');
    const afterReset = await (await fetch(`${server.url}/login?reset`)).text();
    expect(afterReset).toContain('Your password is changed');
  });

  it('offers platform administration on the workspace chooser to platform admins only', async () => {
    const member = await makeUser(t.db);
    const admin = await makePlatformAdmin(t.db);
    const pageFor = async (userId: string) => {
      const { token } = await makeSession(t.db, userId);
      const response = await fetch(`${server.url}/workspaces`, {
        headers: { cookie: `${SESSION}=${token}` },
      });
      expect(response.status).toBe(200);
      return response.text();
    };
    expect(await pageFor(member.id)).not.toContain('href="/admin"');
    expect(await pageFor(admin.id)).toContain('href="/admin"');
  });
});
