/**
 * Forgot / reset password and the profile page over real HTTP: answers that
 * never tell whether an address has an account, a reset that ends every
 * session, "sign out everywhere", and profile forms that work without JavaScript.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeSession, makeUser } from '../factories';
import { useTestDatabase } from '../helpers/db';
import { HttpClient } from '../helpers/http-client';
import { useWebServer } from '../helpers/server';

const t = useTestDatabase();
const server = useWebServer(() => t.url);
const SESSION = 'sb_session';

async function browserFor(userId: string) {
  const client = new HttpClient(server.url);
  client.cookies.set(SESSION, (await makeSession(t.db, userId)).token);
  return client;
}

async function resetPath(email: string) {
  const [row] = await t.sql<{ link: string }[]>`
    select link from mail_outbox where to_address = ${email} order by id desc limit 1`;
  if (!row) throw new Error(`nothing mailed to ${email}`);
  return new URL(row.link).pathname;
}

describe('forgot password', () => {
  it('answers a known and an unknown address with the same status, body and similar time', async () => {
    const user = await makeUser(t.db);
    const unknown = `ghost-${randomBytes(4).toString('hex')}@example.test`;
    const ask = async (email: string) => {
      const started = performance.now();
      const response = await new HttpClient(server.url).request('/api/auth/forgot', {
        json: { email },
      });
      return {
        status: response.status,
        body: await response.text(),
        ms: performance.now() - started,
      };
    };
    await ask(unknown); // warm-up
    const known = await ask(user.email);
    const ghost = await ask(unknown);
    expect({ status: ghost.status, body: ghost.body }).toEqual({
      status: known.status,
      body: known.body,
    });
    expect(known.status).toBe(200);
    expect(Math.abs(known.ms - ghost.ms)).toBeLessThan(250);
    const formKnown = await new HttpClient(server.url).request('/api/auth/forgot', {
      form: { email: user.email },
    });
    const formGhost = await new HttpClient(server.url).request('/api/auth/forgot', {
      form: { email: unknown },
    });
    expect(formKnown.headers.get('location')).toBe('/forgot-password?sent');
    expect(formGhost.headers.get('location')).toBe('/forgot-password?sent');
  });
});

describe('resetting a password through the mailed link', () => {
  it('ends every session of the user, and the link works once', async () => {
    const user = await makeUser(t.db);
    const laptop = await browserFor(user.id);
    const phone = await browserFor(user.id);
    expect((await laptop.request('/api/me')).status).toBe(200);
    await new HttpClient(server.url).request('/api/auth/forgot', { form: { email: user.email } });
    const path = await resetPath(user.email);
    const token = path.split('/').pop() ?? '';

    const page = await new HttpClient(server.url).request(path);
    expect(page.status).toBe(200);
    // The token in the path never reaches another site as a Referer, nor a cache.
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
    expect(page.headers.get('cache-control')).toBe('no-store');
    const reset = await new HttpClient(server.url).request('/api/auth/reset', {
      form: { token, password: 'my new long password' },
    });
    expect(reset.status).toBe(303);
    expect(reset.headers.get('location')).toBe('/login?reset');
    expect((await laptop.request('/api/me')).status).toBe(401);
    expect((await phone.request('/api/me')).status).toBe(401);
    const signIn = await new HttpClient(server.url).login(user.email, 'my new long password');
    expect(signIn.status).toBe(200);

    const again = await new HttpClient(server.url).request('/api/auth/reset', {
      json: { token, password: 'another long password' },
    });
    expect(again.status).toBe(404);
    expect((await new HttpClient(server.url).request(path)).status).toBe(404);
  });

  it('answers a too-short password with 400 and the field, keeping the link usable', async () => {
    const user = await makeUser(t.db);
    await new HttpClient(server.url).request('/api/auth/forgot', { json: { email: user.email } });
    const token = (await resetPath(user.email)).split('/').pop() ?? '';
    const response = await new HttpClient(server.url).request('/api/auth/reset', {
      json: { token, password: 'short' },
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error.fields).toEqual({ password: expect.any(String) });
    expect((await new HttpClient(server.url).request(`/reset-password/${token}`)).status).toBe(200);
  });
});

describe('the profile page', () => {
  it('shows the name, email and sessions, and saves a new name from a plain form', async () => {
    const user = await makeUser(t.db);
    const client = await browserFor(user.id);
    const html = await (await client.request('/profile')).text();
    expect(html).toContain(user.email);
    expect(html).toContain('this browser');
    expect(html).not.toContain(client.cookies.get(SESSION));
    const saved = await client.request('/api/profile', { form: { name: 'Renamed Person' } });
    expect(saved.headers.get('location')).toBe('/profile?saved=name');
    expect(await (await client.request('/profile?saved=name')).text()).toContain('Renamed Person');
    const bad = await client.request('/api/profile', { json: { name: '' } });
    expect(bad.status).toBe(400);
  });

  it('changes the password from a form: other sessions end, this browser stays signed in', async () => {
    const user = await makeUser(t.db);
    const here = await browserFor(user.id);
    const elsewhere = await browserFor(user.id);
    const changed = await here.request('/api/profile/password', {
      form: { currentPassword: user.password, newPassword: 'a fresh long password' },
    });
    expect(changed.headers.get('location')).toBe('/profile?saved=password');
    expect((await here.request('/api/me')).status).toBe(200);
    expect((await elsewhere.request('/api/me')).status).toBe(401);
  });

  it('"sign out everywhere" ends every session, this one included', async () => {
    const user = await makeUser(t.db);
    const here = await browserFor(user.id);
    const elsewhere = await browserFor(user.id);
    const out = await here.request('/api/profile/sessions/revoke-all', { form: {} });
    expect(out.headers.get('location')).toBe('/login?signed-out');
    expect((await elsewhere.request('/api/me')).status).toBe(401);
    expect(here.cookies.has(SESSION)).toBe(false);
  });

  it('changes the email only after the link sent to the new address is confirmed', async () => {
    const user = await makeUser(t.db);
    const client = await browserFor(user.id);
    const next = `new-${randomBytes(4).toString('hex')}@example.test`;
    const asked = await client.request('/api/profile/email', {
      json: { email: next, currentPassword: user.password },
    });
    expect(await asked.json()).toEqual({ ok: true, data: { sentTo: next } });
    const [mail] = await t.sql<
      { link: string }[]
    >`select link from mail_outbox where to_address = ${next}`;
    const link = new URL(mail?.link ?? '');
    const token = link.searchParams.get('confirm-email') ?? '';
    const page = await (await client.request(`${link.pathname}${link.search}`)).text();
    expect(page).toContain('Confirm new email');
    const confirmed = await client.request('/api/profile/email/confirm', { form: { token } });
    expect(confirmed.headers.get('location')).toBe('/profile?saved=email');
    const me = await (await client.request('/api/me')).json();
    expect(JSON.stringify(me)).toContain(next);
  });
});
