/**
 * Platform administration over real HTTP against the built server: the role
 * matrix for every admin and team route (generated from the page files and
 * the route registry), write-only secrets (canaries grepped over every page,
 * answer and log), bad input, and deactivation taking effect at once.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findRoute, hasRole } from '../../src/lib/http/routes';
import { generateSecretsKey } from '../../src/lib/secrets/seal';
import { makeMember, makePlatformAdmin, makeSession, makeTenant } from '../factories';
import { useTestDatabase } from '../helpers/db';
import { HttpClient } from '../helpers/http-client';
import { useWebServer } from '../helpers/server';

const SECRETS_KEY = generateSecretsKey();
const t = useTestDatabase();
const server = useWebServer(() => t.url, { SECRETS_KEY });

const SESSION = 'sb_session';
const TENANT = 'sb_tenant';
const PAGES = resolve(import.meta.dirname, '../../src/pages');

/** Every page and endpoint file under the admin and team areas, with the methods it answers. */
function adminAndTeamEndpoints(): { path: string; method: string; api: boolean }[] {
  const roots = ['admin', 'settings/team.astro', 'api/admin', 'api/team'];
  const files: string[] = [];
  const walk = (p: string) => {
    if (statSync(p).isDirectory()) for (const e of readdirSync(p)) walk(join(p, e));
    else files.push(p);
  };
  for (const root of roots) walk(join(PAGES, root));
  return files.flatMap((file): { path: string; method: string; api: boolean }[] => {
    const rel = relative(PAGES, file).replace(/\.(astro|ts)$/, '');
    // Params get ids that exist nowhere: an allowed caller gets 404/400, and nothing changes.
    const path = `/${rel}`.replace(/\/index$/, '').replace(/\[[^\]]+\]/g, () => randomUUID());
    if (file.endsWith('.astro')) return [{ path, method: 'GET', api: false }];
    const methods = [
      ...readFileSync(file, 'utf8').matchAll(/export const (GET|POST|PATCH|PUT|DELETE)\b/g),
    ];
    return methods.map((m) => ({ path, method: m[1] as string, api: true }));
  });
}

type Persona = 'platformAdmin' | 'owner' | 'admin' | 'member' | 'otherOwner' | 'anonymous';
const PERSONAS: Persona[] = [
  'platformAdmin',
  'owner',
  'admin',
  'member',
  'otherOwner',
  'anonymous',
];

const clients = {} as Record<Persona, HttpClient>;
const ids = {} as { tenantA: string; tenantB: string; adminUser: string };

async function browserFor(userId: string, tenantId?: string) {
  const client = new HttpClient(server.url);
  client.cookies.set(SESSION, (await makeSession(t.db, userId)).token);
  if (tenantId) client.cookies.set(TENANT, tenantId);
  return client;
}

beforeAll(async () => {
  const a = await makeTenant(t.db, { name: 'Matrix A' });
  const b = await makeTenant(t.db, { name: 'Matrix B' });
  const admin = await makePlatformAdmin(t.db);
  ids.tenantA = a.id;
  ids.tenantB = b.id;
  ids.adminUser = admin.id;
  clients.platformAdmin = await browserFor(admin.id);
  for (const role of ['owner', 'admin', 'member'] as const) {
    const { user } = await makeMember(t.db, { tenant: a, role });
    clients[role] = await browserFor(user.id, a.id);
  }
  const { user: other } = await makeMember(t.db, { tenant: b, role: 'owner' });
  clients.otherOwner = await browserFor(other.id, b.id);
  clients.anonymous = new HttpClient(server.url);
});

/** What the registry says a persona may do on `path`. */
function allowed(persona: Persona, path: string): boolean {
  const route = findRoute(path);
  if (persona === 'anonymous') return route.access === 'public';
  if (route.access === 'platform-admin') return persona === 'platformAdmin';
  if (route.access === 'tenant') {
    const role = { owner: 'owner', admin: 'admin', member: 'member', otherOwner: 'owner' }[
      persona as 'owner'
    ] as 'owner' | 'admin' | 'member' | undefined;
    return role !== undefined && hasRole(role, route.minRole);
  }
  return true;
}

describe('the role matrix', () => {
  const endpoints = adminAndTeamEndpoints();

  it('covers every admin and team page and endpoint, each guarded by the registry', () => {
    expect(endpoints.length).toBeGreaterThanOrEqual(20);
    for (const e of endpoints)
      expect(['platform-admin', 'tenant']).toContain(findRoute(e.path).access);
    expect(endpoints.map((e) => e.path)).toEqual(
      expect.arrayContaining([
        '/admin',
        '/admin/outbox',
        '/admin/audit',
        '/settings/team',
        '/api/team/invites',
      ]),
    );
  });

  for (const persona of PERSONAS) {
    it(`answers ${persona} on every admin/team route as the registry says`, async () => {
      const problems: string[] = [];
      for (const e of endpoints) {
        const response = await clients[persona].request(e.path, {
          method: e.method,
          ...(e.method === 'GET' ? {} : { json: {} }),
        });
        const status = response.status;
        const location = response.headers.get('location') ?? '';
        await response.body?.cancel();
        let ok: boolean;
        if (allowed(persona, e.path)) {
          ok = [200, 400, 404].includes(status);
        } else if (persona === 'anonymous') {
          ok = e.api ? status === 401 : status === 302 && location.startsWith('/login');
        } else if (e.api) {
          ok = status === 403;
        } else {
          // Pages refuse with 403, or send someone without a workspace to choose one.
          ok = status === 403 || (status === 302 && location.startsWith('/workspaces'));
        }
        if (!ok) problems.push(`${e.method} ${e.path} → ${status} ${location}`);
      }
      expect(problems).toEqual([]);
    });
  }

  it('changed nothing while probing: no tenant, invite or audit row appeared', async () => {
    const [row] = await t.sql`
      select (select count(*)::int from tenants) as tenants,
             (select count(*)::int from invites) as invites,
             (select count(*)::int from admin_audit_logs) as audit`;
    expect(row).toEqual({ tenants: 2, invites: 0, audit: 0 });
  });

  it('shows Team in the workspace navigation to owners and admins, not to members', async () => {
    const nav = async (p: Persona) =>
      (await (await clients[p].request('/dashboard')).text()).includes('href="/settings/team"');
    expect(await nav('owner')).toBe(true);
    expect(await nav('admin')).toBe(true);
    expect(await nav('member')).toBe(false);
  });
});

describe('tenant secrets', () => {
  it('never appear in any page, answer or log once set', async () => {
    const canary = {
      clienttetherWebKey: `CANARY-WEBKEY-${randomBytes(8).toString('hex')}`,
      clienttetherAccessToken: `CANARY-TOKEN-${randomBytes(8).toString('hex')}`,
      bolnaApiKey: `CANARY-BOLNA-${randomBytes(8).toString('hex')}`,
    };
    const admin = clients.platformAdmin;
    const created = await admin.request('/api/admin/tenants', {
      json: {
        name: 'Canary Co',
        slug: `canary-${randomBytes(3).toString('hex')}`,
        callProvider: 'bolna',
        ...canary,
      },
    });
    const createdText = await created.text();
    expect(created.status).toBe(201);
    const id = JSON.parse(createdText).data.id as string;
    const rotated = { clienttetherWebKey: `CANARY-ROTATED-${randomBytes(8).toString('hex')}` };
    const updated = await admin.request(`/api/admin/tenants/${id}`, {
      method: 'PATCH',
      json: rotated,
    });
    const updatedText = await updated.text();
    expect(JSON.parse(updatedText)).toEqual({
      ok: true,
      data: { changed: [], rotated: ['clienttetherWebKey'] },
    });
    const { user: owner } = await makeMember(t.db, { tenant: { id } as never, role: 'owner' });
    const ownerClient = await browserFor(owner.id, id);

    const bodies = [createdText, updatedText];
    for (const path of [
      '/admin',
      '/admin/tenants',
      `/admin/tenants/${id}`,
      '/admin/audit',
      `/admin/audit?tenant=${id}`,
      '/admin/users',
    ]) {
      const response = await admin.request(path);
      expect(response.status, path).toBe(200);
      bodies.push(await response.text());
    }
    bodies.push(await (await ownerClient.request('/settings')).text());
    const detail = bodies[4] ?? '';
    expect(detail).toMatch(/ClientTether web key[\s\S]*Set — leave blank to keep it/);
    const everything = [...bodies, server.logs()].join('\n');
    for (const secret of [...Object.values(canary), rotated.clienttetherWebKey]) {
      expect(everything).not.toContain(secret);
    }
    const audit = await t.sql`select details from admin_audit_logs where subject_tenant_id = ${id}`;
    expect(JSON.stringify(audit)).not.toMatch(/CANARY/);
  });
});

describe('bad input', () => {
  it('gets 400 with a VALIDATION Result naming the fields, and changes nothing', async () => {
    const before = await t.sql`select count(*)::int as n from tenants`;
    const response = await clients.platformAdmin.request('/api/admin/tenants', {
      json: {
        name: '',
        slug: '!!',
        timezone: 'Mars/Olympus',
        hotListMode: 'likelihood',
        minLikelihood: '500',
      },
    });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body).toMatchObject({ ok: false, error: { code: 'VALIDATION', retryable: false } });
    expect(Object.keys(body.error.fields).sort()).toEqual([
      'hotListRule',
      'name',
      'slug',
      'timezone',
    ]);
    expect(await t.sql`select count(*)::int as n from tenants`).toEqual(before);
  });

  it('sends a plain form back to the page with the errors next to the fields', async () => {
    const response = await clients.platformAdmin.request('/api/admin/tenants', {
      form: { name: 'Form Co', slug: 'Bad Slug' },
    });
    expect(response.status).toBe(303);
    const location = response.headers.get('location') ?? '';
    expect(location).toMatch(/^\/admin\/tenants\/new\?error=/);
    const page = await (await clients.platformAdmin.request(location)).text();
    expect(page).toMatch(/id="f-slug-error"[^>]*>Slug: lower-case letters/);
    expect(page).toMatch(/id="f-slug"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="f-slug"/);
  });

  it('refuses a text/plain mutation with 415', async () => {
    const response = await clients.platformAdmin.request('/api/admin/tenants', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(response.status).toBe(415);
  });
});

describe('deactivation over HTTP', () => {
  it('locks a deactivated tenant out at once and lets it back in on reactivation', async () => {
    const tenant = await makeTenant(t.db);
    const { user } = await makeMember(t.db, { tenant, role: 'owner' });
    const client = await browserFor(user.id, tenant.id);
    expect((await client.request('/dashboard')).status).toBe(200);

    const off = await clients.platformAdmin.request(`/api/admin/tenants/${tenant.id}/deactivate`, {
      json: {},
    });
    expect(await off.json()).toEqual({ ok: true, data: { active: false, pausedCampaigns: 0 } });
    expect((await client.request('/dashboard')).status).toBe(403);
    client.cookies.set(TENANT, tenant.id);
    expect((await client.request('/api/contacts')).status).toBe(403);
    client.cookies.set(TENANT, tenant.id);
    const sync = await client.request('/api/sync/trigger', { json: {} });
    expect(sync.status).toBe(403);

    await clients.platformAdmin.request(`/api/admin/tenants/${tenant.id}/reactivate`, { json: {} });
    client.cookies.set(TENANT, tenant.id);
    expect((await client.request('/dashboard')).status).toBe(200);
  });

  it("ends a deactivated user's sessions: their old cookie gets 401", async () => {
    const { user } = await makeMember(t.db, { role: 'member' });
    const client = await browserFor(user.id);
    expect((await client.request('/api/me')).status).toBe(200);
    const off = await clients.platformAdmin.request(`/api/admin/users/${user.id}/deactivate`, {
      form: { returnTo: '/admin/users?q=x' },
    });
    expect(off.status).toBe(303);
    expect(off.headers.get('location')).toBe('/admin/users?q=x&saved=deactivated');
    expect((await client.request('/api/me')).status).toBe(401);
  });

  it('audits limit changes made through the existing concurrency routes', async () => {
    const { user } = await makeMember(t.db, { role: 'member' });
    const response = await clients.platformAdmin.request(
      `/api/admin/users/${user.id}/concurrency`,
      {
        method: 'PATCH',
        json: { limit: 7 },
      },
    );
    expect(await response.json()).toEqual({ ok: true, data: { limit: 7 } });
    const rows =
      await t.sql`select action, details from admin_audit_logs where target_id = ${user.id}`;
    expect(rows).toEqual([{ action: 'user.call_limit_changed', details: { from: 2, to: 7 } }]);
  });
});
