/** `npm run sync -- --tenant <slug>`: sync one tenant now, print the outcome. */
import { parseArgs } from 'node:util';
import { loadConfig } from '../lib/config';
import { connectDatabase } from '../lib/db/client';
import { runTenantSync, syncContextFrom } from '../lib/sync';
import { findTenantBySlug } from '../lib/tenants/find-tenant';

const { values } = parseArgs({ options: { tenant: { type: 'string' } } });
const config = loadConfig(process.env);
const database = connectDatabase(config.databaseUrl, { max: 3 });
try {
  if (!values.tenant) throw new Error('usage: npm run sync -- --tenant <slug>');
  const tenant = await findTenantBySlug(database.db, values.tenant);
  if (!tenant) throw new Error(`no tenant with slug ${values.tenant}`);
  const started = Date.now();
  const outcome = await runTenantSync(syncContextFrom(database, config), tenant.id, {
    trigger: 'manual',
  });
  const took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
  if (outcome.status === 'success') {
    console.log(
      `sync ${tenant.slug}: success in ${took} (${outcome.recordsFetched} fetched, ${outcome.recordsUpdated} updated)`,
    );
  } else if (outcome.status === 'failed') {
    console.error(`sync ${tenant.slug}: failed in ${took}: ${outcome.error}`);
    process.exitCode = 1;
  } else if (outcome.status === 'interrupted') {
    console.error(`sync ${tenant.slug}: interrupted after ${took}`);
    process.exitCode = 1;
  } else {
    console.error(`sync ${tenant.slug}: skipped, another sync of this tenant is running`);
    process.exitCode = 1;
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  await database.close();
}
