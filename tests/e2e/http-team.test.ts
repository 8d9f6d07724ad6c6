/**
 * /settings/team and invitations over real HTTP: role changes, the last
 * owner, removal revoking the workspace at once, and accepting an invite
 * from its mailed link with the same answer whether or not the address has
 * an account.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeMember, makeSession, makeTenant, makeUser } from '../factories';
import { useTestDatabase } from '../helpers/db';
import { HttpClient } from '../helpers/http-client';
import { useWebServer } from '../helpers/server';

const t = useTestDatabase();
const server = useWebServer(() => t.url);

const SESSION = 'sb_session';
const TENANT = 'sb_tenant';

async function browserFor(userId: string, tenantId?: string) {
  const client = new HttpClient(server.url);
  client.cookies.set(SESSION, (await makeSession(t.db, userId)).token);
  if (tenantId) client.cookies.set(TENANT, tenantId);
  return client;
}

async function team() {
  const tenant = await makeTenant(t.db);
  const owner = (await makeMember(t.db, { tenant, role: 'owner' })).user;
  const admin = (await makeMember(t.db, { tenant, role: 'admin' })).user;
  const member = (await makeMember(t.db, { tenant, role: 'member' })).user;
  return { tenant, owner, admin, member };
}

async function inviteLink(email: string): Promise<string> {
  const [row] = await t.sql<{ link: string }[]>`
    select link from mail_outbox where to_address = ${email} order by id desc limit 1`;
  if (!row) throw new Error(`nothing mailed to ${email}`);
  return new URL(row.link).pathname;
}

describe('the team page', () => {
  it('lists members with roles and pending invitations', async () => {
    const { tenant, owner, member } = await team();
    const client = await browserFor(owner.id, tenant.id);
    await client.request('/api/team/invites', {
      json: { email: 'pending@example.test', role: 'admin' },
    });
    const html = await (await client.request('/settings/team')).text();
    expect(html).toContain(member.email);
    expect(html).toContain('pending@example.test');
    expect(html).toMatch(/<h1>Team<\/h1>/);
  });

  it('keeps the last owner: demoting them answers 409 and changes nothing', async () => {
    const { tenant, owner } = await team();
    const client = await browserFor(owner.id, tenant.id);
    const response = await client.request(`/api/team/members/${owner.id}/role`, {
      json: { role: 'admin' },
    });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const [row] = await t.sql`select role from memberships where user_id = ${owner.id}`;
    expect(row?.role).toBe('owner');
  });

  it('answers 400 with the field for a bad role, and 403 when an admin tries to grant ownership', async () => {
    const { tenant, admin, member } = await team();
    const client = await browserFor(admin.id, tenant.id);
    const bad = await client.request(`/api/team/members/${member.id}/role`, {
      json: { role: 'god' },
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.fields).toEqual({ role: expect.any(String) });
    const owner = await client.request(`/api/team/members/${member.id}/role`, {
      json: { role: 'owner' },
    });
    expect(owner.status).toBe(403);
    const [row] = await t.sql`select role from memberships where user_id = ${member.id}`;
    expect(row?.role).toBe('member');
  });

  it('revokes a removed member at once: their next request is refused', async () => {
    const { tenant, owner, member } = await team();
    const theirs = await browserFor(member.id, tenant.id);
    expect((await theirs.request('/dashboard')).status).toBe(200);
    const client = await browserFor(owner.id, tenant.id);
    const removed = await client.request(`/api/team/members/${member.id}/remove`, { form: {} });
    expect(removed.status).toBe(303);
    expect(removed.headers.get('location')).toBe('/settings/team?saved=removed');
    expect((await theirs.request('/dashboard')).status).toBe(403);
  });

  it("cannot touch another workspace's members: 404, nothing changed", async () => {
    const mine = await team();
    const theirs = await team();
    const client = await browserFor(mine.owner.id, mine.tenant.id);
    const response = await client.request(`/api/team/members/${theirs.member.id}/remove`, {
      json: {},
    });
    expect(response.status).toBe(404);
    const [row] = await t.sql`select role from memberships where user_id = ${theirs.member.id}`;
    expect(row?.role).toBe('member');
  });
});

describe('accepting an invitation', () => {
  it('gives the same status and body for an address with and without an account', async () => {
    const { tenant, owner } = await team();
    const existing = await makeUser(t.db);
    const fresh = `fresh-${randomBytes(4).toString('hex')}@example.test`;
    const client = await browserFor(owner.id, tenant.id);
    for (const email of [existing.email, fresh]) {
      const sent = await client.request('/api/team/invites', { json: { email, role: 'member' } });
      expect(sent.status).toBe(201);
    }
    const answers = [];
    for (const email of [existing.email, fresh]) {
      const path = await inviteLink(email);
      const page = await new HttpClient(server.url).request(path);
      expect(page.status).toBe(200);
      const pageText = await page.text();
      expect(pageText).toContain(email);
      const token = path.split('/').pop() ?? '';
      const response = await new HttpClient(server.url).request('/api/auth/invite', {
        json: { token, name: 'Someone', password: 'a long enough password' },
      });
      answers.push({ status: response.status, body: await response.text() });
      expect(response.headers.getSetCookie().some((c) => c.startsWith(`${SESSION}=`))).toBe(true);
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]?.status).toBe(200);
  });

  it('signs the browser in to the workspace through the plain form, and the link then stops working', async () => {
    const { tenant, owner } = await team();
    const email = `form-${randomBytes(4).toString('hex')}@example.test`;
    const client = await browserFor(owner.id, tenant.id);
    await client.request('/api/team/invites', { form: { email, role: 'admin' } });
    const path = await inviteLink(email);
    const token = path.split('/').pop() ?? '';
    const invitee = new HttpClient(server.url);
    const accepted = await invitee.request('/api/auth/invite', {
      form: { token, name: 'Form User', password: 'a long enough password' },
    });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('location')).toBe('/dashboard');
    const dashboard = await invitee.request('/dashboard');
    expect(dashboard.status).toBe(200);
    expect(await (await invitee.request('/settings/team')).text()).toContain(email);

    const again = await new HttpClient(server.url).request('/api/auth/invite', {
      form: { token, name: 'Again', password: 'a long enough password' },
    });
    expect(again.headers.get('location')).toMatch(/^\/invite\/[a-z2-7]{32}\?error=/);
    expect((await new HttpClient(server.url).request(path)).status).toBe(404);
  });

  it('refuses a forged token with 404 and the same message as a used one', async () => {
    const forged = await new HttpClient(server.url).request('/api/auth/invite', {
      json: { token: 'c'.repeat(32), name: 'X', password: 'a long enough password' },
    });
    expect(forged.status).toBe(404);
    expect((await forged.json()).error.message).toMatch(/invalid or has expired/);
  });
});
