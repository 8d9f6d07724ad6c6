/** `npm run stats:backfill -- --tenant <slug> --from <YYYY-MM-DD>`: roll up a tenant's history to today. */
import { parseArgs } from 'node:util';
import { backfillTenant } from '../lib/analytics';
import { loadConfig } from '../lib/config';
import { connectDatabase } from '../lib/db/client';
import { findTenantBySlug } from '../lib/tenants/find-tenant';

const USAGE = 'usage: npm run stats:backfill -- --tenant <slug> --from <YYYY-MM-DD>';

/** A real calendar date: "2025-02-30" is refused rather than rolled into March. */
function parseDay(value: string | undefined): string | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value) ? value : null;
}

const { values } = parseArgs({ options: { tenant: { type: 'string' }, from: { type: 'string' } } });
const config = loadConfig(process.env);
const database = connectDatabase(config.databaseUrl, { max: 2 });
try {
  const from = parseDay(values.from);
  if (!values.tenant || !from) throw new Error(USAGE);
  const tenant = await findTenantBySlug(database.db, values.tenant);
  if (!tenant) throw new Error(`no tenant with slug ${values.tenant}`);
  const started = Date.now();
  const result = await backfillTenant(database.db, tenant.id, from, new Date(), (chunk) =>
    console.log(`  ${chunk.from} … ${chunk.to}: ${chunk.days} days`),
  );
  const took = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`stats:backfill ${tenant.slug}: ${result.days} days from ${from} in ${took} s`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  await database.close();
}
