/** `npm run db:seed`: the demo workspace, idempotent, and only on a database on this machine. */
import { loadConfig } from '../lib/config';
import { connectDatabase } from '../lib/db/client';
import { DEMO_PASSWORD, isLocalDatabase, seedDemo } from '../lib/demo/seed';

const config = loadConfig(process.env);
if (!isLocalDatabase(config.databaseUrl)) {
  console.error('Refusing to seed demo data into a database that is not on this machine.');
  process.exit(1);
}
const handle = connectDatabase(config.databaseUrl, { max: 2 });
try {
  const summary = await seedDemo(handle.db, { secretsKey: config.secretsKey });
  console.log(
    `demo seeded: ${summary.tenants} tenants, ${summary.users} users (password ${DEMO_PASSWORD})`,
  );
} finally {
  await handle.close();
}
