/**
 * connectDatabase's drizzle handle sends reads as named prepared statements
 * (parsed and planned once per connection), keeps bulk statements unnamed, and
 * still runs parameterless multi-statement strings.
 */
import { inArray, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../../src/lib/db/client';
import { MAX_PREPARED_PARAMETERS } from '../../../src/lib/db/prepared';
import { tenants } from '../../../src/lib/db/schema';
import { withTenant } from '../../../src/lib/db/tenant';
import { makeTenant } from '../../factories';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();
// One connection, so pg_prepared_statements shows what the reads before it prepared.
const handles: { close: () => Promise<void> }[] = [];
afterAll(() => Promise.all(handles.map((h) => h.close())));
function singleConnection() {
  const handle = connectDatabase(t.url, { max: 1 });
  handles.push(handle);
  return handle.db;
}

async function preparedStatements(db: ReturnType<typeof singleConnection>) {
  const rows = await db.execute<{ statement: string }>(
    sql.raw('select statement from pg_prepared_statements'),
  );
  return rows.map((r) => r.statement);
}

describe('prepared statements', () => {
  it('prepares a read once and reuses it, in and out of transactions', async () => {
    const tenant = await makeTenant(t.db);
    const db = singleConnection();
    for (let i = 0; i < 3; i++) {
      const [row] = await db
        .select({ name: tenants.name })
        .from(tenants)
        .where(sql`id = ${tenant.id}`);
      expect(row?.name).toBe(tenant.name);
      await withTenant(db, tenant.id, (tx) =>
        tx.execute(sql`select ${i}::int as marker_in_transaction`),
      );
    }
    const statements = await preparedStatements(db);
    expect(statements.filter((s) => s.includes('from "tenants"'))).toHaveLength(1);
    expect(statements.filter((s) => s.includes('marker_in_transaction'))).toHaveLength(1);
    expect(statements.some((s) => s.includes("set_config('role'"))).toBe(true);
  });

  it('leaves statements with many parameters (bulk shapes) unnamed', async () => {
    const db = singleConnection();
    const ids = Array.from({ length: MAX_PREPARED_PARAMETERS + 1 }, () => crypto.randomUUID());
    expect(await db.select().from(tenants).where(inArray(tenants.id, ids))).toEqual([]);
    expect(
      await db
        .select()
        .from(tenants)
        .where(inArray(tenants.id, ids.slice(1))),
    ).toEqual([]);
    const statements = await preparedStatements(db);
    expect(statements.filter((s) => s.includes('"tenants"."id" in'))).toHaveLength(1);
  });

  it('runs a parameterless string of several statements', async () => {
    const db = singleConnection();
    await db.execute(
      sql.raw('create temp table scratch (n int); insert into scratch values (1), (2)'),
    );
    const [row] = await db.execute<{ n: number }>(
      sql.raw('select count(*)::int as n from scratch'),
    );
    expect(row?.n).toBe(2);
  });
});
