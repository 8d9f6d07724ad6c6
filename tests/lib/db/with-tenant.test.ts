import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../../src/lib/db/client';
import { memberships, tenantSettings } from '../../../src/lib/db/schema';
import { APP_ROLE, withTenant, withUser } from '../../../src/lib/db/tenant';
import { makeMember, makeTenant, makeUser } from '../../factories';
import { outcome } from '../../helpers/app-role';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();

async function settingsOf(tenantId: string) {
  return t.sql<{ key: string }[]>`
    select key from tenant_settings where tenant_id = ${tenantId} order by key`.then((rows) =>
    rows.map((r) => r.key),
  );
}

describe('withTenant', () => {
  it.each([
    'not-a-uuid',
    '',
    "00000000-0000-0000-0000-000000000000'; set role postgres; --",
    '1234',
  ])('rejects the non-uuid tenant id %j before touching the database', async (id) => {
    const fn = vi.fn(async () => 'ran');
    await expect(withTenant(t.db, id, fn)).rejects.toThrow(/must be a uuid/);
    await expect(withUser(t.db, id, fn)).rejects.toThrow(/must be a uuid/);
    expect(fn).not.toHaveBeenCalled();
  });

  it('sees the tenant it was given and runs as the app role', async () => {
    const tenant = await makeTenant(t.db);
    const [row] = await withTenant(t.db, tenant.id, (tx) =>
      tx.execute<{ tenant: string; user: string }>(
        sql`select current_setting('app.tenant_id', true) as tenant, current_user as user`,
      ),
    );
    expect(row).toEqual({ tenant: tenant.id, user: APP_ROLE });
  });

  it('rolls its writes back when the callback throws', async () => {
    const tenant = await makeTenant(t.db);
    const boom = new Error('boom');
    await expect(
      withTenant(t.db, tenant.id, async (tx) => {
        await tx.insert(tenantSettings).values({ tenantId: tenant.id, key: 'doomed', value: 1 });
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await settingsOf(tenant.id)).toEqual([]);
  });

  it('nested with the same tenant reuses the outer transaction: an outer rollback undoes the inner write', async () => {
    const tenant = await makeTenant(t.db);
    const rollback = new Error('rollback the outer transaction');
    const txids: string[] = [];
    await expect(
      withTenant(t.db, tenant.id, async (outer) => {
        const [o] = await outer.execute<{ txid: string }>(sql`select txid_current()::text as txid`);
        txids.push(o?.txid ?? 'outer');
        await withTenant(outer, tenant.id, async (inner) => {
          const [i] = await inner.execute<{ txid: string }>(
            sql`select txid_current()::text as txid`,
          );
          txids.push(i?.txid ?? 'inner');
          await inner
            .insert(tenantSettings)
            .values({ tenantId: tenant.id, key: 'inner', value: 1 });
        });
        // The inner write is visible to the outer transaction before it rolls back...
        const seen = await outer.select().from(tenantSettings);
        expect(seen.map((s) => s.key)).toEqual(['inner']);
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    expect(txids[0]).toBe(txids[1]);
    // ...and gone with it.
    expect(await settingsOf(tenant.id)).toEqual([]);
  });

  it('nested with the same tenant commits together with the outer transaction', async () => {
    const tenant = await makeTenant(t.db);
    await withTenant(t.db, tenant.id, async (outer) => {
      await outer.insert(tenantSettings).values({ tenantId: tenant.id, key: 'outer', value: 1 });
      await withTenant(outer, tenant.id, (inner) =>
        inner.insert(tenantSettings).values({ tenantId: tenant.id, key: 'inner', value: 1 }),
      );
    });
    expect(await settingsOf(tenant.id)).toEqual(['inner', 'outer']);
  });

  it('throws when nested with a different tenant, and the outer keeps its own tenant', async () => {
    const a = await makeTenant(t.db);
    const b = await makeTenant(t.db);
    const innerFn = vi.fn(async () => 'switched');
    await withTenant(t.db, a.id, async (outer) => {
      await expect(withTenant(outer, b.id, innerFn)).rejects.toThrow(/already set/);
      const [row] = await outer.execute<{ tenant: string }>(
        sql`select current_setting('app.tenant_id', true) as tenant`,
      );
      expect(row?.tenant).toBe(a.id);
      await outer.insert(tenantSettings).values({ tenantId: a.id, key: 'still-a', value: 1 });
    });
    expect(innerFn).not.toHaveBeenCalled();
    expect(await settingsOf(a.id)).toEqual(['still-a']);
    expect(await settingsOf(b.id)).toEqual([]);
  });

  describe('on a pool of one connection', () => {
    let pool: DatabaseHandle;
    beforeAll(() => {
      pool = connectDatabase(t.url, { max: 1 });
    });
    afterAll(async () => {
      await pool?.close();
    });

    it('leaves neither the tenant nor the role behind for the next query', async () => {
      const tenant = await makeTenant(t.db);
      const inside = await withTenant(pool.db, tenant.id, async (tx) => {
        const [row] = await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
        return row?.pid;
      });
      const [after] = await pool.sql<{ pid: number; tenant: string | null; user: string }[]>`
        select pg_backend_pid() as pid, current_setting('app.tenant_id', true) as tenant,
               current_user as user`;
      expect(after?.pid).toBe(inside);
      expect(after?.tenant ?? '').toBe('');
      expect(after?.user).not.toBe(APP_ROLE);
    });
  });
});

describe('withUser', () => {
  it('lets a user read their own memberships across tenants and nobody else’s', async () => {
    const { tenant: a, user } = await makeMember(t.db, { role: 'owner' });
    const { tenant: b } = await makeMember(t.db, { user, role: 'member' });
    const { user: colleague } = await makeMember(t.db, { tenant: a, role: 'admin' });
    const { user: stranger, tenant: c } = await makeMember(t.db);

    const mine = await withUser(t.db, user.id, (tx) =>
      tx.select().from(memberships).orderBy(memberships.role),
    );
    expect(mine.map((m) => [m.tenantId, m.userId, m.role])).toEqual([
      [b.id, user.id, 'member'],
      [a.id, user.id, 'owner'],
    ]);

    // Asking for someone else's rows by id changes nothing.
    const theirs = await withUser(t.db, user.id, (tx) =>
      tx
        .select()
        .from(memberships)
        .where(eq(memberships.userId, colleague.id))
        .union(tx.select().from(memberships).where(eq(memberships.userId, stranger.id))),
    );
    expect(theirs).toEqual([]);
    expect(c.id).not.toBe(a.id);
  });

  it('gives no tenant context: other tenant tables read empty and writes are refused', async () => {
    const { tenant, user } = await makeMember(t.db);
    await withTenant(t.db, tenant.id, (tx) =>
      tx.insert(tenantSettings).values({ tenantId: tenant.id, key: 'k', value: 1 }),
    );
    const settings = await withUser(t.db, user.id, (tx) => tx.select().from(tenantSettings));
    expect(settings).toEqual([]);
    const write = withUser(t.db, user.id, (tx) =>
      tx
        .insert(memberships)
        .values({ tenantId: tenant.id, userId: user.id, role: 'owner' })
        .onConflictDoUpdate({
          target: [memberships.tenantId, memberships.userId],
          set: { role: 'owner' },
        }),
    );
    expect(await outcome(write)).toBe('42501');
    const [row] = await t.sql`select role from memberships where user_id = ${user.id}`;
    expect(row?.role).toBe('member');
  });

  it('cannot be used for a user other than the one set', async () => {
    const me = await makeUser(t.db);
    const other = await makeUser(t.db);
    await withUser(t.db, me.id, async (outer) => {
      await expect(withUser(outer, other.id, async () => 'switched')).rejects.toThrow(
        /already set/,
      );
    });
  });
});
