import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { MEMBERSHIP_ROLES, tenants, users } from './core';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/*
 * Platform-level tables: none has a `tenant_id` column, on purpose. They are
 * read across tenants (a token is looked up before its tenant is known; the
 * audit log is the platform admin's), so they are accessed through the
 * privileged handle like users and sessions, and the tenant they concern is
 * a plain reference (`*_tenant_id`) that row-level security does not key on.
 * See docs/decisions/007.
 */

/** Who did what to whom: every platform-admin and team-admin action. Details never hold secrets. */
export const adminAuditLogs = pgTable(
  'admin_audit_logs',
  {
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity().primaryKey(),
    actorUserId: uuid('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    /** The actor's email at the time (or "admin-cli"), kept when the user row goes. */
    actorLabel: text('actor_label').notNull(),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id'),
    subjectTenantId: uuid('subject_tenant_id').references(() => tenants.id, {
      onDelete: 'set null',
    }),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('admin_audit_logs_created_idx').on(t.createdAt.desc(), t.id.desc()),
    index('admin_audit_logs_action_idx').on(t.action, t.createdAt.desc()),
    index('admin_audit_logs_actor_idx').on(t.actorUserId, t.createdAt.desc()),
    index('admin_audit_logs_tenant_idx').on(t.subjectTenantId, t.createdAt.desc()),
  ],
);

/** An invitation to join a tenant with a role; only the SHA-256 of its token is kept. */
export const invites = pgTable(
  'invites',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull(),
    targetTenantId: uuid('target_tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: text('role', { enum: MEMBERSHIP_ROLES }).notNull(),
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: ts('created_at').notNull().defaultNow(),
    expiresAt: ts('expires_at').notNull(),
    usedAt: ts('used_at'),
    revokedAt: ts('revoked_at'),
  },
  (t) => [
    uniqueIndex('invites_token_hash_key').on(t.tokenHash),
    index('invites_tenant_idx').on(t.targetTenantId, t.createdAt.desc()),
    check('invites_role_check', sql`${t.role} in ('owner', 'admin', 'member')`),
    check('invites_email_lowercase', sql`${t.email} = lower(${t.email})`),
  ],
);

export const ACCOUNT_TOKEN_PURPOSES = ['password_reset', 'email_change'] as const;
export type AccountTokenPurpose = (typeof ACCOUNT_TOKEN_PURPOSES)[number];

/** Single-use links mailed to a user: password resets and email-change confirmations. */
export const accountTokens = pgTable(
  'account_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: ACCOUNT_TOKEN_PURPOSES }).notNull(),
    /** For email_change: the address to switch to once confirmed. */
    newEmail: text('new_email'),
    createdAt: ts('created_at').notNull().defaultNow(),
    expiresAt: ts('expires_at').notNull(),
    usedAt: ts('used_at'),
  },
  (t) => [
    index('account_tokens_user_idx').on(t.userId, t.purpose),
    index('account_tokens_expires_idx').on(t.expiresAt),
    check('account_tokens_purpose_check', sql`${t.purpose} in ('password_reset', 'email_change')`),
  ],
);

/** Mail kept instead of sent when no SMTP server is configured (demo, development). */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity().primaryKey(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    /** The message's one call to action, shown copyable on /admin/outbox. */
    link: text('link'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('mail_outbox_created_idx').on(t.createdAt.desc(), t.id.desc())],
);
