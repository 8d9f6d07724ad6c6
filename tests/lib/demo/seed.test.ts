import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { login } from '../../../src/lib/auth/login';
import { DEMO_PASSWORD, DEMO_USERS, isLocalDatabase, seedDemo } from '../../../src/lib/demo/seed';
import { listUserWorkspaces } from '../../../src/lib/tenants/memberships';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();

async function counts() {
  const [row] = await t.db.execute<{
    tenants: number;
    users: number;
    memberships: number;
    contacts: number;
  }>(sql`
    select (select count(*)::int from tenants) as tenants, (select count(*)::int from users) as users,
           (select count(*)::int from memberships) as memberships,
           (select count(*)::int from contacts) as contacts`);
  return row;
}

describe('demo seed', () => {
  it('creates two tenants, an owner of both, a member of one and a platform admin — once', async () => {
    await seedDemo(t.db);
    const first = await counts();
    await seedDemo(t.db);
    expect(await counts()).toEqual(first);
    expect(first).toEqual({ tenants: 2, users: 3, memberships: 3, contacts: 120 });

    const [owner, member, admin] = DEMO_USERS;
    const signIn = async (email: string) => {
      const result = await login(t.db, { email, password: DEMO_PASSWORD });
      if (!result.ok) throw new Error(result.error.message);
      return result.data.userId;
    };
    const names = async (email: string) =>
      (await listUserWorkspaces(t.db, await signIn(email))).map(
        (w) => `${w.tenant.name}:${w.role}`,
      );
    expect(await names(owner.email)).toEqual([
      'Acme Franchising:owner',
      'Birch Home Services:owner',
    ]);
    expect(await names(member.email)).toEqual(['Acme Franchising:member']);
    expect(await names(admin.email)).toEqual([]);
  });

  it('only ever targets a database on this machine', () => {
    expect(isLocalDatabase('postgres://u@127.0.0.1:5432/x')).toBe(true);
    expect(isLocalDatabase('postgres://u@localhost/x')).toBe(true);
    expect(isLocalDatabase('postgres://u@db.internal.example:5432/x')).toBe(false);
  });
});
