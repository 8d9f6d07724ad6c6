import { asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { pipelineStageCounts as p } from '../db/schema';
import { withTenant } from '../db/tenant';

export interface PipelineStage {
  stage: string;
  stageOrder: number;
  likelihood: number;
  opportunities: number;
  totalValue: number;
  weightedValue: number;
}

export interface PipelineOverview {
  totalValue: number;
  weightedValue: number;
  /** Stages holding at least one opportunity. */
  stageCount: number;
  /** Total value per opportunity, to the cent; 0 when there are none. */
  averageDealSize: number;
  opportunities: number;
  /** Every stage of the pipeline, empty ones included, in pipeline order. */
  stages: PipelineStage[];
}

/** The pipeline page, from pipeline_stage_counts (one row per stage, written by the sync). */
export async function getPipelineOverview(db: DbOrTx, tenantId: string): Promise<PipelineOverview> {
  return withTenant(db, tenantId, async (tx) => {
    const stages = await tx
      .select({
        stage: p.stage,
        stageOrder: p.stageOrder,
        likelihood: p.likelihood,
        opportunities: p.opportunities,
        totalValue: p.totalValue,
        weightedValue: p.weightedValue,
      })
      .from(p)
      .where(eq(p.tenantId, tenantId))
      .orderBy(asc(p.stageOrder), asc(p.stage));
    // Sums in numeric, so cents add up exactly; converted to numbers once.
    const [totals] = await tx
      .select({
        opportunities: sql<number>`coalesce(sum(${p.opportunities}), 0)::int`,
        totalValue: sql<number>`coalesce(sum(${p.totalValue}), 0)`.mapWith(Number),
        weightedValue: sql<number>`coalesce(sum(${p.weightedValue}), 0)`.mapWith(Number),
        stageCount: sql<number>`(count(*) filter (where ${p.opportunities} > 0))::int`,
        averageDealSize:
          sql<number>`coalesce(round(sum(${p.totalValue}) / nullif(sum(${p.opportunities}), 0), 2), 0)`.mapWith(
            Number,
          ),
      })
      .from(p)
      .where(eq(p.tenantId, tenantId));
    if (!totals) throw new Error('getPipelineOverview: an aggregate query returned no row');
    return { ...totals, stages };
  });
}
