CREATE TABLE "stats_daily" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"calls_placed" integer DEFAULT 0 NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"calls_in_progress" integer DEFAULT 0 NOT NULL,
	"calls_connected" integer DEFAULT 0 NOT NULL,
	"calls_completed" integer DEFAULT 0 NOT NULL,
	"calls_voicemail" integer DEFAULT 0 NOT NULL,
	"calls_busy" integer DEFAULT 0 NOT NULL,
	"calls_no_answer" integer DEFAULT 0 NOT NULL,
	"calls_failed" integer DEFAULT 0 NOT NULL,
	"failed_error" integer DEFAULT 0 NOT NULL,
	"failed_invalid_number" integer DEFAULT 0 NOT NULL,
	"failed_other" integer DEFAULT 0 NOT NULL,
	"calls_cancelled" integer DEFAULT 0 NOT NULL,
	"talk_seconds" bigint DEFAULT 0 NOT NULL,
	"cost" numeric(14, 4) DEFAULT 0 NOT NULL,
	"contacts_imported" integer DEFAULT 0 NOT NULL,
	"leads_synced" integer DEFAULT 0 NOT NULL,
	"new_opportunities" integer DEFAULT 0 NOT NULL,
	"pipeline_value" numeric(16, 2),
	"rolled_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stats_daily_tenant_id_day_pk" PRIMARY KEY("tenant_id","day")
);
--> statement-breakpoint
ALTER TABLE "stats_daily" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "stats_rollup_state" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"rolled_at" timestamp with time zone NOT NULL,
	"closed" boolean DEFAULT false NOT NULL,
	CONSTRAINT "stats_rollup_state_tenant_id_day_pk" PRIMARY KEY("tenant_id","day")
);
--> statement-breakpoint
ALTER TABLE "stats_rollup_state" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "stats_daily" ADD CONSTRAINT "stats_daily_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stats_rollup_state" ADD CONSTRAINT "stats_rollup_state_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "stats_daily" AS PERMISSIVE FOR ALL TO public USING ("stats_daily"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("stats_daily"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "stats_rollup_state" AS PERMISSIVE FOR ALL TO public USING ("stats_rollup_state"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("stats_rollup_state"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint

-- The analytics roll-up (src/lib/analytics) reads a tenant's calls by the day
-- they count on (the last dial, else the end of a call never dialled), and
-- finds days changed since their last roll-up from updated_at. Two plain
-- columns, not coalesce(): under row-level security only leakproof
-- expressions may drive an index, and COALESCE is not one.
CREATE INDEX call_queue_stats_dialled_idx ON call_queue (tenant_id, dialled_at)
  INCLUDE (updated_at) WHERE dialled_at IS NOT NULL;
--> statement-breakpoint
CREATE INDEX call_queue_stats_undialled_idx ON call_queue (tenant_id, finished_at)
  INCLUDE (updated_at) WHERE dialled_at IS NULL AND finished_at IS NOT NULL;
--> statement-breakpoint

-- The overview's recent activity: a workspace's newest audit entries, whatever the campaign.
CREATE INDEX campaign_audit_logs_tenant_created_idx ON campaign_audit_logs (tenant_id, created_at DESC, id DESC);
