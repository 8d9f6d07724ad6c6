/** `npm run stats:backfill -- --tenant <slug> --from <date>` as the script runs it. */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../src/lib/analytics';
import { makeTenant } from '../../factories';
import { TEST_SECRETS_KEY } from '../../helpers/clienttether';
import { useTestDatabase } from '../../helpers/db';
import { runScript } from '../../helpers/run-script';
import { insertCalls, localDay, makeCallCampaign } from './seed-calls';

const t = useTestDatabase();
const env = () => ({ DATABASE_URL: t.url, SECRETS_KEY: TEST_SECRETS_KEY });

describe('npm run stats:backfill', () => {
  it("rolls every day from --from to the tenant's today", async () => {
    const tenant = await makeTenant(t.db, { timezone: 'UTC' });
    const at = new Date(Date.now() - 40 * 86_400_000);
    await insertCalls(t.db, tenant.id, await makeCallCampaign(t.db, tenant), [
      { status: 'completed', outcome: 'completed', dialledAt: at, finishedAt: at },
    ]);
    const today = localDay(new Date(), 'UTC');
    const from = addDays(today, -44);
    const result = await runScript(
      'src/cli/stats-backfill.ts',
      ['--tenant', tenant.slug, '--from', from],
      env(),
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`stats:backfill ${tenant.slug}: 45 days from ${from}`);
    const [row] = await t.db.execute<{ days: number; placed: number }>(sql`
      select count(*)::int as days, sum(calls_placed)::int as placed
      from stats_daily where tenant_id = ${tenant.id}`);
    expect(row).toEqual({ days: 45, placed: 1 });
  });

  it('exits 1 with the usage for a missing or impossible date, and for an unknown tenant', async () => {
    const tenant = await makeTenant(t.db);
    for (const args of [
      ['--tenant', tenant.slug],
      ['--tenant', tenant.slug, '--from', '2025-02-30'],
      ['--tenant', 'no-such-tenant', '--from', '2025-01-01'],
    ]) {
      const result = await runScript('src/cli/stats-backfill.ts', args, env());
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr, args.join(' ')).toMatch(
        /usage: npm run stats:backfill|no tenant with slug/,
      );
    }
  });
});
