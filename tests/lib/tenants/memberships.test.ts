import { describe, expect, it } from 'vitest';
import type { MembershipRole } from '../../../src/lib/db/schema';
import { addMember, getWorkspace, listUserWorkspaces } from '../../../src/lib/tenants/memberships';
import { makeMember, makeTenant, makeUser } from '../../factories';
import { useAppRoleDatabase } from '../../helpers/app-role';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();
// How production connects: a login role that is only a member of the app role.
const app = useAppRoleDatabase(t);

const PUBLIC_TENANT_KEYS = ['defaultPhoneRegion', 'id', 'name', 'slug', 'timezone'];

async function membershipRows(userId: string) {
  return t.sql<{ tenant_id: string; role: string }[]>`
    select tenant_id, role from memberships where user_id = ${userId} order by tenant_id`;
}

async function deactivate(tenantId: string) {
  await t.sql`update tenants set deactivated_at = now() where id = ${tenantId}`;
}

describe('addMember', () => {
  it('adds a user to a tenant with a role', async () => {
    const tenant = await makeTenant(t.db);
    const user = await makeUser(t.db);
    const result = await addMember(t.db, tenant.id, user.id, 'admin');
    expect(result).toEqual({ ok: true, data: { tenant, role: 'admin' } });
    expect([...(await membershipRows(user.id))]).toEqual([{ tenant_id: tenant.id, role: 'admin' }]);
  });

  it('changes the role when the user is already a member (upsert, one row)', async () => {
    const { tenant, user } = await makeMember(t.db, { role: 'member' });
    const result = await addMember(t.db, tenant.id, user.id, 'owner');
    expect(result.ok && result.data.role).toBe('owner');
    expect([...(await membershipRows(user.id))]).toEqual([{ tenant_id: tenant.id, role: 'owner' }]);
    expect((await getWorkspace(t.db, tenant.id, user.id))?.role).toBe('owner');
  });

  it.each(['superuser', 'OWNER', '', 'member '])(
    'rejects the role %j as VALIDATION',
    async (role) => {
      const tenant = await makeTenant(t.db);
      const user = await makeUser(t.db);
      const result = await addMember(t.db, tenant.id, user.id, role as MembershipRole);
      expect(result.ok ? 'ok' : result.error.code).toBe('VALIDATION');
      expect(await membershipRows(user.id)).toEqual([]);
    },
  );

  it('reports an unknown user as NOT_FOUND', async () => {
    const tenant = await makeTenant(t.db);
    const result = await addMember(
      t.db,
      tenant.id,
      '00000000-0000-4000-8000-000000000001',
      'member',
    );
    expect(result.ok ? 'ok' : result.error.code).toBe('NOT_FOUND');
  });

  it('adds nobody to a deactivated tenant when it answers NOT_FOUND', async () => {
    const tenant = await makeTenant(t.db);
    await deactivate(tenant.id);
    const user = await makeUser(t.db);
    const result = await addMember(t.db, tenant.id, user.id, 'owner');
    expect(result.ok ? 'ok' : result.error.code).toBe('NOT_FOUND');
    expect(await membershipRows(user.id)).toEqual([]);
  });

  it('reports a tenant that does not exist as NOT_FOUND instead of throwing', async () => {
    const user = await makeUser(t.db);
    const result = await addMember(t.db, '00000000-0000-4000-8000-000000000002', user.id, 'member');
    expect(result.ok ? 'ok' : result.error.code).toBe('NOT_FOUND');
  });
});

describe('listUserWorkspaces', () => {
  it("returns only the user's active tenants, sorted by name, with their roles", async () => {
    const user = await makeUser(t.db);
    const charlie = await makeTenant(t.db, { name: 'Charlie Plumbing' });
    const alpha = await makeTenant(t.db, { name: 'Alpha Roofing' });
    const bravo = await makeTenant(t.db, { name: 'Bravo Windows' });
    const gone = await makeTenant(t.db, { name: 'Aardvark Closed' });
    await makeMember(t.db, { tenant: charlie, user, role: 'member' });
    await makeMember(t.db, { tenant: alpha, user, role: 'owner' });
    await makeMember(t.db, { tenant: gone, user, role: 'owner' });
    await deactivate(gone.id);
    // Someone else's tenant, and someone else in one of ours.
    await makeMember(t.db, { tenant: bravo, role: 'owner' });
    await makeMember(t.db, { tenant: alpha, role: 'admin' });

    const workspaces = await listUserWorkspaces(t.db, user.id);
    expect(workspaces).toEqual([
      { tenant: alpha, role: 'owner' },
      { tenant: charlie, role: 'member' },
    ]);
    for (const w of workspaces) expect(Object.keys(w.tenant).sort()).toEqual(PUBLIC_TENANT_KEYS);
  });

  it('reads the same as the restricted app role, which cannot read memberships outside a scope', async () => {
    const { tenant, user } = await makeMember(t.db, { role: 'admin' });
    await makeMember(t.db, { tenant }); // a colleague: not this user's workspace list
    expect(await app.sql`select count(*)::int as n from memberships`).toEqual([{ n: 0 }]);
    expect(await listUserWorkspaces(app.db, user.id)).toEqual([{ tenant, role: 'admin' }]);
  });

  it('answers nothing for an id that is not a uuid', async () => {
    expect(await listUserWorkspaces(t.db, "x' or true --")).toEqual([]);
  });

  it('returns nothing for a user without memberships', async () => {
    await makeMember(t.db);
    const loner = await makeUser(t.db);
    expect(await listUserWorkspaces(t.db, loner.id)).toEqual([]);
  });
});

describe('getWorkspace', () => {
  it('returns the role of a member', async () => {
    const { tenant, user } = await makeMember(t.db, { role: 'admin' });
    expect(await getWorkspace(t.db, tenant.id, user.id)).toEqual({ tenant, role: 'admin' });
  });

  it('returns undefined for a tenant the user is not in', async () => {
    const { user } = await makeMember(t.db);
    const { tenant: other } = await makeMember(t.db);
    expect(await getWorkspace(t.db, other.id, user.id)).toBeUndefined();
  });

  it('returns undefined for a deactivated tenant the user is in', async () => {
    const { tenant, user } = await makeMember(t.db, { role: 'owner' });
    await deactivate(tenant.id);
    expect(await getWorkspace(t.db, tenant.id, user.id)).toBeUndefined();
  });
});
