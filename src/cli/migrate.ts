/** `npm run db:migrate`: applies drizzle/ to DATABASE_URL (and ensures the app role and RLS). */
import { loadConfig } from '../lib/config';
import { migrateDatabase } from '../lib/db/migrate';

const config = loadConfig(process.env);
await migrateDatabase(config.databaseUrl);
console.log('migrations applied');
