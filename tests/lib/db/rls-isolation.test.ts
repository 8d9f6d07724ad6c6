import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../../src/lib/db/client';
import { memberships, tenantSettings } from '../../../src/lib/db/schema';
import { withTenant } from '../../../src/lib/db/tenant';
import { makeMember, makeTenant } from '../../factories';
import { APP_LOGIN_ROLE, appLoginUrl, ensureAppLoginRole, outcome } from '../../helpers/app-role';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();

let tenantA: string;
let tenantB: string;
let userA: string;
let userB: string;

beforeAll(async () => {
  const a = await makeMember(t.db, { role: 'owner' });
  const b = await makeMember(t.db, { role: 'owner' });
  tenantA = a.tenant.id;
  tenantB = b.tenant.id;
  userA = a.user.id;
  userB = b.user.id;
  for (const [tenantId, owner] of [
    [tenantA, 'A'],
    [tenantB, 'B'],
  ] as const) {
    await withTenant(t.db, tenantId, (tx) =>
      tx.insert(tenantSettings).values([
        { tenantId, key: 'greeting', value: `hello from ${owner}` },
        { tenantId, key: 'owner', value: owner },
      ]),
    );
  }
});

/** Tenant B's rows as a superuser sees them (RLS does not apply): the ground truth. */
async function rowsOfB() {
  return t.sql`
    select 'setting' as kind, key as id, value::text as value from tenant_settings where tenant_id = ${tenantB}
    union all
    select 'membership', user_id::text, role from memberships where tenant_id = ${tenantB}
    order by 1, 2`;
}

describe('inside withTenant(A)', () => {
  it("never returns tenant B's rows, even when asked for them by id", async () => {
    const seen = await withTenant(t.db, tenantA, async (tx) => ({
      settings: await tx.select().from(tenantSettings),
      members: await tx.select().from(memberships),
      askedForB: await tx.select().from(tenantSettings).where(eq(tenantSettings.tenantId, tenantB)),
      membersOfB: await tx.select().from(memberships).where(eq(memberships.userId, userB)),
      raw: await tx.execute(sql`select * from tenant_settings where tenant_id = ${tenantB}`),
    }));
    expect(seen.settings.map((s) => s.tenantId)).toEqual([tenantA, tenantA]);
    expect(seen.members.map((m) => [m.tenantId, m.userId])).toEqual([[tenantA, userA]]);
    expect(seen.askedForB).toEqual([]);
    expect(seen.membersOfB).toEqual([]);
    expect([...seen.raw]).toEqual([]);
  });

  it("updates and deletes of tenant B's rows affect 0 rows", async () => {
    const before = await rowsOfB();
    const affected = await withTenant(t.db, tenantA, async (tx) => ({
      updatedSettings: await tx
        .update(tenantSettings)
        .set({ value: 'hijacked' })
        .where(eq(tenantSettings.tenantId, tenantB))
        .returning(),
      updatedMembers: await tx
        .update(memberships)
        .set({ role: 'member' })
        .where(eq(memberships.tenantId, tenantB))
        .returning(),
      deletedSettings: await tx
        .delete(tenantSettings)
        .where(eq(tenantSettings.tenantId, tenantB))
        .returning(),
      deletedMembers: await tx.delete(memberships).where(eq(memberships.userId, userB)).returning(),
      // Unfiltered: may only ever touch A's rows.
      allUpdated: await tx.update(tenantSettings).set({ value: 'touched' }).returning(),
    }));
    expect(affected.updatedSettings).toEqual([]);
    expect(affected.updatedMembers).toEqual([]);
    expect(affected.deletedSettings).toEqual([]);
    expect(affected.deletedMembers).toEqual([]);
    expect(affected.allUpdated.map((s) => s.tenantId)).toEqual([tenantA, tenantA]);
    expect(await rowsOfB()).toEqual(before);
    expect(before).toHaveLength(3);
  });

  it("refuses to move one of A's rows to tenant B (WITH CHECK, 42501)", async () => {
    const moved = withTenant(t.db, tenantA, (tx) =>
      tx
        .update(tenantSettings)
        .set({ tenantId: tenantB })
        .where(eq(tenantSettings.key, 'greeting')),
    );
    expect(await outcome(moved)).toBe('42501');
    const inserted = withTenant(t.db, tenantA, (tx) =>
      tx.insert(memberships).values({ tenantId: tenantB, userId: userA, role: 'owner' }),
    );
    expect(await outcome(inserted)).toBe('42501');
    expect(await rowsOfB()).toHaveLength(3);
  });
});

describe('connected as a non-superuser login role in switchboard_app', () => {
  let pool: DatabaseHandle;

  beforeAll(async () => {
    await ensureAppLoginRole(t.url);
    pool = connectDatabase(appLoginUrl(t.url), { max: 1 });
  });
  afterAll(async () => {
    await pool?.close();
  });

  it('is who it claims to be: not a superuser, cannot bypass RLS', async () => {
    const [me] = await pool.sql<{ user: string; rolsuper: boolean; rolbypassrls: boolean }[]>`
      select current_user as user, rolsuper, rolbypassrls from pg_roles where rolname = current_user`;
    expect(me).toEqual({ user: APP_LOGIN_ROLE, rolsuper: false, rolbypassrls: false });
  });

  it('reads nothing from tenant tables outside withTenant', async () => {
    const rows = await pool.sql`
      select (select count(*)::int from tenant_settings) as settings,
             (select count(*)::int from memberships) as members`;
    expect([...rows]).toEqual([{ settings: 0, members: 0 }]);
  });

  it('leaves no tenant behind on the pooled connection after withTenant(A)', async () => {
    const inside = await withTenant(pool.db, tenantA, async (tx) => {
      const [row] = await tx.execute<{ pid: number; tenant: string; settings: number }>(sql`
        select pg_backend_pid() as pid, current_setting('app.tenant_id', true) as tenant,
               (select count(*)::int from tenant_settings) as settings`);
      return row;
    });
    expect(inside).toMatchObject({ tenant: tenantA, settings: 2 });

    const [after] = await pool.sql<
      { pid: number; tenant: string | null; user: string; settings: number; members: number }[]
    >`
      select pg_backend_pid() as pid, current_setting('app.tenant_id', true) as tenant,
             current_user as user,
             (select count(*)::int from tenant_settings) as settings,
             (select count(*)::int from memberships) as members`;
    // Same physical connection (pool max 1), yet nothing of A's context survived.
    expect(after?.pid).toBe(inside?.pid);
    expect(after?.tenant ?? '').toBe('');
    expect(after).toMatchObject({ user: APP_LOGIN_ROLE, settings: 0, members: 0 });
  });

  it('rejects a withTenant(A) whose connection is terminated midway, then serves withTenant(B) with only B', async () => {
    let killedPid: number | undefined;
    const doomed = withTenant(pool.db, tenantA, async (tx) => {
      const [row] = await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
      killedPid = row?.pid;
      // From another (superuser) connection; waits up to 5 s for the backend to exit.
      const [killed] = await t.sql<{ ok: boolean }[]>`
        select pg_terminate_backend(${killedPid ?? 0}::int, 5000) as ok`;
      expect(killed?.ok).toBe(true);
      await tx.insert(tenantSettings).values({ tenantId: tenantA, key: 'after-kill', value: 1 });
      return 'committed';
    });
    const error = await doomed.then(
      () => undefined,
      (e: unknown) => e,
    );
    // The connection's own error (possibly wrapped by drizzle), not some unrelated failure.
    const reason = [error, (error as { cause?: unknown } | undefined)?.cause]
      .map((e) => `${(e as { code?: string } | undefined)?.code} ${String(e)}`)
      .join(' | ');
    expect(reason).toMatch(/CONNECTION_CLOSED|CONNECTION_ENDED|CONNECTION_DESTROYED|57P01/);
    expect(killedPid).toBeTypeOf('number');

    const seen = await withTenant(pool.db, tenantB, async (tx) => {
      const [row] = await tx.execute<{ pid: number; tenant: string }>(
        sql`select pg_backend_pid() as pid, current_setting('app.tenant_id', true) as tenant`,
      );
      return { ...row, settings: await tx.select().from(tenantSettings) };
    });
    expect(seen.pid).not.toBe(killedPid);
    expect(seen.tenant).toBe(tenantB);
    expect(seen.settings.map((s) => s.tenantId)).toEqual([tenantB, tenantB]);
    const [lost] = await t.sql`select 1 from tenant_settings where key = 'after-kill'`;
    expect(lost).toBeUndefined();
  });

  it('cannot write a tenant row outside withTenant, not even for a tenant that exists', async () => {
    const tenant = await makeTenant(t.db);
    expect(
      await outcome(
        pool.sql`insert into tenant_settings (tenant_id, key, value) values (${tenant.id}, 'k', '1')`,
      ),
    ).toBe('42501');
  });
});
