import {
  bigint,
  boolean,
  date,
  foreignKey,
  integer,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { tenantIsolationPolicy } from '../rls';
import { callCampaigns } from './campaigns';
import { tenants } from './core';

const count = (name: string) => integer(name).notNull().default(0);

/**
 * One row per tenant per calendar day in the tenant's time zone, written only
 * by the roll-up (src/lib/analytics/rollup.ts), which replaces a day whole.
 * Dashboards read this table and never count raw rows.
 *
 * A call is one queue row, counted on the day it was last dialled (or, never
 * dialled, the day it failed) once it is in progress or has ended; retries of
 * a row count once, in `attempts` each. Cost is counted on the day the
 * provider reported it. `pipeline_value` is the pipeline as the last roll-up
 * of that day saw it (null for days first rolled after they ended).
 *
 * The roll-up finds a day's calls through call_queue_stats_dialled_idx and
 * call_queue_stats_undialled_idx (tenant, dialled_at | finished_at) include
 * (updated_at), and the overview its recent activity through
 * campaign_audit_logs_tenant_created_idx: raw SQL in migration 0011, because
 * those tables' schema belongs to the campaigns domain.
 */
export const statsDaily = pgTable(
  'stats_daily',
  {
    tenantId: uuid('tenant_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    callsPlaced: count('calls_placed'),
    attempts: count('attempts'),
    callsInProgress: count('calls_in_progress'),
    callsConnected: count('calls_connected'),
    callsCompleted: count('calls_completed'),
    callsVoicemail: count('calls_voicemail'),
    callsBusy: count('calls_busy'),
    callsNoAnswer: count('calls_no_answer'),
    callsFailed: count('calls_failed'),
    /** Of calls_failed: the provider's error, a rejected number, anything else (balance, window). */
    failedError: count('failed_error'),
    failedInvalidNumber: count('failed_invalid_number'),
    failedOther: count('failed_other'),
    callsCancelled: count('calls_cancelled'),
    talkSeconds: bigint('talk_seconds', { mode: 'number' }).notNull().default(0),
    cost: numeric('cost', { precision: 14, scale: 4, mode: 'number' }).notNull().default(0),
    contactsImported: count('contacts_imported'),
    leadsSynced: count('leads_synced'),
    newOpportunities: count('new_opportunities'),
    pipelineValue: numeric('pipeline_value', { precision: 16, scale: 2, mode: 'number' }),
    rolledAt: timestamp('rolled_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.day] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    tenantIsolationPolicy(t.tenantId),
  ],
);

/**
 * What the roll-up has done per tenant-day: `rolled_at` is the start of the
 * transaction that last rolled the day. A call row changed after it makes the
 * day dirty; a day rolled after it ended (plus a grace period) is closed.
 */
export const statsRollupState = pgTable(
  'stats_rollup_state',
  {
    tenantId: uuid('tenant_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    rolledAt: timestamp('rolled_at', { withTimezone: true }).notNull(),
    /** Whether the day had ended (plus grace) when it was last rolled. */
    closed: boolean('closed').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.day] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    tenantIsolationPolicy(t.tenantId),
  ],
);

/**
 * When each campaign was last rolled up: `rolled_at` is the start of that
 * roll-up's transaction, the "as of" the page shows. Kept off call_campaigns,
 * whose row every call updates; written once per campaign, then only updated
 * (an update that keeps the key checks no foreign key).
 */
export const campaignStatsState = pgTable(
  'campaign_stats_state',
  {
    tenantId: uuid('tenant_id').notNull(),
    campaignId: uuid('campaign_id').notNull(),
    rolledAt: timestamp('rolled_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.campaignId] }),
    foreignKey({
      columns: [t.tenantId, t.campaignId],
      foreignColumns: [callCampaigns.tenantId, callCampaigns.id],
    }).onDelete('cascade'),
    tenantIsolationPolicy(t.tenantId),
  ],
);

/**
 * One campaign's queue rows grouped as its detail page shows them, written
 * only by the campaign roll-up (src/lib/campaigns/campaign-stats-rollup.ts),
 * which replaces a campaign's rows whole: per local day of the row's last
 * dial in the campaign's zone (null: never dialled), status and outcome, the
 * rows and their talk time. The page reads these instead of the queue.
 */
export const campaignStats = pgTable(
  'campaign_stats',
  {
    tenantId: uuid('tenant_id').notNull(),
    campaignId: uuid('campaign_id').notNull(),
    day: date('day', { mode: 'string' }),
    status: text('status').notNull(),
    outcome: text('outcome'),
    calls: integer('calls').notNull(),
    /** Sum and number of the rows' duration_seconds, where the provider gave one. */
    durationSum: bigint('duration_sum', { mode: 'number' }).notNull().default(0),
    durationCount: integer('duration_count').notNull().default(0),
  },
  (t) => [
    unique('campaign_stats_key')
      .on(t.tenantId, t.campaignId, t.day, t.status, t.outcome)
      .nullsNotDistinct(),
    // To the state row, not the campaign: a foreign key check takes a key-share lock on
    // the row it references, and the campaign's row is updated by every call.
    foreignKey({
      columns: [t.tenantId, t.campaignId],
      foreignColumns: [campaignStatsState.tenantId, campaignStatsState.campaignId],
    }).onDelete('cascade'),
    tenantIsolationPolicy(t.tenantId),
  ],
);
