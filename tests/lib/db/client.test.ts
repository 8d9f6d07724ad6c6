/**
 * connectDatabase's connections run without JIT compilation: the app's
 * statements are small and index-driven, but LIMITed scans over a large queue
 * still cross jit_above_cost, and compiling took ~30 ms of a 33 ms claim.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();

describe('connectDatabase', () => {
  it('turns JIT off for the pool and for drizzle', async () => {
    const [raw] = await t.sql`select current_setting('jit') as jit`;
    expect(raw?.jit).toBe('off');
    const [viaDrizzle] = await t.db.execute<{ jit: string }>(
      sql`select current_setting('jit') as jit`,
    );
    expect(viaDrizzle?.jit).toBe('off');
  });
});
