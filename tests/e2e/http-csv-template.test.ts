/**
 * The contacts CSV templates and the import page over real HTTP against the
 * built server: the downloads are the files in public/templates, byte for byte.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeMember, makeSession } from '../factories';
import { useTestDatabase } from '../helpers/db';
import { HttpClient } from '../helpers/http-client';
import { useWebServer } from '../helpers/server';

const t = useTestDatabase();
const server = useWebServer(() => t.url);

const template = (type: string) =>
  readFileSync(
    resolve(import.meta.dirname, `../../public/templates/call-campaign-${type}-template.csv`),
    'utf8',
  );

let client: HttpClient;
beforeAll(async () => {
  const { user, tenant } = await makeMember(t.db);
  const { token } = await makeSession(t.db, user.id);
  client = new HttpClient(server.url);
  client.cookies.set('sb_session', token);
  client.cookies.set('sb_tenant', tenant.id);
});

describe('GET /api/campaigns/csv-template', () => {
  it.each([
    ['basic', 'name,phone\n'],
    ['advanced', 'name,phone,email,company,timezone,priority,notes,city,deal_size\n'],
  ])('downloads the %s template as a CSV attachment', async (type, header) => {
    const response = await client.request(`/api/campaigns/csv-template?type=${type}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="call-campaign-${type}-template.csv"`,
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const body = await response.text();
    expect(body.startsWith(header)).toBe(true);
    expect(body).toBe(template(type));
  });

  it('gives the basic template when no type is asked for', async () => {
    const response = await client.request('/api/campaigns/csv-template');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain(
      'call-campaign-basic-template.csv',
    );
    expect(await response.text()).toBe(template('basic'));
  });

  it('has example rows with fictional numbers and a quoted field', () => {
    const basic = template('basic').trim().split('\n');
    expect(basic).toHaveLength(4);
    for (const line of basic.slice(1)) expect(line).toMatch(/,\+1\d{3}55501\d\d$/);
    const advanced = template('advanced');
    expect(advanced).toMatch(/"[^"]*,[^"]*"/);
    expect(advanced.match(/@[a-z.]+/g)?.every((d) => d === '@example.com')).toBe(true);
  });

  it('refuses an unknown type with a validation error', async () => {
    const response = await client.request('/api/campaigns/csv-template?type=huge');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/json');
    const body = await response.json();
    expect(body).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(body.error.message).toContain('type must be one of basic, advanced');
  });

  it('asks a visitor without a session to sign in', async () => {
    const response = await new HttpClient(server.url).request(
      '/api/campaigns/csv-template?type=basic',
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
  });
});

describe('GET /contacts/import', () => {
  it('renders the page with the template links and a note for browsers without JavaScript', async () => {
    const response = await client.request('/contacts/import');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<h1>Import contacts</h1>');
    expect(html).toContain('href="/contacts"');
    expect(html).toContain('href="/api/campaigns/csv-template?type=basic"');
    expect(html).toContain('href="/api/campaigns/csv-template?type=advanced"');
    expect(html).toMatch(/<noscript>[\s\S]*needs JavaScript[\s\S]*<\/noscript>/);
    expect(html).toContain('No imports yet.');
  });

  it('sends a visitor without a session to sign in', async () => {
    const response = await new HttpClient(server.url).request('/contacts/import');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/login?next=%2Fcontacts%2Fimport');
  });
});
