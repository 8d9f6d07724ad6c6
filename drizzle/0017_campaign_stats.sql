CREATE TABLE "campaign_stats" (
	"tenant_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"day" date,
	"status" text NOT NULL,
	"outcome" text,
	"calls" integer NOT NULL,
	"duration_sum" bigint DEFAULT 0 NOT NULL,
	"duration_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "campaign_stats_key" UNIQUE NULLS NOT DISTINCT("tenant_id","campaign_id","day","status","outcome")
);
--> statement-breakpoint
ALTER TABLE "campaign_stats" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "campaign_stats_state" (
	"tenant_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"rolled_at" timestamp with time zone NOT NULL,
	CONSTRAINT "campaign_stats_state_tenant_id_campaign_id_pk" PRIMARY KEY("tenant_id","campaign_id")
);
--> statement-breakpoint
ALTER TABLE "campaign_stats_state" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "campaign_stats" ADD CONSTRAINT "campaign_stats_tenant_id_campaign_id_campaign_stats_state_tenant_id_campaign_id_fk" FOREIGN KEY ("tenant_id","campaign_id") REFERENCES "public"."campaign_stats_state"("tenant_id","campaign_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_stats_state" ADD CONSTRAINT "campaign_stats_state_tenant_id_campaign_id_call_campaigns_tenant_id_id_fk" FOREIGN KEY ("tenant_id","campaign_id") REFERENCES "public"."call_campaigns"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "campaign_stats" AS PERMISSIVE FOR ALL TO public USING ("campaign_stats"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("campaign_stats"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "campaign_stats_state" AS PERMISSIVE FOR ALL TO public USING ("campaign_stats_state"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("campaign_stats_state"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint

-- The campaigns the campaign roll-up (src/lib/campaigns/campaign-stats-rollup.ts)
-- should roll now, across tenants like the dispatcher's sweeps (the worker may
-- log in as the app role): never rolled; changed since their last roll-up
-- (counters move call_campaigns.updated_at in the transaction that moves a
-- row; p_slack covers a transaction that began before the roll-up and
-- committed after it, and a dial recorded after its claim); or running and
-- not rolled for p_refresh (a queued row moved to its next window changes its
-- outcome without touching the campaign). Stalest first. call_campaigns is
-- read whole: an index on its updated_at would make every counter update
-- non-HOT, and the table has a row per campaign, not per call.
CREATE OR REPLACE FUNCTION campaign_stats_due(
  p_now timestamptz, p_slack interval, p_refresh interval, p_limit integer
)
RETURNS TABLE (tenant_id uuid, campaign_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
  SELECT k.tenant_id, k.id
  FROM call_campaigns k
  JOIN tenants t ON t.id = k.tenant_id AND t.deactivated_at IS NULL
  LEFT JOIN campaign_stats_state s ON s.tenant_id = k.tenant_id AND s.campaign_id = k.id
  WHERE k.deleted_at IS NULL
    AND (s.rolled_at IS NULL
         OR k.updated_at > s.rolled_at - p_slack
         OR (k.status IN ('running', 'scheduled') AND s.rolled_at < p_now - p_refresh))
  ORDER BY s.rolled_at NULLS FIRST, k.tenant_id, k.id
  LIMIT p_limit;
$$;
