/**
 * Workspace (tenant) selection and isolation over real HTTP against the built
 * server: who gets redirected where, and that a tenant cookie is re-checked
 * against memberships on every request (checklist item 8).
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { MembershipRole } from '../../src/lib/db/schema';
import { makeMember, makeSession, makeTenant, makeUser } from '../factories';
import { useTestDatabase } from '../helpers/db';
import { HttpClient, isCleared, lastCookie } from '../helpers/http-client';
import { useWebServer } from '../helpers/server';

const t = useTestDatabase();
const server = useWebServer(() => t.url);

const SESSION = 'sb_session';
const TENANT = 'sb_tenant';

const suffix = () => randomBytes(3).toString('hex');

/** A browser signed in as `userId` (a session made in the database, no password round trip). */
async function signedIn(userId: string): Promise<HttpClient> {
  const { token } = await makeSession(t.db, userId);
  const client = new HttpClient(server.url);
  client.cookies.set(SESSION, token);
  return client;
}

/** A user who belongs to the given tenants with the given roles. */
async function userIn(...memberships: { tenant: { id: string }; role?: MembershipRole }[]) {
  const user = await makeUser(t.db);
  for (const m of memberships) {
    const tenant = m.tenant as Awaited<ReturnType<typeof makeTenant>>;
    await makeMember(t.db, { tenant, user, role: m.role ?? 'member' });
  }
  return user;
}

/** The HTML inside `<main id="main">`, the page's own content (not the top bar). */
function mainContent(html: string): string {
  const match = html.match(/<main\b[^>]*\bid="main"[^>]*>([\s\S]*?)<\/main>/);
  if (!match?.[1]) throw new Error(`no <main id="main"> in:\n${html.slice(0, 2000)}`);
  return match[1];
}

/** The workspace switcher's drop-down. */
function switcher(html: string): string {
  const match = html.match(
    /<details\b[^>]*class="[^"]*\btenant-switcher\b[^"]*"[^>]*>([\s\S]*?)<\/details>/,
  );
  if (!match?.[1]) throw new Error(`no tenant switcher in:\n${html.slice(0, 2000)}`);
  return match[1];
}

describe('signed-out visitors', () => {
  it('are sent from a page to /login with the page (and its query) as next', async () => {
    const response = await new HttpClient(server.url).request('/dashboard?tab=calls&x=1');

    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(
      `/login?next=${encodeURIComponent('/dashboard?tab=calls&x=1')}`,
    );
  });

  it('get a 401 JSON Result from an API, not a redirect', async () => {
    const response = await new HttpClient(server.url).request('/api/me');

    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.json()).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED', message: expect.any(String) },
    });
  });

  it('are not let in by a tenant cookie alone', async () => {
    const tenant = await makeTenant(t.db);
    const client = new HttpClient(server.url);
    client.cookies.set(TENANT, tenant.id);

    const response = await client.request('/dashboard');

    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/login?next=%2Fdashboard');
  });
});

describe('choosing a workspace', () => {
  it('sends a user with two workspaces and no tenant cookie from /dashboard to /workspaces', async () => {
    const a = await makeTenant(t.db, { name: `Alpha ${suffix()}` });
    const b = await makeTenant(t.db, { name: `Bravo ${suffix()}` });
    const user = await userIn({ tenant: a }, { tenant: b });
    const client = await signedIn(user.id);

    const response = await client.request('/dashboard');

    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/workspaces?next=%2Fdashboard');
    expect(lastCookie(response, TENANT)).toBeUndefined();

    const picker = await client.request('/workspaces');
    expect(picker.status).toBe(200);
    const html = await picker.text();
    expect(html).toContain(a.name);
    expect(html).toContain(b.name);
  });

  it('takes a user with exactly one workspace straight to its dashboard and remembers it', async () => {
    const tenant = await makeTenant(t.db, { name: `Solo ${suffix()}` });
    const user = await userIn({ tenant, role: 'owner' });
    const client = await signedIn(user.id);

    const response = await client.request('/dashboard');

    expect(response.status).toBe(200);
    expect(mainContent(await response.text())).toContain(tenant.name);
    expect(lastCookie(response, TENANT)?.value).toBe(tenant.id);
    expect(client.cookies.get(TENANT)).toBe(tenant.id);
  });

  it('selects a workspace the user belongs to and shows its dashboard', async () => {
    const a = await makeTenant(t.db, { name: `Alpha ${suffix()}` });
    const b = await makeTenant(t.db, { name: `Bravo ${suffix()}` });
    const user = await userIn({ tenant: a }, { tenant: b, role: 'admin' });
    const client = await signedIn(user.id);

    const response = await client.request('/api/workspaces/select', { json: { tenantId: b.id } });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      ok: true,
      data: { workspace: { tenant: { id: b.id }, role: 'admin' } },
    });
    expect(lastCookie(response, TENANT)?.value).toBe(b.id);
    const dashboard = await client.request('/dashboard');
    expect(dashboard.status).toBe(200);
    expect(mainContent(await dashboard.text())).toContain(b.name);
  });

  it("answers selecting a workspace the user doesn't belong to with 404 and sets no cookie", async () => {
    const own = await makeTenant(t.db);
    const foreign = await makeTenant(t.db, { name: `Foreign ${suffix()}` });
    await makeMember(t.db, { tenant: foreign }); // someone else's
    const user = await userIn({ tenant: own });
    const client = await signedIn(user.id);

    const response = await client.request('/api/workspaces/select', {
      json: { tenantId: foreign.id },
    });

    expect(response.status).toBe(404);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(text).not.toContain(foreign.name);
    expect(lastCookie(response, TENANT)).toBeUndefined();
    expect(client.cookies.has(TENANT)).toBe(false);
  });
});

describe('a tenant cookie the user may not use', () => {
  async function foreignSetup() {
    const own = await makeTenant(t.db, { name: `Own ${suffix()}` });
    const other = await makeTenant(t.db, { name: `Other ${suffix()}` });
    await makeMember(t.db, { tenant: other, role: 'owner' });
    const user = await userIn({ tenant: own });
    return { own, other, user, client: await signedIn(user.id) };
  }

  /** /api/me as `client`: the status, the parsed body, the raw text and the tenant Set-Cookie. */
  async function me(client: HttpClient) {
    const response = await client.request('/api/me');
    const text = await response.text();
    return {
      status: response.status,
      body: JSON.parse(text),
      text,
      tenantCookie: lastCookie(response, TENANT),
    };
  }

  it('is refused with 403 on a page, the response clears it and shows nothing of the other tenant', async () => {
    const { other, client } = await foreignSetup();
    client.cookies.set(TENANT, other.id);

    const response = await client.request('/dashboard');

    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('Access denied');
    expect(html).not.toContain(other.name);
    expect(isCleared(lastCookie(response, TENANT))).toBe(true);
    expect(client.cookies.has(TENANT)).toBe(false);
  });

  // /api/me needs a signed-in user but no workspace: there the forged cookie is dropped and
  // the request goes on without one (a `tenant` route, like the dashboard, answers 403).
  it('grants nothing on an API: the response clears it and reports no workspace', async () => {
    const { other, user, client } = await foreignSetup();
    client.cookies.set(TENANT, other.id);

    const response = await me(client);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      ok: true,
      data: { user: { id: user.id }, workspace: null },
    });
    expect(response.text).not.toContain(other.id);
    expect(response.text).not.toContain(other.name);
    expect(isCleared(response.tenantCookie)).toBe(true);
  });

  it.each([
    'garbage',
    "' or '1'='1",
    '00000000-0000-0000-0000-000000000000',
    'not-a-uuid-but-36-characters-long-xx',
  ])(
    'is refused with 403 on a page when it holds %j, and grants nothing on an API',
    async (value) => {
      const { client } = await foreignSetup();
      client.cookies.set(TENANT, value);

      const page = await client.request('/dashboard');
      expect(page.status).toBe(403);
      expect(isCleared(lastCookie(page, TENANT))).toBe(true);

      client.cookies.set(TENANT, value);
      const api = await me(client);
      expect(api.status).toBe(200);
      expect(api.body.data.workspace).toBeNull();
      expect(isCleared(api.tenantCookie)).toBe(true);
    },
  );

  it('stops working at the next request once the membership is deleted', async () => {
    const { own, user, client } = await foreignSetup();
    expect(
      (await client.request('/api/workspaces/select', { json: { tenantId: own.id } })).status,
    ).toBe(200);
    expect((await client.request('/dashboard')).status).toBe(200);
    expect((await me(client)).body.data.workspace).toMatchObject({ tenant: { id: own.id } });

    await t.sql`delete from memberships where tenant_id = ${own.id} and user_id = ${user.id}`;

    const page = await client.request('/dashboard');
    expect(page.status).toBe(403);
    expect(isCleared(lastCookie(page, TENANT))).toBe(true);
    client.cookies.set(TENANT, own.id);
    const api = await me(client);
    expect(api.body.data.workspace).toBeNull();
    expect(isCleared(api.tenantCookie)).toBe(true);
  });

  it('still lets the user sign out after the membership is deleted', async () => {
    const { own, client } = await foreignSetup();
    client.cookies.set(TENANT, own.id);
    expect((await client.request('/dashboard')).status).toBe(200);
    const token = client.cookies.get(SESSION) ?? '';
    await t.sql`delete from memberships where tenant_id = ${own.id}`;

    const response = await client.request('/api/auth/logout', { form: {} });

    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/login?signed-out');
    const old = new HttpClient(server.url);
    old.cookies.set(SESSION, token);
    expect((await old.request('/api/me')).status).toBe(401);
  });

  it('still lets the user choose another workspace after losing one', async () => {
    const { own, client, user } = await foreignSetup();
    const another = await makeTenant(t.db, { name: `Another ${suffix()}` });
    await makeMember(t.db, { tenant: another, user });
    client.cookies.set(TENANT, own.id);
    await t.sql`delete from memberships where tenant_id = ${own.id}`;

    const response = await client.request('/api/workspaces/select', {
      json: { tenantId: another.id },
    });

    expect(response.status).toBe(200);
    expect(client.cookies.get(TENANT)).toBe(another.id);
    const dashboard = await client.request('/dashboard');
    expect(dashboard.status).toBe(200);
    expect(mainContent(await dashboard.text())).toContain(another.name);
  });

  it('stops working once the tenant is deactivated', async () => {
    const { own, client } = await foreignSetup();
    client.cookies.set(TENANT, own.id);
    expect((await client.request('/dashboard')).status).toBe(200);

    await t.sql`update tenants set deactivated_at = now() where id = ${own.id}`;

    expect((await client.request('/dashboard')).status).toBe(403);
  });
});

describe('the dashboard', () => {
  it("shows the tenant's name and the user's role, and no other tenant's name in its content", async () => {
    const current = await makeTenant(t.db, { name: `Current ${suffix()}` });
    const sibling = await makeTenant(t.db, { name: `Sibling ${suffix()}` });
    const stranger = await makeTenant(t.db, { name: `Stranger ${suffix()}` });
    await makeMember(t.db, { tenant: stranger, role: 'owner' });
    const user = await userIn({ tenant: current, role: 'admin' }, { tenant: sibling });
    const client = await signedIn(user.id);
    client.cookies.set(TENANT, current.id);

    const response = await client.request('/dashboard');

    expect(response.status).toBe(200);
    const html = await response.text();
    const main = mainContent(html);
    expect(main).toContain(current.name);
    expect(main).toMatch(/class="badge"[^>]*>\s*admin\s*</);
    expect(main).not.toContain(sibling.name);
    expect(main).not.toContain(stranger.name);
    expect(html).not.toContain(stranger.name);
    expect(html).not.toContain(stranger.id);
  });

  it("lists only the user's own workspaces in the switcher", async () => {
    const current = await makeTenant(t.db, { name: `Current ${suffix()}` });
    const sibling = await makeTenant(t.db, { name: `Sibling ${suffix()}` });
    const stranger = await makeTenant(t.db, { name: `Stranger ${suffix()}` });
    await makeMember(t.db, { tenant: stranger });
    const user = await userIn({ tenant: current }, { tenant: sibling, role: 'owner' });
    const client = await signedIn(user.id);
    client.cookies.set(TENANT, current.id);

    const html = await (await client.request('/dashboard')).text();
    const menu = switcher(html);

    const listed = [...menu.matchAll(/name="tenantId" value="([^"]+)"/g)].map((m) => m[1]);
    expect(listed.sort()).toEqual([current.id, sibling.id].sort());
    expect(menu).toContain(current.name);
    expect(menu).toContain(sibling.name);
    expect(menu).not.toContain(stranger.name);
  });

  it('escapes a tenant name that contains HTML', async () => {
    const name = `<img src=x onerror=alert(1)> & "Sons" ${suffix()}`;
    const tenant = await makeTenant(t.db, { name });
    const user = await userIn({ tenant });
    const client = await signedIn(user.id);

    const response = await client.request('/dashboard');

    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).not.toContain('<img src=x');
    expect(mainContent(html)).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
