import { sql } from 'drizzle-orm';
import {
  bigserial,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { tenantIsolationPolicy } from '../rls';
import { tenants } from './core';

export const SYNC_STATUSES = ['running', 'success', 'failed', 'skipped'] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];
export const SYNC_TRIGGERS = ['scheduled', 'manual'] as const;
export type SyncTrigger = (typeof SYNC_TRIGGERS)[number];

/** One ClientTether sync of one tenant: what ran, when, how it ended. */
export const syncRuns = pgTable(
  'sync_runs',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    trigger: text('trigger', { enum: SYNC_TRIGGERS }).notNull(),
    status: text('status', { enum: SYNC_STATUSES }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    recordsFetched: integer('records_fetched').notNull().default(0),
    recordsUpdated: integer('records_updated').notNull().default(0),
    // Readable and secret-free by construction (see lib/sync/errors.ts).
    errorMessage: text('error_message'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    // One running sync per tenant, whatever process started it (checklist 27).
    uniqueIndex('sync_runs_one_running_per_tenant')
      .on(t.tenantId)
      .where(sql`${t.status} = 'running'`),
    index('sync_runs_tenant_started_idx').on(t.tenantId, t.startedAt.desc()),
    check(
      'sync_runs_status_check',
      sql`${t.status} in ('running', 'success', 'failed', 'skipped')`,
    ),
    check('sync_runs_trigger_check', sql`${t.trigger} in ('scheduled', 'manual')`),
    tenantIsolationPolicy(t.tenantId),
  ],
);

/** Every page exactly as ClientTether sent it, stored before anything is normalised. */
export const ctRawSnapshots = pgTable(
  'ct_raw_snapshots',
  {
    id: bigserial('id', { mode: 'number' }).notNull(),
    tenantId: uuid('tenant_id').notNull(),
    runId: uuid('run_id').notNull(),
    resource: text('resource').notNull(),
    page: integer('page').notNull(),
    fetchedAt: timestamp('fetched_at', { withTimezone: true }).notNull().defaultNow(),
    raw: jsonb('raw').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      columns: [t.tenantId, t.runId],
      foreignColumns: [syncRuns.tenantId, syncRuns.id],
    }).onDelete('cascade'),
    uniqueIndex('ct_raw_snapshots_run_page_key').on(t.tenantId, t.runId, t.resource, t.page),
    index('ct_raw_snapshots_fetched_at_idx').on(t.fetchedAt),
    tenantIsolationPolicy(t.tenantId),
  ],
);
