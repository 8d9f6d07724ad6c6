import {
  bigint,
  boolean,
  date,
  foreignKey,
  integer,
  numeric,
  pgTable,
  primaryKey,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { tenantIsolationPolicy } from '../rls';
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
