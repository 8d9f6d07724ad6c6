import { sql } from 'drizzle-orm';
import type postgres from 'postgres';
import { beforeAll, describe, expect, it } from 'vitest';
import { tenantSettings } from '../../../src/lib/db/schema';
import { APP_ROLE, withTenant } from '../../../src/lib/db/tenant';
import { makeMember, makeTenant } from '../../factories';
import { outcome, useAppRoleDatabase } from '../../helpers/app-role';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();
const app = useAppRoleDatabase(t);

type Queryable = postgres.Sql | postgres.TransactionSql;

/** Every table in `public` with a `tenant_id` column, straight from the catalog. */
async function tenantTables(q: Queryable): Promise<string[]> {
  const rows = await q<{ table: string }[]>`
    select c.relname as table
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
    where n.nspname = 'public' and c.relkind in ('r', 'p')
    order by c.relname`;
  return rows.map((r) => r.table);
}

/** `tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid` as pg_get_expr prints it, minus parentheses and spaces. */
const ISOLATION_EXPR = "tenant_id=NULLIFcurrent_setting'app.tenant_id'::text,true,''::text::uuid";

/** What checklist item 1 forbids, one line per offending table. */
async function rlsViolations(q: Queryable): Promise<string[]> {
  const rows = await q<
    {
      table: string;
      rls: boolean;
      forced: boolean;
      isolation: boolean;
      wideWrites: string[];
    }[]
  >`
    select c.relname as table, c.relrowsecurity as rls, c.relforcerowsecurity as forced,
      exists (
        select 1 from pg_policy p
        where p.polrelid = c.oid and p.polname = 'tenant_isolation' and p.polcmd = '*'
          and p.polpermissive
          -- Both expressions, parentheses and spaces aside, are exactly the nullif(…)::uuid comparison.
          and regexp_replace(pg_get_expr(p.polqual, p.polrelid), '[()[:space:]]', '', 'g') = ${ISOLATION_EXPR}
          and regexp_replace(pg_get_expr(p.polwithcheck, p.polrelid), '[()[:space:]]', '', 'g') = ${ISOLATION_EXPR}
      ) as isolation,
      -- Any other permissive policy that admits writes would widen tenant_isolation (policies are OR-ed).
      array(
        select p.polname::text from pg_policy p
        where p.polrelid = c.oid and p.polname <> 'tenant_isolation' and p.polpermissive
          and p.polcmd <> 'r'
        order by 1
      ) as "wideWrites"
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
    where n.nspname = 'public' and c.relkind in ('r', 'p')
    order by c.relname`;
  const problems: string[] = [];
  for (const row of rows) {
    if (!row.rls) problems.push(`${row.table}: row level security not enabled`);
    if (!row.forced) problems.push(`${row.table}: row level security not forced`);
    if (!row.isolation)
      problems.push(`${row.table}: no tenant_isolation policy with USING and WITH CHECK`);
    for (const policy of row.wideWrites)
      problems.push(`${row.table}: policy ${policy} admits writes besides tenant_isolation`);
  }
  return problems;
}

/**
 * Foreign keys from one tenant table to another that leave `tenant_id` out of
 * their columns (checklist 4). With `tenantTargetsOnly = false` the target
 * filter is dropped, so the same query can be shown to see real FKs.
 */
async function foreignKeys(q: Queryable, tenantTargetsOnly: boolean) {
  return q<{ name: string; from: string; to: string; includesTenantId: boolean }[]>`
    select con.conname as name, src.relname as from, dst.relname as to,
      (src_tid.attnum = any (con.conkey)) as "includesTenantId"
    from pg_constraint con
    join pg_class src on src.oid = con.conrelid
    join pg_namespace n on n.oid = src.relnamespace
    join pg_class dst on dst.oid = con.confrelid
    join pg_attribute src_tid
      on src_tid.attrelid = src.oid and src_tid.attname = 'tenant_id' and not src_tid.attisdropped
    left join pg_attribute dst_tid
      on dst_tid.attrelid = dst.oid and dst_tid.attname = 'tenant_id' and not dst_tid.attisdropped
    where con.contype = 'f' and n.nspname = 'public'
      and (not ${tenantTargetsOnly} or dst_tid.attnum is not null)
    order by con.conname`;
}

async function crossTenantFkViolations(q: Queryable): Promise<string[]> {
  const fks = await foreignKeys(q, true);
  return fks
    .filter((fk) => !fk.includesTenantId)
    .map((fk) => `${fk.from} -> ${fk.to} (${fk.name})`);
}

/** Rolls back whatever `fn` did to the schema: for showing the meta-tests catch a bad table. */
async function inRolledBackTransaction(fn: (tx: postgres.TransactionSql) => Promise<void>) {
  const rollback = new Error('rollback');
  await expect(
    t.sql.begin(async (tx) => {
      await fn(tx);
      throw rollback;
    }),
  ).rejects.toBe(rollback);
}

describe('row-level security catalog', () => {
  it('finds the known tenant tables', async () => {
    const tables = await tenantTables(t.sql);
    expect(tables).toEqual(expect.arrayContaining(['memberships', 'tenant_settings']));
    expect(tables).not.toContain('tenants');
    expect(tables).not.toContain('users');
  });

  it('enables and forces RLS with a tenant_isolation USING + WITH CHECK policy on every tenant table', async () => {
    expect(await rlsViolations(t.sql)).toEqual([]);
  });

  it('reports a new tenant table that forgot RLS (the check is not vacuous)', async () => {
    await inRolledBackTransaction(async (tx) => {
      await tx`create table rls_probe (tenant_id uuid not null, note text)`;
      expect(await rlsViolations(tx)).toEqual([
        'rls_probe: row level security not enabled',
        'rls_probe: row level security not forced',
        'rls_probe: no tenant_isolation policy with USING and WITH CHECK',
      ]);
      await tx`alter table rls_probe enable row level security`;
      await tx`create policy tenant_isolation on rls_probe using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)`;
      await tx`create policy anyone_writes on rls_probe for insert with check (true)`;
      expect(await rlsViolations(tx)).toEqual([
        'rls_probe: row level security not forced',
        'rls_probe: no tenant_isolation policy with USING and WITH CHECK',
        'rls_probe: policy anyone_writes admits writes besides tenant_isolation',
      ]);
    });
  });

  it('gives the app role no superuser, no BYPASSRLS and no table of its own', async () => {
    const [role] = await t.sql<
      { rolsuper: boolean; rolbypassrls: boolean; rolcreaterole: boolean }[]
    >`
      select rolsuper, rolbypassrls, rolcreaterole from pg_roles where rolname = ${APP_ROLE}`;
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, rolcreaterole: false });

    // Nor does it inherit either power from a role it belongs to.
    const powerful = await t.sql`
      select r.rolname from pg_roles r
      where pg_has_role(${APP_ROLE}, r.oid, 'member') and (r.rolsuper or r.rolbypassrls)`;
    expect(powerful).toEqual([]);

    const owned = await t.sql`
      select c.relname from pg_class c join pg_roles r on r.oid = c.relowner
      where r.rolname = ${APP_ROLE}`;
    expect(owned).toEqual([]);
    // The same query does see the owner's tables, so an empty answer means something.
    const [owner] = await t.sql<{ count: number }[]>`
      select count(*)::int as count from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relname = 'tenant_settings'
        and c.relowner = (select relowner from pg_class where oid = 'public.tenants'::regclass)`;
    expect(owner?.count).toBe(1);
  });

  it('runs withTenant as the app role, where RLS is active', async () => {
    const tenant = await makeTenant(t.db);
    const [outside] = await t.db.execute<{ user: string }>(sql`select current_user as user`);
    expect(outside?.user).not.toBe(APP_ROLE);
    const inside = await withTenant(t.db, tenant.id, async (tx) => {
      const [row] = await tx.execute<{
        user: string;
        rolsuper: boolean;
        rolbypassrls: boolean;
        owned: number;
        rls: boolean;
      }>(sql`
        select current_user as user, r.rolsuper, r.rolbypassrls,
          (select count(*)::int from pg_class where relowner = r.oid) as owned,
          row_security_active('public.tenant_settings') as rls
        from pg_roles r where r.rolname = current_user`);
      return row;
    });
    expect(inside).toEqual({
      user: APP_ROLE,
      rolsuper: false,
      rolbypassrls: false,
      owned: 0,
      rls: true,
    });
  });

  it('has no foreign key between tenant tables that leaves tenant_id out', async () => {
    expect(await crossTenantFkViolations(t.sql)).toEqual([]);
  });

  it('sees real foreign keys when the target filter is dropped (the FK query is not vacuous)', async () => {
    const fks = await foreignKeys(t.sql, false);
    expect(fks).toEqual(
      expect.arrayContaining([
        {
          name: 'tenant_settings_tenant_id_tenants_id_fk',
          from: 'tenant_settings',
          to: 'tenants',
          includesTenantId: true,
        },
        {
          name: 'memberships_user_id_users_id_fk',
          from: 'memberships',
          to: 'users',
          includesTenantId: false,
        },
      ]),
    );
  });

  it('reports a tenant-to-tenant foreign key without tenant_id, and accepts the composite one', async () => {
    await inRolledBackTransaction(async (tx) => {
      await tx`create table fk_probe_parent (tenant_id uuid not null, id uuid primary key, unique (tenant_id, id))`;
      await tx`create table fk_probe_child (tenant_id uuid not null, parent_id uuid not null,
        constraint fk_probe_child_parent_fk foreign key (parent_id) references fk_probe_parent (id))`;
      expect(await crossTenantFkViolations(tx)).toEqual([
        'fk_probe_child -> fk_probe_parent (fk_probe_child_parent_fk)',
      ]);
      await tx`alter table fk_probe_child drop constraint fk_probe_child_parent_fk`;
      await tx`alter table fk_probe_child add constraint fk_probe_child_parent_fk
        foreign key (tenant_id, parent_id) references fk_probe_parent (tenant_id, id)`;
      expect(await crossTenantFkViolations(tx)).toEqual([]);
    });
  });
});

describe('fail-closed on every tenant table from the catalog', () => {
  let tables: string[] = [];
  let tenantA: string;
  let tenantB: string;

  beforeAll(async () => {
    tables = await tenantTables(t.sql);
    const a = await makeMember(t.db);
    const b = await makeMember(t.db);
    tenantA = a.tenant.id;
    tenantB = b.tenant.id;
    for (const [tenantId, value] of [
      [tenantA, 'a'],
      [tenantB, 'b'],
    ] as const) {
      await withTenant(t.db, tenantId, (tx) =>
        tx.insert(tenantSettings).values({ tenantId, key: 'probe', value }),
      );
    }
  });

  /** Runs `fn` as switchboard_app with no tenant set: SET LOCAL ROLE on the superuser pool. */
  function asAppRoleWithoutContext<T>(fn: (tx: postgres.TransactionSql) => Promise<T>) {
    return t.sql.begin(async (tx) => {
      await tx.unsafe(`set local role ${APP_ROLE}`);
      return fn(tx);
    });
  }

  const noContextWays = [
    {
      way: 'switchboard_app via SET LOCAL ROLE',
      run: <T>(fn: (q: Queryable) => Promise<T>) => asAppRoleWithoutContext(fn),
    },
    {
      way: 'a login role that is a member of switchboard_app',
      run: <T>(fn: (q: Queryable) => Promise<T>) => fn(app.sql),
    },
  ];

  it('covers the seeded tables (each has rows a superuser can see)', async () => {
    expect(tables.length).toBeGreaterThanOrEqual(2);
    for (const table of ['memberships', 'tenant_settings']) {
      const [row] = await t.sql<
        { count: number }[]
      >`select count(*)::int as count from ${t.sql(table)}`;
      expect(row?.count, table).toBeGreaterThanOrEqual(2);
    }
  });

  describe.each(noContextWays)('with no tenant context, as $way', ({ run }) => {
    it('refuses an INSERT into every tenant table with 42501', async () => {
      const results: Record<string, string> = {};
      for (const table of tables) {
        results[table] = await outcome(
          run((q) => q`insert into ${q(table)} (tenant_id) values (${tenantA})`),
        );
      }
      expect(results).toEqual(Object.fromEntries(tables.map((table) => [table, '42501'])));
    });

    it('counts 0 rows in every tenant table', async () => {
      const counts: Record<string, number> = {};
      for (const table of tables) {
        const [row] = await run(
          (q) => q<{ count: number }[]>`select count(*)::int as count from ${q(table)}`,
        );
        counts[table] = row?.count ?? -1;
      }
      expect(counts).toEqual(Object.fromEntries(tables.map((table) => [table, 0])));
    });
  });

  it("refuses, inside withTenant(A), an INSERT of tenant B's id into every tenant table with 42501", async () => {
    const results: Record<string, string> = {};
    for (const table of tables) {
      results[table] = await outcome(
        withTenant(t.db, tenantA, (tx) =>
          tx.execute(sql`insert into ${sql.identifier(table)} (tenant_id) values (${tenantB})`),
        ),
      );
    }
    expect(results).toEqual(Object.fromEntries(tables.map((table) => [table, '42501'])));
  });
});
