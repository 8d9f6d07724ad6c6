import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgPolicy,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { currentUserId, tenantIsolationPolicy } from '../rls';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

/** A brand or client account. Global table: its `id` is what tenant tables reference. */
export const tenants = pgTable('tenants', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  slug: text('slug').notNull().unique(),
  timezone: text('timezone').notNull().default('America/New_York'),
  defaultPhoneRegion: text('default_phone_region').notNull().default('US'),
  // ClientTether credentials, AES-256-GCM sealed (see lib/secrets); never selected for display.
  clienttetherWebKeySealed: text('clienttether_web_key_sealed'),
  clienttetherAccessTokenSealed: text('clienttether_access_token_sealed'),
  deactivatedAt: timestamp('deactivated_at', { withTimezone: true }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // Stored lower-cased (see normalizeEmail) so the unique index is case-insensitive.
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    isPlatformAdmin: boolean('is_platform_admin').notNull().default(false),
    /** Calls this user's campaigns may have in flight at once (platform admins change it). */
    concurrentCallsLimit: integer('concurrent_calls_limit').notNull().default(2),
    deactivatedAt: timestamp('deactivated_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('users_email_key').on(t.email),
    check('users_email_lowercase', sql`${t.email} = lower(${t.email})`),
  ],
);

export const MEMBERSHIP_ROLES = ['owner', 'admin', 'member'] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];

/**
 * A user's role in a tenant. Tenant-scoped like every tenant table, with one
 * extra read policy so a signed-in user can list their own workspaces.
 */
export const memberships = pgTable(
  'memberships',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: MEMBERSHIP_ROLES }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId] }),
    index('memberships_user_id_idx').on(t.userId),
    check('memberships_role_check', sql`${t.role} in ('owner', 'admin', 'member')`),
    tenantIsolationPolicy(t.tenantId),
    pgPolicy('member_reads_own', { for: 'select', using: sql`${t.userId} = ${currentUserId}` }),
  ],
);

/** Sessions as Lucia documents them: the id is the SHA-256 (hex) of the cookie token. */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    // Sliding renewal never extends past created_at + the absolute cap.
    createdAt: createdAt(),
  },
  (t) => [
    index('sessions_user_id_idx').on(t.userId),
    index('sessions_expires_at_idx').on(t.expiresAt),
  ],
);

/** Failed logins per email, shared by every web process; read over a 15-minute window. */
export const loginFailures = pgTable(
  'login_failures',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    email: text('email').notNull(),
    failedAt: timestamp('failed_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('login_failures_email_failed_at_idx').on(t.email, t.failedAt)],
);

/** Deployment-wide settings (e.g. the system call concurrency limit), keyed by name. */
export const systemSettings = pgTable('system_settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: updatedAt(),
});

/** Which cron tick each worker job last ran: Postgres, not node-cron, decides who runs a tick. */
export const cronTicks = pgTable('cron_ticks', {
  job: text('job').primaryKey(),
  lastTick: timestamp('last_tick', { withTimezone: true }).notNull(),
  lastRunBy: text('last_run_by'),
});
