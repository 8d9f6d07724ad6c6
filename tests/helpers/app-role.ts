import postgres from 'postgres';
import { afterAll, beforeAll, inject } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../src/lib/db/client';
import { APP_ROLE } from '../../src/lib/db/tenant';

/**
 * A LOGIN role that is a plain member of the app role: connecting as it is how
 * production connects (no superuser, no BYPASSRLS), so tests can check what a
 * query outside `withTenant` sees. Roles are cluster-wide: created once, idempotently.
 */
export const APP_LOGIN_ROLE = 'switchboard_app_test_login';
// Local test clusters only; the embedded one uses scram, so the role needs one.
const APP_LOGIN_PASSWORD = 'switchboard-app-test-login';
const ROLE_LOCK = 7_210_103;

/** Creates the login role (or repairs it) and lets it connect to `databaseUrl`'s database. */
export async function ensureAppLoginRole(databaseUrl: string): Promise<void> {
  const database = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  const admin = postgres(inject('adminUrl'), { max: 1, onnotice: () => {} });
  try {
    // Concurrent CREATE/ALTER ROLE from parallel files would collide ("tuple concurrently updated").
    await admin`select pg_advisory_lock(${ROLE_LOCK})`;
    await admin.unsafe(`
      do $$ begin
        if not exists (select 1 from pg_roles where rolname = '${APP_LOGIN_ROLE}') then
          create role ${APP_LOGIN_ROLE} login nosuperuser nobypassrls nocreatedb nocreaterole;
        end if;
      end $$;
      alter role ${APP_LOGIN_ROLE} with login nosuperuser nobypassrls password '${APP_LOGIN_PASSWORD}';
      grant ${APP_ROLE} to ${APP_LOGIN_ROLE};
      grant connect on database "${database.replaceAll('"', '""')}" to ${APP_LOGIN_ROLE};
    `);
  } finally {
    await admin`select pg_advisory_unlock(${ROLE_LOCK})`.catch(() => {});
    await admin.end({ timeout: 5 });
  }
}

/** `databaseUrl` with the login role's credentials instead of the superuser's. */
export function appLoginUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.username = APP_LOGIN_ROLE;
  url.password = APP_LOGIN_PASSWORD;
  return url.toString();
}

/** Per test file: a pool that logs in as the app login role on the file's database. */
export function useAppRoleDatabase(
  database: { readonly url: string },
  options: { max?: number } = {},
) {
  const state = {} as { handle: DatabaseHandle };
  beforeAll(async () => {
    await ensureAppLoginRole(database.url);
    state.handle = connectDatabase(appLoginUrl(database.url), { max: options.max ?? 5 });
  });
  afterAll(async () => {
    await state.handle?.close();
  });
  return {
    get db() {
      return state.handle.db;
    },
    get sql() {
      return state.handle.sql;
    },
    get url() {
      return appLoginUrl(database.url);
    },
  };
}

/** The SQLSTATE of a database error, looking through drizzle's wrapper (`cause`). */
export function sqlState(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** 'ok' when the promise resolves, else the SQLSTATE it failed with (or the message). */
export async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return sqlState(error) ?? String(error);
  }
}
