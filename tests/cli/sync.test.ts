import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { makeTenant } from '../factories';
import {
  connectTenant,
  newWebKey,
  SIM_ACCESS_TOKEN,
  TEST_SECRETS_KEY,
  useSimulator,
} from '../helpers/clienttether';
import { useTestDatabase } from '../helpers/db';
import { runScript } from '../helpers/run-script';

const t = useTestDatabase();
const webKey = newWebKey();
const sim = useSimulator([{ webKey, seed: 3, clients: 25, opportunities: 10 }]);
const env = () => ({
  DATABASE_URL: t.url,
  SECRETS_KEY: TEST_SECRETS_KEY,
  CLIENTTETHER_API_URL: sim.simulator.url,
});

describe('npm run sync -- --tenant <slug>', () => {
  it('syncs that tenant now and says how it went', async () => {
    const tenant = await makeTenant(t.db);
    await connectTenant(t.db, tenant.id, webKey);
    const result = await runScript('src/cli/sync.ts', ['--tenant', tenant.slug], env());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(`sync ${tenant.slug}: success in .* fetched, .* updated`),
    );
    const [row] = await t.db.execute<{ n: number }>(
      sql`select count(*)::int as n from ct_leads where tenant_id = ${tenant.id}`,
    );
    expect(row?.n).toBe(25);
  });

  it('exits 1 with a clear message for an unknown tenant or a failed sync, never printing secrets', async () => {
    const unknown = await runScript('src/cli/sync.ts', ['--tenant', 'no-such-tenant'], env());
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no tenant with slug no-such-tenant/);

    const tenant = await makeTenant(t.db);
    const wrongKey = 'CT_abcdefabcdefabcdefabcdefabcdef12';
    await connectTenant(t.db, tenant.id, wrongKey);
    const failed = await runScript('src/cli/sync.ts', ['--tenant', tenant.slug], env());
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/failed .*refused the credentials/);
    expect(failed.stdout + failed.stderr).not.toContain(wrongKey);
    expect(failed.stdout + failed.stderr).not.toContain(SIM_ACCESS_TOKEN);
  });
});
