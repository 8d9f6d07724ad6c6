import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();

describe('test database', () => {
  it('is migrated', async () => {
    const rows = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from tenants`);
    expect(rows[0]?.n).toBe(0);
  });
});
