/**
 * Team management by owners and admins: who may change which role, the
 * last-owner rule under concurrency, removal, foreign tenants. Run as the
 * production app role.
 */
import { describe, expect, it } from 'vitest';
import type { MembershipRole } from '../../../src/lib/db/schema';
import { teamActorOf } from '../../../src/lib/team/actor';
import { changeMemberRole } from '../../../src/lib/team/change-role';
import { listMembers } from '../../../src/lib/team/list-members';
import { removeMember } from '../../../src/lib/team/remove-member';
import { getWorkspace } from '../../../src/lib/tenants/memberships';
import { makeMember, makePlatformAdmin, makeTenant } from '../../factories';
import { useAppRoleDatabase } from '../../helpers/app-role';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();
const app = useAppRoleDatabase(t, { max: 8 });

async function team(...roles: MembershipRole[]) {
  const tenant = await makeTenant(t.db);
  const people: Awaited<ReturnType<typeof makeMember>>['user'][] = [];
  for (const role of roles) people.push((await makeMember(t.db, { tenant, role })).user);
  const actor = (i: number) => {
    const person = people[i];
    if (!person) throw new Error(`no person ${i}`);
    return teamActorOf(person, roles[i] ?? null);
  };
  const person = (i: number) => {
    const found = people[i];
    if (!found) throw new Error(`no person ${i}`);
    return found;
  };
  return { tenant, person, actor };
}

async function roleOf(tenantId: string, userId: string) {
  return (await getWorkspace(t.db, tenantId, userId))?.role ?? null;
}

const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error?.code);

describe('changing roles', () => {
  it('lets an owner promote a member to owner and audits from → to', async () => {
    const { tenant, person, actor } = await team('owner', 'member');
    const result = await changeMemberRole(app.db, tenant.id, actor(0), person(1).id, {
      role: 'owner',
    });
    expect(result).toEqual({ ok: true, data: { userId: person(1).id, role: 'owner' } });
    expect(await roleOf(tenant.id, person(1).id)).toBe('owner');
    const [audit] = await t.sql`
      select action, details from admin_audit_logs where subject_tenant_id = ${tenant.id}`;
    expect(audit).toMatchObject({
      action: 'member.role_changed',
      details: { from: 'member', to: 'owner' },
    });
  });

  it('lets an admin manage members and admins but never ownership', async () => {
    const { tenant, person, actor } = await team('owner', 'admin', 'member');
    expect(
      code(await changeMemberRole(app.db, tenant.id, actor(1), person(2).id, { role: 'admin' })),
    ).toBe('ok');
    expect(
      code(await changeMemberRole(app.db, tenant.id, actor(1), person(2).id, { role: 'owner' })),
    ).toBe('FORBIDDEN');
    expect(
      code(await changeMemberRole(app.db, tenant.id, actor(1), person(0).id, { role: 'member' })),
    ).toBe('FORBIDDEN');
    expect(code(await removeMember(app.db, tenant.id, actor(1), person(0).id))).toBe('FORBIDDEN');
    expect(await roleOf(tenant.id, person(0).id)).toBe('owner');
  });

  it('refuses a member outright', async () => {
    const { tenant, person, actor } = await team('owner', 'member', 'member');
    expect(
      code(await changeMemberRole(app.db, tenant.id, actor(1), person(2).id, { role: 'admin' })),
    ).toBe('FORBIDDEN');
    expect(code(await removeMember(app.db, tenant.id, actor(1), person(2).id))).toBe('FORBIDDEN');
  });

  it('rejects a bad role as VALIDATION and changes nothing', async () => {
    const { tenant, person, actor } = await team('owner', 'member');
    for (const body of [{ role: 'superuser' }, {}, null, { role: 'OWNER' }]) {
      const result = await changeMemberRole(app.db, tenant.id, actor(0), person(1).id, body);
      expect(result.ok ? 'ok' : result.error).toMatchObject({
        code: 'VALIDATION',
        fields: { role: expect.any(String) },
      });
    }
    expect(await roleOf(tenant.id, person(1).id)).toBe('member');
  });

  it("answers NOT_FOUND for another tenant's member, a stranger or a malformed id", async () => {
    const mine = await team('owner');
    const theirs = await team('owner', 'member');
    for (const id of [theirs.person(1).id, '00000000-0000-4000-8000-000000000000', 'x']) {
      expect(
        code(await changeMemberRole(app.db, mine.tenant.id, mine.actor(0), id, { role: 'admin' })),
      ).toBe('NOT_FOUND');
      expect(code(await removeMember(app.db, mine.tenant.id, mine.actor(0), id))).toBe('NOT_FOUND');
    }
    expect(await roleOf(theirs.tenant.id, theirs.person(1).id)).toBe('member');
  });
});

describe('the last owner', () => {
  it('cannot be demoted or removed, even by themselves', async () => {
    const { tenant, person, actor } = await team('owner', 'admin');
    const demote = await changeMemberRole(app.db, tenant.id, actor(0), person(0).id, {
      role: 'admin',
    });
    expect(demote.ok ? 'ok' : demote.error).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/owner/),
    });
    expect(code(await removeMember(app.db, tenant.id, actor(0), person(0).id))).toBe('CONFLICT');
    expect(await roleOf(tenant.id, person(0).id)).toBe('owner');
  });

  it('holds when two owners demote each other at the same moment: one wins, one owner remains', async () => {
    for (let round = 0; round < 5; round++) {
      const { tenant, person, actor } = await team('owner', 'owner');
      const results = await Promise.all([
        changeMemberRole(app.db, tenant.id, actor(0), person(1).id, { role: 'member' }),
        changeMemberRole(app.db, tenant.id, actor(1), person(0).id, { role: 'member' }),
      ]);
      expect(results.map(code).sort()).toEqual(['CONFLICT', 'ok']);
      const owners = (await listMembers(t.db, tenant.id)).filter((m) => m.role === 'owner');
      expect(owners).toHaveLength(1);
    }
  });

  it('holds when two owners remove each other at the same moment', async () => {
    const { tenant, person, actor } = await team('owner', 'owner');
    const results = await Promise.all([
      removeMember(app.db, tenant.id, actor(0), person(1).id),
      removeMember(app.db, tenant.id, actor(1), person(0).id),
    ]);
    expect(results.map(code).sort()).toEqual(['CONFLICT', 'ok']);
    expect((await listMembers(t.db, tenant.id)).filter((m) => m.role === 'owner')).toHaveLength(1);
  });
});

describe('removing a member', () => {
  it('revokes the tenant at once and audits it', async () => {
    const { tenant, person, actor } = await team('owner', 'member');
    expect(await roleOf(tenant.id, person(1).id)).toBe('member');
    expect(code(await removeMember(app.db, tenant.id, actor(0), person(1).id))).toBe('ok');
    expect(await roleOf(tenant.id, person(1).id)).toBeNull();
    const [audit] =
      await t.sql`select action from admin_audit_logs where target_id = ${person(1).id}`;
    expect(audit?.action).toBe('member.removed');
  });

  it('lets a platform admin who is not a member act as an owner', async () => {
    const { tenant, person } = await team('owner', 'owner');
    const admin = await makePlatformAdmin(t.db);
    const actor = teamActorOf(admin, null);
    expect(
      code(await changeMemberRole(app.db, tenant.id, actor, person(1).id, { role: 'member' })),
    ).toBe('ok');
  });
});
