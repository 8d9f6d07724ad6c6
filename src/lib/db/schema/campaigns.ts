import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { tenantIsolationPolicy } from '../rls';
import { contacts } from './contacts';
import { tenants, users } from './core';

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const CAMPAIGN_STATUSES = [
  'draft',
  'scheduled',
  'running',
  'paused',
  'completed',
  'cancelled',
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export const CALL_PROVIDERS = ['simulated', 'bolna'] as const;
export type CallProviderName = (typeof CALL_PROVIDERS)[number];

/**
 * An outbound call campaign. The calling window is local time in `timezone`
 * (or each contact's own zone when `use_contact_timezone`); a window whose end
 * is not after its start crosses midnight. Counters move in the same
 * transaction as the queue rows they count.
 */
export const callCampaigns = pgTable(
  'call_campaigns',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    name: text('name').notNull(),
    status: text('status', { enum: CAMPAIGN_STATUSES }).notNull().default('draft'),
    provider: text('provider', { enum: CALL_PROVIDERS }).notNull().default('simulated'),
    agentId: text('agent_id').notNull(),
    fromNumber: text('from_number'),
    windowDays: smallint('window_days').array().notNull(),
    windowStartMinute: smallint('window_start_minute').notNull(),
    windowEndMinute: smallint('window_end_minute').notNull(),
    timezone: text('timezone').notNull(),
    useContactTimezone: boolean('use_contact_timezone').notNull().default(true),
    startAt: ts('start_at').notNull().defaultNow(),
    endAt: ts('end_at'),
    maxAttempts: smallint('max_attempts').notNull().default(3),
    retryDelayMinutes: integer('retry_delay_minutes').notNull().default(60),
    /** The slot owner: calls count against this user's concurrency limit. */
    createdBy: uuid('created_by').notNull(),
    totalCalls: integer('total_calls').notNull().default(0),
    queuedCalls: integer('queued_calls').notNull().default(0),
    activeCalls: integer('active_calls').notNull().default(0),
    completedCalls: integer('completed_calls').notNull().default(0),
    failedCalls: integer('failed_calls').notNull().default(0),
    cancelledCalls: integer('cancelled_calls').notNull().default(0),
    skippedCalls: integer('skipped_calls').notNull().default(0),
    pausedReason: text('paused_reason'),
    /** Which process is reconciling the campaign, and since when (restart safety). */
    processingLock: text('processing_lock'),
    lockAcquiredAt: ts('lock_acquired_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    startedAt: ts('started_at'),
    finishedAt: ts('finished_at'),
    deletedAt: ts('deleted_at'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.createdBy], foreignColumns: [users.id] }),
    index('call_campaigns_tenant_created_idx').on(t.tenantId, t.createdAt.desc()),
    index('call_campaigns_running_idx')
      .on(t.status)
      .where(sql`${t.status} in ('running', 'scheduled')`),
    check(
      'call_campaigns_status_check',
      sql`${t.status} in ('draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled')`,
    ),
    check('call_campaigns_provider_check', sql`${t.provider} in ('simulated', 'bolna')`),
    check(
      'call_campaigns_window_check',
      sql`${t.windowStartMinute} between 0 and 1439 and ${t.windowEndMinute} between 0 and 1440
          and ${t.windowStartMinute} <> ${t.windowEndMinute} and cardinality(${t.windowDays}) > 0`,
    ),
    check('call_campaigns_attempts_check', sql`${t.maxAttempts} between 1 and 10`),
    tenantIsolationPolicy(t.tenantId),
  ],
);

export const CALL_STATUSES = [
  'queued',
  'dispatching',
  'in_progress',
  'completed',
  'failed',
  'cancelled',
  'skipped',
] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

/**
 * One call to place: a contact of a campaign. `scheduled_at` is the first
 * instant it may be dialled (inside the window), `not_after` when that window
 * occurrence closes; a paused campaign's rows wait with `scheduled_at` =
 * infinity. The dispatcher claims due rows (`call_queue_due_idx`, in claim
 * order) and holds them under a lease while it talks to the provider.
 */
export const callQueue = pgTable(
  'call_queue',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    campaignId: uuid('campaign_id').notNull(),
    contactId: bigint('contact_id', { mode: 'number' }),
    userId: uuid('user_id').notNull(),
    phoneE164: text('phone_e164').notNull(),
    contactName: text('contact_name').notNull().default(''),
    /** The zone the window is evaluated in for this row (contact's, else the campaign's). */
    timezone: text('timezone').notNull(),
    priority: integer('priority').notNull().default(0),
    scheduledAt: ts('scheduled_at').notNull(),
    notAfter: ts('not_after'),
    attempt: smallint('attempt').notNull().default(0),
    status: text('status', { enum: CALL_STATUSES }).notNull().default('queued'),
    leaseExpiresAt: ts('lease_expires_at'),
    providerCallId: text('provider_call_id'),
    providerStatus: text('provider_status'),
    /** Rank of the furthest provider status seen: a late, older delivery never moves a call back. */
    providerStatusRank: smallint('provider_status_rank').notNull().default(0),
    outcome: text('outcome'),
    lastError: text('last_error'),
    durationSeconds: integer('duration_seconds'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    dialledAt: ts('dialled_at'),
    finishedAt: ts('finished_at'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      columns: [t.tenantId, t.campaignId],
      foreignColumns: [callCampaigns.tenantId, callCampaigns.id],
    }).onDelete('cascade'),
    // A deleted contact keeps its history in the queue (the row is skipped if still queued).
    foreignKey({
      columns: [t.tenantId, t.contactId],
      foreignColumns: [contacts.tenantId, contacts.id],
    }).onDelete('set null'),
    foreignKey({ columns: [t.userId], foreignColumns: [users.id] }),
    // One call per contact per campaign: duplicates are skipped at creation.
    uniqueIndex('call_queue_campaign_contact_key').on(t.tenantId, t.campaignId, t.contactId),
    uniqueIndex('call_queue_provider_call_key').on(t.tenantId, t.providerCallId),
    // The claim walks each user's due rows in this order (claim_due_calls), then
    // ranks that bounded slice by priority; rows are inserted in priority order.
    index('call_queue_due_idx')
      .on(t.userId, t.scheduledAt, t.id)
      .where(sql`${t.status} = 'queued'`),
    index('call_queue_window_close_idx').on(t.notAfter).where(sql`${t.status} = 'queued'`),
    index('call_queue_leases_idx').on(t.leaseExpiresAt).where(sql`${t.status} = 'dispatching'`),
    index('call_queue_active_idx').on(t.dialledAt).where(sql`${t.status} = 'in_progress'`),
    index('call_queue_campaign_status_idx').on(t.tenantId, t.campaignId, t.status),
    // Also call_queue_finished_idx (tenant_id, campaign_id, finished_at) where finished, in raw SQL (migration 0009).
    check(
      'call_queue_status_check',
      sql`${t.status} in ('queued', 'dispatching', 'in_progress', 'completed', 'failed', 'cancelled', 'skipped')`,
    ),
    tenantIsolationPolicy(t.tenantId),
  ],
);

/** Every provider webhook as received, once per (execution, status): replays change nothing. */
export const callEvents = pgTable(
  'call_events',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    provider: text('provider').notNull(),
    executionId: text('execution_id').notNull(),
    status: text('status').notNull(),
    raw: jsonb('raw').notNull(),
    receivedAt: ts('received_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    uniqueIndex('call_events_dedupe_key').on(t.tenantId, t.provider, t.executionId, t.status),
    // Also call_events_execution_idx (tenant_id, execution_id), in raw SQL (migration 0009).
    index('call_events_received_idx').on(t.receivedAt),
    tenantIsolationPolicy(t.tenantId),
  ],
);

/**
 * Calls in flight per user (holder: the user id; the system's are their sum):
 * the claim reads and moves these in its own transaction instead of counting
 * in-progress rows, which is what keeps the capped claim fast on a
 * million-row queue.
 */
export const callSlots = pgTable('call_slots', {
  holder: text('holder').primaryKey(),
  inFlight: integer('in_flight').notNull().default(0),
  /** Calls ever claimed: the least served user with due rows goes first. */
  served: bigint('served', { mode: 'number' }).notNull().default(0),
  lastClaimAt: ts('last_claim_at'),
});

/**
 * Final statuses received by webhook and waiting for the provider to confirm
 * them (checklist 18: Bolna signs nothing, so a webhook with a leaked path
 * token could otherwise end calls and free slots). Until the worker's
 * `GET /executions/{id}` agrees, the call keeps its state and its slot.
 */
export const callConfirmations = pgTable(
  'call_confirmations',
  {
    tenantId: uuid('tenant_id').notNull(),
    executionId: text('execution_id').notNull(),
    /** The status the webhook claimed (kept for the error log if the provider disagrees). */
    status: text('status').notNull(),
    receivedAt: ts('received_at').notNull().defaultNow(),
    attempts: smallint('attempts').notNull().default(0),
    /** When a worker may look it up next: now, or after a failed lookup's backoff. */
    nextAt: ts('next_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.executionId] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    index('call_confirmations_next_idx').on(t.nextAt),
    tenantIsolationPolicy(t.tenantId),
  ],
);

export const AUDIT_ACTORS = ['user', 'system'] as const;

export const campaignAuditLogs = pgTable(
  'campaign_audit_logs',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    campaignId: uuid('campaign_id'),
    actorType: text('actor_type', { enum: AUDIT_ACTORS }).notNull(),
    actorId: text('actor_id').notNull(),
    action: text('action').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    index('campaign_audit_logs_campaign_idx').on(t.tenantId, t.campaignId, t.createdAt),
    index('campaign_audit_logs_created_idx').on(t.createdAt),
    tenantIsolationPolicy(t.tenantId),
  ],
);

export const campaignErrorLogs = pgTable(
  'campaign_error_logs',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    campaignId: uuid('campaign_id').notNull(),
    queueId: bigint('queue_id', { mode: 'number' }),
    attempt: smallint('attempt').notNull(),
    category: text('category').notNull(),
    message: text('message').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    index('campaign_error_logs_campaign_idx').on(t.tenantId, t.campaignId, t.createdAt),
    index('campaign_error_logs_created_idx').on(t.createdAt),
    tenantIsolationPolicy(t.tenantId),
  ],
);

/**
 * How a tenant's calls reach a provider: its Bolna key (sealed, never read for
 * display) and the hash of the secret path token its webhooks arrive on.
 */
export const tenantCallSettings = pgTable(
  'tenant_call_settings',
  {
    tenantId: uuid('tenant_id').notNull().primaryKey(),
    bolnaApiKeySealed: text('bolna_api_key_sealed'),
    webhookTokenHash: text('webhook_token_hash').notNull(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    uniqueIndex('tenant_call_settings_webhook_key').on(t.webhookTokenHash),
    tenantIsolationPolicy(t.tenantId),
  ],
);
