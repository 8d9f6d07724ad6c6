import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSecretsKey } from '../../../src/lib/secrets/seal';
import { createTenant } from '../../../src/lib/tenants/create-tenant';
import { findTenantBySlug } from '../../../src/lib/tenants/find-tenant';
import { getWorkspace, listUserWorkspaces } from '../../../src/lib/tenants/memberships';
import { setClientTetherCredentials } from '../../../src/lib/tenants/set-clienttether-credentials';
import { makeMember } from '../../factories';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();

const PUBLIC_TENANT_KEYS = ['defaultPhoneRegion', 'id', 'name', 'slug', 'timezone'];
const slug = () => `acme-${randomBytes(3).toString('hex')}`;

async function tenantCount() {
  const [row] = await t.sql<{ count: number }[]>`select count(*)::int as count from tenants`;
  return row?.count ?? -1;
}

describe('createTenant', () => {
  it('creates a tenant with defaults and returns only its public columns', async () => {
    const s = slug();
    const result = await createTenant(t.db, { name: '  Acme Franchising ', slug: s });
    expect(result).toEqual({
      ok: true,
      data: {
        id: expect.any(String),
        name: 'Acme Franchising',
        slug: s,
        timezone: 'America/New_York',
        defaultPhoneRegion: 'US',
      },
    });
    if (result.ok) expect(Object.keys(result.data).sort()).toEqual(PUBLIC_TENANT_KEYS);
  });

  it('normalizes the slug to lower case', async () => {
    const s = slug();
    const result = await createTenant(t.db, { name: 'Shouty', slug: ` ${s.toUpperCase()} ` });
    expect(result.ok && result.data.slug).toBe(s);
  });

  it('refuses a duplicate slug as CONFLICT, however it is spelled', async () => {
    const s = slug();
    expect((await createTenant(t.db, { name: 'First', slug: s })).ok).toBe(true);
    const before = await tenantCount();
    for (const again of [s, s.toUpperCase(), ` ${s}`]) {
      const result = await createTenant(t.db, { name: 'Second', slug: again });
      expect(result.ok ? 'ok' : result.error.code, again).toBe('CONFLICT');
    }
    expect(await tenantCount()).toBe(before);
  });

  it.each([
    ['a leading dash', '-acme'],
    ['a trailing dash', 'acme-'],
    ['a space', 'acme inc'],
    ['an underscore', 'acme_inc'],
    ['a slash', 'acme/inc'],
    ['nothing', ''],
    ['51 characters', 'a'.repeat(51)],
    ['non-ascii letters', 'café'],
  ])('rejects a slug with %s as VALIDATION and stores nothing', async (_, bad) => {
    const before = await tenantCount();
    const result = await createTenant(t.db, { name: 'Bad slug', slug: bad });
    expect(result.ok ? 'ok' : result.error.code).toBe('VALIDATION');
    expect(await tenantCount()).toBe(before);
  });

  it.each(['Mars/Olympus_Mons', 'Eastern Time', '', ' UTC'])(
    'rejects the timezone %j as VALIDATION and stores nothing',
    async (timezone) => {
      const before = await tenantCount();
      const result = await createTenant(t.db, { name: 'Bad zone', slug: slug(), timezone });
      expect(result.ok ? 'ok' : result.error.code).toBe('VALIDATION');
      expect(await tenantCount()).toBe(before);
    },
  );

  it.each(['+05:30', '-0800'])(
    'rejects the UTC offset %j, which is not an IANA time zone',
    async (timezone) => {
      const result = await createTenant(t.db, { name: 'Offset', slug: slug(), timezone });
      expect(result.ok ? 'ok' : result.error.code).toBe('VALIDATION');
    },
  );

  it('accepts a real IANA time zone', async () => {
    const result = await createTenant(t.db, {
      name: 'Kolkata',
      slug: slug(),
      timezone: 'Asia/Kolkata',
    });
    expect(result.ok && result.data.timezone).toBe('Asia/Kolkata');
  });

  it.each([
    { name: '', defaultPhoneRegion: 'US' },
    { name: 'x'.repeat(201), defaultPhoneRegion: 'US' },
    { name: 'Region', defaultPhoneRegion: 'us' },
    { name: 'Region', defaultPhoneRegion: 'USA' },
  ])('rejects name/region %j as VALIDATION', async (fields) => {
    const result = await createTenant(t.db, { ...fields, slug: slug() });
    expect(result.ok ? 'ok' : result.error.code).toBe('VALIDATION');
  });
});

describe('sealed ClientTether credentials', () => {
  it('never appear in a tenant returned by createTenant, findTenantBySlug or the workspace reads', async () => {
    const { tenant, user } = await makeMember(t.db, { role: 'owner' });
    const secretsKey = generateSecretsKey();
    const canary = `canary-${randomBytes(8).toString('hex')}`;
    const stored = await setClientTetherCredentials(t.db, secretsKey, tenant.id, {
      webKey: `${canary}-web`,
      accessToken: `${canary}-token`,
    });
    expect(stored.ok).toBe(true);
    const [sealed] = await t.sql<{ web: string | null; token: string | null }[]>`
      select clienttether_web_key_sealed as web, clienttether_access_token_sealed as token
      from tenants where id = ${tenant.id}`;
    expect(sealed?.web).toMatch(/^v1\./);
    expect(sealed?.token).toMatch(/^v1\./);

    const seen = [
      await findTenantBySlug(t.db, tenant.slug),
      (await getWorkspace(t.db, tenant.id, user.id))?.tenant,
      (await listUserWorkspaces(t.db, user.id))[0]?.tenant,
    ];
    for (const shown of seen) {
      expect(shown).toEqual(tenant);
      expect(Object.keys(shown ?? {}).sort()).toEqual(PUBLIC_TENANT_KEYS);
      const text = JSON.stringify(shown);
      expect(text).not.toContain(canary);
      expect(text).not.toContain(sealed?.web);
      expect(text).not.toContain(sealed?.token);
    }

    const created = await createTenant(t.db, { name: 'Fresh', slug: slug() });
    expect(Object.keys(created.ok ? created.data : {}).sort()).toEqual(PUBLIC_TENANT_KEYS);
  });
});
