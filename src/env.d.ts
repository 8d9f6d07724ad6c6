/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    db: import('./lib/db/client').Database;
    /** The same pool, raw: for the few bulk paths drizzle is too slow for (CSV import). */
    sql: import('postgres').Sql;
    config: import('./lib/config').AppConfig;
    user: import('./lib/auth/sessions').SessionUser | null;
    session: import('./lib/auth/sessions').Session | null;
    /** The chosen workspace (tenant + the user's role there), re-validated on every request. */
    workspace: import('./lib/tenants/memberships').Workspace | null;
    /** The user's active workspaces when the middleware read them (tenant routes, a tenant cookie). */
    workspaces: import('./lib/tenants/memberships').Workspace[] | null;
  }
}
