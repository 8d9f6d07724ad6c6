import { sql } from 'drizzle-orm';
import {
  check,
  date,
  foreignKey,
  index,
  integer,
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
 * What the dashboards read: recomputed from the normalised tables by each
 * successful sync, replaced atomically in the same transaction.
 */
const money = (name: string) => numeric(name, { precision: 16, scale: 2, mode: 'number' });
const computed = {
  tenantId: uuid('tenant_id').notNull(),
  runId: uuid('run_id').notNull(),
  computedAt: timestamp('computed_at', { withTimezone: true }).notNull().defaultNow(),
};

export const LEAD_METRIC_DIMENSIONS = ['source', 'stage', 'day'] as const;
export type LeadMetricDimension = (typeof LEAD_METRIC_DIMENSIONS)[number];

/** Lead counts by source, by stage and by creation day (in the tenant's time zone, key YYYY-MM-DD). */
export const leadMetrics = pgTable(
  'lead_metrics',
  {
    ...computed,
    dimension: text('dimension', { enum: LEAD_METRIC_DIMENSIONS }).notNull(),
    key: text('key').notNull(),
    leads: integer('leads').notNull(),
    prospects: integer('prospects').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.dimension, t.key] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    check('lead_metrics_dimension_check', sql`${t.dimension} in ('source', 'stage', 'day')`),
    tenantIsolationPolicy(t.tenantId),
  ],
);

/**
 * Lead counts per creation day (tenant time zone) × source × stage: the leads
 * page sums a range of days from here (at most days × sources × stages rows)
 * instead of counting ct_leads. Leads without a creation date appear only in
 * lead_metrics, which answers the "all time" view.
 */
export const leadDailyCounts = pgTable(
  'lead_daily_counts',
  {
    ...computed,
    day: date('day', { mode: 'string' }).notNull(),
    source: text('source').notNull(),
    stage: text('stage').notNull(),
    leads: integer('leads').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.day, t.source, t.stage] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    tenantIsolationPolicy(t.tenantId),
  ],
);

/** The pipeline by stage, in ClientTether's stage order. */
export const pipelineStageCounts = pgTable(
  'pipeline_stage_counts',
  {
    ...computed,
    stage: text('stage').notNull(),
    stageOrder: integer('stage_order').notNull(),
    likelihood: integer('likelihood').notNull(),
    opportunities: integer('opportunities').notNull(),
    totalValue: money('total_value').notNull(),
    weightedValue: money('weighted_value').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.stage] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    tenantIsolationPolicy(t.tenantId),
  ],
);

/** Prospects' opportunities in late-funnel stages, with their weighted initial franchise fee. */
export const hotListItems = pgTable(
  'hot_list_items',
  {
    ...computed,
    opportunityCtId: text('opportunity_ct_id').notNull(),
    candidate: text('candidate').notNull(),
    market: text('market'),
    units: integer('units').notNull(),
    iff: money('iff').notNull(),
    weightedIff: money('weighted_iff').notNull(),
    stage: text('stage').notNull(),
    likelihood: integer('likelihood').notNull(),
    salesLead: text('sales_lead'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.opportunityCtId] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    // One index per sort order of the hot list (getHotList): `key dir nulls last`,
    // then candidate, then id, so any page is an index range, never a sort of
    // the list. The default order is weighted IFF desc.
    index('hot_list_items_tenant_weighted_idx').on(
      t.tenantId,
      t.weightedIff.desc(),
      t.candidate,
      t.opportunityCtId,
    ),
    index('hot_list_items_tenant_weighted_asc_idx').on(
      t.tenantId,
      t.weightedIff.asc(),
      t.candidate,
      t.opportunityCtId,
    ),
    // Candidate desc reads this one backwards (getHotList flips the id tie-break).
    index('hot_list_items_tenant_candidate_idx').on(t.tenantId, t.candidate, t.opportunityCtId),
    index('hot_list_items_tenant_market_asc_idx').on(
      t.tenantId,
      t.market.asc().nullsLast(),
      t.candidate,
      t.opportunityCtId,
    ),
    index('hot_list_items_tenant_market_desc_idx').on(
      t.tenantId,
      t.market.desc().nullsLast(),
      t.candidate,
      t.opportunityCtId,
    ),
    index('hot_list_items_tenant_units_asc_idx').on(
      t.tenantId,
      t.units.asc(),
      t.candidate,
      t.opportunityCtId,
    ),
    index('hot_list_items_tenant_units_desc_idx').on(
      t.tenantId,
      t.units.desc().nullsLast(),
      t.candidate,
      t.opportunityCtId,
    ),
    index('hot_list_items_tenant_likelihood_asc_idx').on(
      t.tenantId,
      t.likelihood.asc(),
      t.candidate,
      t.opportunityCtId,
    ),
    index('hot_list_items_tenant_likelihood_desc_idx').on(
      t.tenantId,
      t.likelihood.desc().nullsLast(),
      t.candidate,
      t.opportunityCtId,
    ),
    // Pipeline order: each stage's rows by candidate, stages merged in pipeline order.
    index('hot_list_items_tenant_stage_idx').on(
      t.tenantId,
      t.stage,
      t.candidate,
      t.opportunityCtId,
    ),
    tenantIsolationPolicy(t.tenantId),
  ],
);
