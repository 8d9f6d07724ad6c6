import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { APP_ROLE } from './tenant';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../../drizzle', import.meta.url));

// Any number of processes may call migrateDatabase at once (launcher, tests, CI).
const MIGRATION_LOCK = 7_210_001;

/**
 * Applies the committed drizzle migrations, then makes sure of what migrations
 * can't express once for all future tables: the restricted app role, its
 * grants, and FORCE row-level security on every table that has a `tenant_id`.
 */
export async function migrateDatabase(url: string, migrationsFolder = MIGRATIONS_FOLDER) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migrate(drizzle(sql), { migrationsFolder });
    await ensureAppRole(sql);
  } finally {
    await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {});
    await sql.end({ timeout: 5 });
  }
}

async function ensureAppRole(sql: postgres.Sql) {
  await sql.unsafe(`
    do $$ begin
      if not exists (select 1 from pg_roles where rolname = '${APP_ROLE}') then
        create role ${APP_ROLE} nologin nosuperuser nobypassrls;
      end if;
      -- A non-superuser owner must be a member to SET ROLE to it.
      if current_user <> '${APP_ROLE}' and not pg_has_role(current_user, '${APP_ROLE}', 'member') then
        execute format('grant ${APP_ROLE} to %I', current_user);
      end if;
    end $$;
    grant usage on schema public to ${APP_ROLE};
    grant select, insert, update, delete on all tables in schema public to ${APP_ROLE};
    grant usage, select on all sequences in schema public to ${APP_ROLE};
    -- GET /api/ready compares the applied migrations with the build's journal (read only).
    grant usage on schema drizzle to ${APP_ROLE};
    grant select on drizzle.__drizzle_migrations to ${APP_ROLE};
    do $$ declare t record; begin
      for t in
        select c.oid::regclass as rel from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
        where n.nspname = 'public' and c.relkind in ('r', 'p')
      loop
        execute format('alter table %s enable row level security, force row level security', t.rel);
      end loop;
    end $$;
  `);
}
