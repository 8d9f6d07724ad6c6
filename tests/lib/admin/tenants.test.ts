/**
 * Platform-admin verbs on tenants, run as the production app role: create and
 * edit with write-only secrets, deactivation (access, sync, campaigns) and the
 * audit trail each writes.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { actorOf } from '../../../src/lib/admin/actor';
import { adminCreateTenant } from '../../../src/lib/admin/create-tenant';
import { getAdminTenant } from '../../../src/lib/admin/get-tenant';
import {
  DEACTIVATION_PAUSE_REASON,
  setTenantActive,
} from '../../../src/lib/admin/set-tenant-active';
import { adminUpdateTenant } from '../../../src/lib/admin/update-tenant';
import { createClientTetherClient } from '../../../src/lib/clienttether/client';
import { generateSecretsKey, openSecret } from '../../../src/lib/secrets/seal';
import { listTenantsToSync } from '../../../src/lib/sync/credentials';
import { runTenantSync } from '../../../src/lib/sync/run-tenant-sync';
import { getWorkspace, listUserWorkspaces } from '../../../src/lib/tenants/memberships';
import { makeMember, makePlatformAdmin, makeTenant } from '../../factories';
import { idleCallSystem, makeCampaign, setSystemCallLimit } from '../../factories/campaigns';
import { makeContacts } from '../../factories/contacts';
import { useAppRoleDatabase } from '../../helpers/app-role';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();
const app = useAppRoleDatabase(t);
const KEY = generateSecretsKey();
const slug = () => `acme-${randomBytes(3).toString('hex')}`;

async function auditRows(tenantId: string) {
  return t.sql<{ action: string; details: Record<string, unknown>; actor_label: string }[]>`
    select action, details, actor_label from admin_audit_logs
    where subject_tenant_id = ${tenantId} order by id`;
}

describe('creating a tenant', () => {
  it('stores its settings, seals its secrets and audits the creation without them', async () => {
    const admin = await makePlatformAdmin(t.db);
    const canary = `ct-canary-${randomBytes(8).toString('hex')}`;
    const bolna = `bolna-canary-${randomBytes(8).toString('hex')}`;
    const result = await adminCreateTenant(app.db, KEY, actorOf(admin), {
      name: 'Acme Franchising',
      slug: slug(),
      timezone: 'America/Chicago',
      defaultPhoneRegion: 'GB',
      hotListRule: { stages: ['FDD Signed'] },
      callProvider: 'bolna',
      clienttetherWebKey: canary,
      bolnaApiKey: bolna,
    });
    if (!result.ok) throw new Error(result.error.message);
    const tenant = await getAdminTenant(app.db, result.data.id);
    expect(tenant).toMatchObject({
      name: 'Acme Franchising',
      timezone: 'America/Chicago',
      defaultPhoneRegion: 'GB',
      hotListRule: { stages: ['FDD Signed'] },
      callProvider: 'bolna',
      secrets: { clienttetherWebKey: true, clienttetherAccessToken: false, bolnaApiKey: true },
    });
    expect(JSON.stringify(tenant)).not.toContain(canary);
    const [row] = await t.sql<{ sealed: string }[]>`
      select clienttether_web_key_sealed as sealed from tenants where id = ${result.data.id}`;
    expect(row?.sealed).not.toContain(canary);
    expect(openSecret(KEY, row?.sealed ?? '')).toBe(canary);

    const audit = await auditRows(result.data.id);
    expect(audit.map((a) => a.action)).toEqual(['tenant.created']);
    expect(audit[0]?.actor_label).toBe(admin.email);
    expect(audit[0]?.details).toMatchObject({ secretsSet: ['clienttetherWebKey', 'bolnaApiKey'] });
    expect(JSON.stringify(audit)).not.toContain(canary);
    expect(JSON.stringify(audit)).not.toContain(bolna);
  });

  it('rejects bad input field by field and creates nothing', async () => {
    const admin = await makePlatformAdmin(t.db);
    const before = await t.sql`select count(*)::int as n from tenants`;
    const result = await adminCreateTenant(app.db, KEY, actorOf(admin), {
      name: '',
      slug: 'Not A Slug!',
      timezone: '+05:30',
      defaultPhoneRegion: 'XX',
      callProvider: 'carrier-pigeon',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('VALIDATION');
    expect(Object.keys(result.error.fields ?? {}).sort()).toEqual(
      ['callProvider', 'defaultPhoneRegion', 'name', 'slug', 'timezone'].sort(),
    );
    expect(await t.sql`select count(*)::int as n from tenants`).toEqual(before);
  });

  it('answers CONFLICT on a taken slug, and refuses secrets without SECRETS_KEY', async () => {
    const admin = await makePlatformAdmin(t.db);
    const existing = await makeTenant(t.db);
    const taken = await adminCreateTenant(app.db, KEY, actorOf(admin), {
      name: 'Again',
      slug: existing.slug,
    });
    expect(taken.ok ? 'ok' : taken.error).toMatchObject({
      code: 'CONFLICT',
      fields: { slug: expect.any(String) },
    });
    const noKey = await adminCreateTenant(app.db, undefined, actorOf(admin), {
      name: 'Keyless',
      slug: slug(),
      clienttetherWebKey: 'secret',
    });
    expect(noKey.ok ? 'ok' : noKey.error.code).toBe('PRECONDITION_FAILED');
  });
});

describe('editing a tenant', () => {
  it('changes only what is given, keeps blank secrets, and audits a rotation by name only', async () => {
    const admin = await makePlatformAdmin(t.db);
    const created = await adminCreateTenant(app.db, KEY, actorOf(admin), {
      name: 'Birch',
      slug: slug(),
      clienttetherWebKey: 'first-key',
    });
    if (!created.ok) throw new Error(created.error.message);
    const id = created.data.id;
    const rotated = `rotated-${randomBytes(6).toString('hex')}`;
    const result = await adminUpdateTenant(app.db, KEY, actorOf(admin), id, {
      name: 'Birch Homes',
      clienttetherWebKey: rotated,
      clienttetherAccessToken: '',
      hotListRule: { minLikelihood: 70 },
    });
    expect(result).toEqual({
      ok: true,
      data: { changed: ['name', 'hotListRule'], rotated: ['clienttetherWebKey'] },
    });
    const tenant = await getAdminTenant(app.db, id);
    expect(tenant).toMatchObject({ name: 'Birch Homes', hotListRule: { minLikelihood: 70 } });
    expect(tenant?.secrets.clienttetherAccessToken).toBe(false);
    const [row] = await t.sql<{ sealed: string }[]>`
      select clienttether_web_key_sealed as sealed from tenants where id = ${id}`;
    expect(openSecret(KEY, row?.sealed ?? '')).toBe(rotated);
    const audit = await auditRows(id);
    expect(audit.map((a) => a.action)).toEqual([
      'tenant.created',
      'tenant.updated',
      'tenant.credentials_rotated',
    ]);
    expect(audit[2]?.details).toEqual({ rotated: ['clienttetherWebKey'] });
    expect(JSON.stringify(audit)).not.toContain(rotated);
  });

  it('answers NOT_FOUND for an unknown or malformed id and VALIDATION for bad fields, changing nothing', async () => {
    const admin = await makePlatformAdmin(t.db);
    const tenant = await makeTenant(t.db);
    for (const id of ['nope', '00000000-0000-4000-8000-000000000000']) {
      const result = await adminUpdateTenant(app.db, KEY, actorOf(admin), id, { name: 'X' });
      expect(result.ok ? 'ok' : result.error.code).toBe('NOT_FOUND');
    }
    const bad = await adminUpdateTenant(app.db, KEY, actorOf(admin), tenant.id, {
      name: 'Fine',
      hotListRule: { minLikelihood: 101 },
    });
    expect(bad.ok ? 'ok' : bad.error.code).toBe('VALIDATION');
    expect((await getAdminTenant(app.db, tenant.id))?.name).toBe(tenant.name);
    expect(await auditRows(tenant.id)).toEqual([]);
  });
});

describe('deactivating a tenant', () => {
  it('blocks its members at once, drops it from the hourly sync and pauses its running campaigns', async () => {
    const admin = await makePlatformAdmin(t.db);
    const tenant = await makeTenant(t.db);
    const { user } = await makeMember(t.db, { tenant, role: 'owner' });
    await adminUpdateTenant(app.db, KEY, actorOf(admin), tenant.id, { clienttetherWebKey: 'k' });
    await idleCallSystem(t.db);
    await setSystemCallLimit(t.db, 0); // nothing dials while the test looks
    const people = await makeContacts(t.db, tenant.id, [
      { name: 'A', phoneE164: '+14155550101' },
      { name: 'B', phoneE164: '+14155550102' },
    ]);
    const running = await makeCampaign(t.db, tenant.id, user.id, {
      contacts: { ids: people.map((p) => p.id) },
    });
    const draft = await makeCampaign(t.db, tenant.id, user.id, {
      contacts: { ids: people.map((p) => p.id) },
      start: false,
    });
    expect(running.status).toBe('running');
    expect((await listTenantsToSync(app.db)).map((x) => x.id)).toContain(tenant.id);

    const result = await setTenantActive(app.db, actorOf(admin), tenant.id, false);

    expect(result).toEqual({ ok: true, data: { active: false, pausedCampaigns: 1 } });
    expect(await getWorkspace(app.db, tenant.id, user.id)).toBeUndefined();
    expect(await listUserWorkspaces(app.db, user.id)).toEqual([]);
    expect((await listTenantsToSync(app.db)).map((x) => x.id)).not.toContain(tenant.id);
    const campaigns = await t.sql<{ id: string; status: string; paused_reason: string | null }[]>`
      select id, status, paused_reason from call_campaigns where tenant_id = ${tenant.id}`;
    const byId = Object.fromEntries(campaigns.map((c) => [c.id, c]));
    expect(byId[running.id]).toMatchObject({
      status: 'paused',
      paused_reason: DEACTIVATION_PAUSE_REASON,
    });
    expect(byId[draft.id]?.status).toBe('draft');
    const queued = await t.sql<{ n: number }[]>`
      select count(*)::int as n from call_queue
      where tenant_id = ${tenant.id} and campaign_id = ${running.id}
        and status = 'queued' and scheduled_at <> 'infinity'`;
    expect(queued[0]?.n).toBe(0);
    // Data is kept.
    expect((await t.sql`select 1 from contacts where tenant_id = ${tenant.id}`).length).toBe(2);
    expect((await auditRows(tenant.id)).at(-1)).toMatchObject({
      action: 'tenant.deactivated',
      details: { pausedCampaigns: 1 },
    });

    // Reactivation restores access but resumes nothing.
    const back = await setTenantActive(app.db, actorOf(admin), tenant.id, true);
    expect(back.ok).toBe(true);
    expect((await getWorkspace(app.db, tenant.id, user.id))?.role).toBe('owner');
    const [after] = await t.sql<{ status: string }[]>`
      select status from call_campaigns where tenant_id = ${tenant.id} and id = ${running.id}`;
    expect(after?.status).toBe('paused');
  });

  it('skips a sync of a tenant deactivated after the hourly job listed it', async () => {
    const admin = await makePlatformAdmin(t.db);
    const tenant = await makeTenant(t.db);
    await setTenantActive(app.db, actorOf(admin), tenant.id, false);
    let fetched = 0;
    const outcome = await runTenantSync(
      {
        db: t.db,
        sql: t.sql,
        secretsKey: KEY,
        createClient: (credentials) => {
          fetched += 1;
          return createClientTetherClient({ baseUrl: 'http://127.0.0.1:9/', credentials });
        },
      },
      tenant.id,
      { trigger: 'scheduled' },
    );
    expect(outcome.status).toBe('skipped');
    expect(fetched).toBe(0);
  });

  it('is NOT_FOUND for an unknown tenant and idempotent for one already deactivated', async () => {
    const admin = await makePlatformAdmin(t.db);
    const missing = await setTenantActive(
      app.db,
      actorOf(admin),
      '00000000-0000-4000-8000-000000000000',
      false,
    );
    expect(missing.ok ? 'ok' : missing.error.code).toBe('NOT_FOUND');
    const tenant = await makeTenant(t.db);
    await setTenantActive(app.db, actorOf(admin), tenant.id, false);
    const again = await setTenantActive(app.db, actorOf(admin), tenant.id, false);
    expect(again).toEqual({ ok: true, data: { active: false, pausedCampaigns: 0 } });
    expect((await auditRows(tenant.id)).map((a) => a.action)).toEqual(['tenant.deactivated']);
  });
});
