import { sql } from 'drizzle-orm';
import {
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { tenantIsolationPolicy } from '../rls';
import { tenants } from './core';

/**
 * ClientTether records, normalised. Keyed by (tenant, ClientTether id) so a
 * re-sync updates in place and never duplicates; a record missing from a
 * complete sync is marked deleted (kept, for history), not removed.
 * `updated_at` moves only when the sync actually changed the row.
 */
const ctColumns = {
  tenantId: uuid('tenant_id').notNull(),
  ctId: text('ct_id').notNull(),
  raw: jsonb('raw').notNull(),
  deletedAt: timestamp('deleted_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
};
const money = (name: string) => numeric(name, { precision: 14, scale: 2, mode: 'number' });
const ts = (name: string) => timestamp(name, { withTimezone: true });

export const ctSalesCycles = pgTable(
  'ct_sales_cycles',
  {
    ...ctColumns,
    name: text('name').notNull(),
    stageOrder: integer('stage_order').notNull(),
    likelihood: integer('likelihood').notNull(),
    active: text('active').notNull(),
    contactType: text('contact_type'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.ctId] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    tenantIsolationPolicy(t.tenantId),
  ],
);

export const ctUsers = pgTable(
  'ct_users',
  {
    ...ctColumns,
    name: text('name').notNull(),
    email: text('email'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.ctId] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    tenantIsolationPolicy(t.tenantId),
  ],
);

/** ClientTether "clients": the tenant's leads and prospects. */
export const ctLeads = pgTable(
  'ct_leads',
  {
    ...ctColumns,
    firstName: text('first_name'),
    lastName: text('last_name'),
    company: text('company'),
    email: text('email'),
    phone: text('phone'),
    city: text('city'),
    state: text('state'),
    stage: text('stage').notNull(),
    leadSource: text('lead_source'),
    actionPlan: text('action_plan'),
    contactType: text('contact_type'),
    assignedUser: text('assigned_user'),
    dealSize: money('deal_size'),
    ctCreatedAt: ts('ct_created_at'),
    ctModifiedAt: ts('ct_modified_at'),
    // The last_modified_date for which history notes were fetched: notes are
    // re-read only for leads that changed since (a bounded number per run).
    notesFetchedFor: text('notes_fetched_for'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.ctId] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    index('ct_leads_tenant_created_idx').on(t.tenantId, t.ctCreatedAt),
    tenantIsolationPolicy(t.tenantId),
  ],
);

export const ctOpportunities = pgTable(
  'ct_opportunities',
  {
    ...ctColumns,
    clientCtId: text('client_ct_id'),
    name: text('name'),
    candidate: text('candidate'),
    company: text('company'),
    stage: text('stage').notNull(),
    dealSize: money('deal_size'),
    units: integer('units'),
    leadSource: text('lead_source'),
    contactType: text('contact_type'),
    assignedUser: text('assigned_user'),
    ctCreatedAt: ts('ct_created_at'),
    ctModifiedAt: ts('ct_modified_at'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.ctId] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    index('ct_opportunities_tenant_stage_idx').on(t.tenantId, t.stage),
    tenantIsolationPolicy(t.tenantId),
  ],
);

/** Notes: each lead's whiteboard (ct_id `wb:<client>`) and its history notes (ct_id = history id). */
export const ctNotes = pgTable(
  'ct_notes',
  {
    ...ctColumns,
    clientCtId: text('client_ct_id'),
    kind: text('kind').notNull(),
    author: text('author'),
    contentHtml: text('content_html').notNull(),
    contentText: text('content_text').notNull(),
    notedAt: ts('noted_at'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.ctId] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    // Newest first, exactly the notes list's order and filter: a deep page skips
    // rows in the index alone (index-only scan) before reading 50 notes.
    index('ct_notes_tenant_recent_idx')
      .on(t.tenantId, t.notedAt.desc(), t.ctId)
      .where(sql`${t.deletedAt} is null`),
    // Full-text search over author + text. Queried only through search_ct_notes()
    // (migrations 0003-0004): under row-level security `@@` is not leakproof, so
    // the planner would refuse this index to the app role.
    index('ct_notes_search_idx').using(
      'gin',
      sql`to_tsvector('simple', coalesce(${t.author}, '') || ' ' || ${t.contentText})`,
    ),
    tenantIsolationPolicy(t.tenantId),
  ],
);

/** Calendar events (appointments, calls) from read_all_events. */
export const ctScheduledActivities = pgTable(
  'ct_scheduled_activities',
  {
    ...ctColumns,
    clientCtId: text('client_ct_id'),
    contactName: text('contact_name'),
    activityType: text('activity_type'),
    title: text('title'),
    description: text('description'),
    status: text('status'),
    ownerName: text('owner_name'),
    startsAt: ts('starts_at'),
    endsAt: ts('ends_at'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.ctId] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    index('ct_activities_tenant_starts_idx').on(t.tenantId, t.startsAt),
    tenantIsolationPolicy(t.tenantId),
  ],
);
