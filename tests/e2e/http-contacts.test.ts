/**
 * The contacts API and page over real HTTP against the built server: only
 * JSON mutations, the workspace's own contacts, and the same 404 for another
 * workspace's contact as for a missing one.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { getContact } from '../../src/lib/contacts';
import { getPhoneRegion } from '../../src/lib/contacts/phone-region';
import type { ContactView } from '../../src/lib/contacts/types';
import type { MembershipRole } from '../../src/lib/db/schema';
import type { PublicTenant } from '../../src/lib/tenants/schemas';
import { makeMember, makeSession, makeTenant } from '../factories';
import { makeContact } from '../factories/contacts';
import { useTestDatabase } from '../helpers/db';
import { HttpClient } from '../helpers/http-client';
import { useWebServer } from '../helpers/server';

const t = useTestDatabase();
const server = useWebServer(() => t.url);
const DUPLICATE = 'A contact with this phone number already exists';

async function signedInto(tenant: PublicTenant, role: MembershipRole = 'member') {
  const { user } = await makeMember(t.db, { tenant, role });
  const { token } = await makeSession(t.db, user.id);
  const client = new HttpClient(server.url);
  client.cookies.set('sb_session', token);
  client.cookies.set('sb_tenant', tenant.id);
  return client;
}

async function call(
  client: HttpClient,
  path: string,
  init: Parameters<HttpClient['request']>[1] = {},
) {
  const response = await client.request(path, init);
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

let mine: PublicTenant;
let theirs: PublicTenant;
let client: HttpClient;
let foreign: ContactView;
beforeAll(async () => {
  mine = await makeTenant(t.db);
  theirs = await makeTenant(t.db);
  client = await signedInto(mine);
  foreign = await makeContact(t.db, theirs.id, {
    name: 'Theirs Person',
    phoneE164: '+14155550999',
  });
});

/** Tenant B's contact as B sees it: proof a request from A changed nothing. */
async function foreignNow() {
  const result = await getContact(t.db, theirs.id, foreign.id);
  if (!result.ok) throw new Error('the foreign contact is gone');
  return result.data;
}

describe('contacts API', () => {
  it('lets a member create (201), read, update and delete a contact', async () => {
    const created = await call(client, '/api/contacts', {
      json: { name: 'Ada Lovelace', phone: '(415) 555-0134', tags: ['vip'] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      ok: true,
      data: { name: 'Ada Lovelace', phoneE164: '+14155550134', tags: ['vip'], source: 'manual' },
    });
    const id = created.body.data.id as number;
    expect(await call(client, `/api/contacts/${id}`)).toEqual({ status: 200, body: created.body });

    const patched = await call(client, `/api/contacts/${id}`, {
      method: 'PATCH',
      json: { company: 'Analytical Engines', optedOut: true },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.data).toMatchObject({
      company: 'Analytical Engines',
      optedOutAt: expect.any(String),
    });

    const listed = await call(client, '/api/contacts?q=ada&sort=name&dir=asc');
    expect(listed.status).toBe(200);
    expect(listed.body.data.items.map((c: ContactView) => c.id)).toEqual([id]);
    expect(listed.body.data).toMatchObject({ total: 1, nextCursor: null });

    const deleted = await client.request(`/api/contacts/${id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect((await call(client, `/api/contacts/${id}`)).status).toBe(404);
  });

  it('pages with an opaque cursor', async () => {
    const tenant = await makeTenant(t.db);
    const paging = await signedInto(tenant);
    for (const name of ['Cy', 'Bo', 'Al']) await makeContact(t.db, tenant.id, { name });
    const first = await call(paging, '/api/contacts?limit=2');
    expect(first.body.data.items.map((c: ContactView) => c.name)).toEqual(['Al', 'Bo']);
    const next = await call(paging, `/api/contacts?limit=2&after=${first.body.data.nextCursor}`);
    expect(next.body.data.items.map((c: ContactView) => c.name)).toEqual(['Cy']);
    expect(next.body.data.nextCursor).toBeNull();
  });

  it('answers 409 for a phone number the workspace already has', async () => {
    await makeContact(t.db, mine.id, { phoneE164: '+16465550111' });
    const again = await call(client, '/api/contacts', { json: { phone: '646.555.0111' } });
    expect(again).toEqual({
      status: 409,
      body: {
        ok: false,
        error: {
          code: 'CONFLICT',
          message: DUPLICATE,
          retryable: false,
          fields: { phone: DUPLICATE },
        },
      },
    });
  });

  it.each([
    ['an empty object', {}, 'phone'],
    ['an invalid phone', { phone: 'call me' }, 'phone'],
    ['a bad email', { phone: '+14155550177', email: 'nope' }, 'email'],
    ['an unknown time zone', { phone: '+14155550178', timezone: 'Nowhere/Land' }, 'timezone'],
  ])('answers 400 with the field for %s', async (_, json, field) => {
    const { status, body } = await call(client, '/api/contacts', { json });
    expect(status).toBe(400);
    expect(body).toMatchObject({ ok: false, error: { code: 'VALIDATION', retryable: false } });
    expect(Object.keys(body.error.fields)).toEqual([field]);
  });

  it('answers 400 for malformed JSON and for bad query parameters or cursors', async () => {
    const malformed = await client.request('/api/contacts', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"phone": ',
    });
    expect(malformed.status).toBe(400);
    for (const query of [
      'sort=phone',
      'dir=up',
      'limit=500',
      'limit=0',
      'after=%24%24%24',
      'after=WyJuYW1lIl0',
    ]) {
      const { status, body } = await call(client, `/api/contacts?${query}`);
      expect(status, query).toBe(400);
      expect(body.error.code, query).toBe('VALIDATION');
    }
    const bulk = await call(client, '/api/contacts/bulk', { json: { action: 'call', ids: [1] } });
    expect(bulk.status).toBe(400);
  });

  it('refuses non-JSON mutations with 415 (forms included) and changes nothing', async () => {
    const contact = await makeContact(t.db, mine.id, { name: 'Unchanged' });
    const attempts: [string, RequestInit & { form?: Record<string, string> }][] = [
      [
        '/api/contacts',
        {
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body: '{"phone":"+14155550100"}',
        },
      ],
      ['/api/contacts', { form: { phone: '+14155550100' } }],
      [`/api/contacts/${contact.id}`, { method: 'PATCH', form: { name: 'Changed' } }],
      ['/api/contacts/bulk', { form: { action: 'delete', ids: String(contact.id) } }],
    ];
    for (const [path, init] of attempts) {
      const { status, body } = await call(client, path, init);
      expect(status, path).toBe(415);
      expect(body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
    expect(await call(client, `/api/contacts/${contact.id}`)).toMatchObject({
      body: { data: { name: 'Unchanged' } },
    });
  });

  it("answers 404 for another workspace's contact on every verb, and leaves it alone", async () => {
    const path = `/api/contacts/${foreign.id}`;
    for (const init of [
      {},
      { method: 'PATCH', json: { name: 'Hijacked' } },
      { method: 'DELETE' },
    ]) {
      const { status, body } = await call(client, path, init);
      expect(status, init.method ?? 'GET').toBe(404);
      expect(body).toEqual({
        ok: false,
        error: { code: 'NOT_FOUND', message: 'Contact not found', retryable: false },
      });
    }
    expect((await call(client, '/api/contacts/999999999')).status).toBe(404);
    expect((await call(client, '/api/contacts/not-a-number')).status).toBe(404);
    expect(await foreignNow()).toEqual(foreign);
    const listed = await client.request('/api/contacts?q=theirs&limit=100');
    expect(await listed.text()).not.toContain('Theirs Person');
  });

  it("bulk-deletes and opts out only the workspace's own contacts", async () => {
    const one = await makeContact(t.db, mine.id);
    const two = await makeContact(t.db, mine.id);
    const optOut = await call(client, '/api/contacts/bulk', {
      json: { action: 'opt_out', ids: [one.id, foreign.id] },
    });
    expect(optOut).toEqual({
      status: 200,
      body: { ok: true, data: { action: 'opt_out', affected: 1 } },
    });
    const removed = await call(client, '/api/contacts/bulk', {
      json: { action: 'delete', ids: [one.id, two.id, foreign.id] },
    });
    expect(removed).toEqual({
      status: 200,
      body: { ok: true, data: { action: 'delete', affected: 2 } },
    });
    expect(await foreignNow()).toEqual(foreign);
  });

  it('answers 401 without a session, on every route', async () => {
    const anonymous = new HttpClient(server.url);
    const attempts: [string, RequestInit & { json?: unknown }][] = [
      ['/api/contacts', {}],
      ['/api/contacts', { json: { phone: '+14155550100' } }],
      [`/api/contacts/${foreign.id}`, {}],
      [`/api/contacts/${foreign.id}`, { method: 'DELETE' }],
      ['/api/contacts/bulk', { json: { action: 'delete', ids: [foreign.id] } }],
    ];
    for (const [path, init] of attempts) {
      const { status, body } = await call(anonymous, path, init);
      expect(status, `${init.method ?? 'GET'} ${path}`).toBe(401);
      expect(body.error.code).toBe('UNAUTHENTICATED');
    }
    expect(await foreignNow()).toEqual(foreign);
  });

  it("refuses a forged workspace cookie (403) without touching that workspace's contacts", async () => {
    const forged = await signedInto(mine);
    forged.cookies.set('sb_tenant', theirs.id);
    const { status } = await call(forged, `/api/contacts/${foreign.id}`, { method: 'DELETE' });
    expect(status).toBe(403);
    expect(await foreignNow()).toEqual(foreign);
  });
});

describe('contacts page', () => {
  it('renders the table, formatted phones, an opted-out badge and a next-page link without JavaScript', async () => {
    const tenant = await makeTenant(t.db);
    const viewer = await signedInto(tenant);
    await makeContact(t.db, tenant.id, {
      name: 'Ada Page',
      phoneE164: '+14155550134',
      optedOutAt: new Date(),
    });
    await makeContact(t.db, tenant.id, { name: 'Bea Page', phoneE164: '+442079460018' });
    const response = await viewer.request('/contacts?limit=1');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Ada Page');
    expect(html).toContain('(415) 555-0134');
    expect(html).toContain('Opted out');
    expect(html).not.toContain('Bea Page');
    expect(html).toMatch(
      /<a[^>]*href="\?sort=name&amp;dir=asc&amp;after=[\w-]+"[^>]*>Next page<\/a>/,
    );
    expect(html).toMatch(/<form method="get"[^>]*role="search"/);
    expect(html).toContain('2 contacts');
    const next = html
      .match(/href="(\?sort=name&amp;dir=asc&amp;after=[\w-]+)"/)?.[1]
      ?.replaceAll('&amp;', '&');
    const second = await (await viewer.request(`/contacts${next}&limit=1`)).text();
    expect(second).toContain('Bea Page');
    expect(second).toContain('+44 20 7946 0018');
    expect(second).toContain('First page');
  });

  it('searches with ?q= and shows the empty state with add and import links', async () => {
    const tenant = await makeTenant(t.db);
    const viewer = await signedInto(tenant);
    const empty = await (await viewer.request('/contacts')).text();
    expect(empty).toContain('No contacts yet');
    expect(empty).toMatch(/<a[^>]*href="\/contacts\/import"[^>]*>Import CSV<\/a>/);
    expect(empty).toContain('Add contact');
    await makeContact(t.db, tenant.id, { name: 'Searchable Sam' });
    const found = await (await viewer.request('/contacts?q=searchable')).text();
    expect(found).toContain('Searchable Sam');
    const none = await (await viewer.request('/contacts?q=zzz')).text();
    expect(none).toContain('No contacts match');
  });

  it('shows a clear error for a forged cursor and falls back to the first page', async () => {
    const response = await client.request('/contacts?after=forged');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('after is not a valid cursor');
  });
});

describe('default phone region setting', () => {
  it('is saved by an admin through the settings form', async () => {
    const tenant = await makeTenant(t.db);
    const admin = await signedInto(tenant, 'admin');
    const settings = await (await admin.request('/settings')).text();
    expect(settings).toContain('Default phone region');
    expect(settings).toMatch(/<option value="US" selected[^>]*>United States \(\+1\)<\/option>/);
    const saved = await admin.request('/api/settings/phone-region', { form: { region: 'GB' } });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('/settings?saved=phone-region');
    expect(await getPhoneRegion(t.db, tenant.id)).toBe('GB');
    const refused = await admin.request('/api/settings/phone-region', { form: { region: 'XX' } });
    expect(refused.headers.get('location')).toMatch(/^\/settings\?error=/);
    const json = await call(admin, '/api/settings/phone-region', { json: { region: 'fr' } });
    expect(json).toEqual({ status: 200, body: { ok: true, data: 'FR' } });
  });

  it('is refused to a member (403)', async () => {
    const tenant = await makeTenant(t.db);
    const member = await signedInto(tenant, 'member');
    expect(
      (await member.request('/api/settings/phone-region', { json: { region: 'GB' } })).status,
    ).toBe(403);
    expect(await getPhoneRegion(t.db, tenant.id)).toBe('US');
  });
});
