CREATE TABLE "hot_list_items" (
	"tenant_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"opportunity_ct_id" text NOT NULL,
	"candidate" text NOT NULL,
	"market" text,
	"units" integer NOT NULL,
	"iff" numeric(16, 2) NOT NULL,
	"weighted_iff" numeric(16, 2) NOT NULL,
	"stage" text NOT NULL,
	"likelihood" integer NOT NULL,
	"sales_lead" text,
	CONSTRAINT "hot_list_items_tenant_id_opportunity_ct_id_pk" PRIMARY KEY("tenant_id","opportunity_ct_id")
);
--> statement-breakpoint
ALTER TABLE "hot_list_items" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "lead_metrics" (
	"tenant_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"dimension" text NOT NULL,
	"key" text NOT NULL,
	"leads" integer NOT NULL,
	"prospects" integer NOT NULL,
	CONSTRAINT "lead_metrics_tenant_id_dimension_key_pk" PRIMARY KEY("tenant_id","dimension","key"),
	CONSTRAINT "lead_metrics_dimension_check" CHECK ("lead_metrics"."dimension" in ('source', 'stage', 'day'))
);
--> statement-breakpoint
ALTER TABLE "lead_metrics" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "pipeline_stage_counts" (
	"tenant_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"stage" text NOT NULL,
	"stage_order" integer NOT NULL,
	"likelihood" integer NOT NULL,
	"opportunities" integer NOT NULL,
	"total_value" numeric(16, 2) NOT NULL,
	"weighted_value" numeric(16, 2) NOT NULL,
	CONSTRAINT "pipeline_stage_counts_tenant_id_stage_pk" PRIMARY KEY("tenant_id","stage")
);
--> statement-breakpoint
ALTER TABLE "pipeline_stage_counts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "ct_leads" (
	"tenant_id" uuid NOT NULL,
	"ct_id" text NOT NULL,
	"raw" jsonb NOT NULL,
	"deleted_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"first_name" text,
	"last_name" text,
	"company" text,
	"email" text,
	"phone" text,
	"city" text,
	"state" text,
	"stage" text NOT NULL,
	"lead_source" text,
	"action_plan" text,
	"contact_type" text,
	"assigned_user" text,
	"deal_size" numeric(14, 2),
	"ct_created_at" timestamp with time zone,
	"ct_modified_at" timestamp with time zone,
	"notes_fetched_for" text,
	CONSTRAINT "ct_leads_tenant_id_ct_id_pk" PRIMARY KEY("tenant_id","ct_id")
);
--> statement-breakpoint
ALTER TABLE "ct_leads" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "ct_notes" (
	"tenant_id" uuid NOT NULL,
	"ct_id" text NOT NULL,
	"raw" jsonb NOT NULL,
	"deleted_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"client_ct_id" text,
	"kind" text NOT NULL,
	"author" text,
	"content_html" text NOT NULL,
	"content_text" text NOT NULL,
	"noted_at" timestamp with time zone,
	CONSTRAINT "ct_notes_tenant_id_ct_id_pk" PRIMARY KEY("tenant_id","ct_id")
);
--> statement-breakpoint
ALTER TABLE "ct_notes" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "ct_opportunities" (
	"tenant_id" uuid NOT NULL,
	"ct_id" text NOT NULL,
	"raw" jsonb NOT NULL,
	"deleted_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"client_ct_id" text,
	"name" text,
	"candidate" text,
	"company" text,
	"stage" text NOT NULL,
	"deal_size" numeric(14, 2),
	"units" integer,
	"lead_source" text,
	"contact_type" text,
	"assigned_user" text,
	"ct_created_at" timestamp with time zone,
	"ct_modified_at" timestamp with time zone,
	CONSTRAINT "ct_opportunities_tenant_id_ct_id_pk" PRIMARY KEY("tenant_id","ct_id")
);
--> statement-breakpoint
ALTER TABLE "ct_opportunities" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "ct_sales_cycles" (
	"tenant_id" uuid NOT NULL,
	"ct_id" text NOT NULL,
	"raw" jsonb NOT NULL,
	"deleted_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"name" text NOT NULL,
	"stage_order" integer NOT NULL,
	"likelihood" integer NOT NULL,
	"active" text NOT NULL,
	"contact_type" text,
	CONSTRAINT "ct_sales_cycles_tenant_id_ct_id_pk" PRIMARY KEY("tenant_id","ct_id")
);
--> statement-breakpoint
ALTER TABLE "ct_sales_cycles" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "ct_scheduled_activities" (
	"tenant_id" uuid NOT NULL,
	"ct_id" text NOT NULL,
	"raw" jsonb NOT NULL,
	"deleted_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"client_ct_id" text,
	"contact_name" text,
	"activity_type" text,
	"title" text,
	"description" text,
	"status" text,
	"owner_name" text,
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	CONSTRAINT "ct_scheduled_activities_tenant_id_ct_id_pk" PRIMARY KEY("tenant_id","ct_id")
);
--> statement-breakpoint
ALTER TABLE "ct_scheduled_activities" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "ct_users" (
	"tenant_id" uuid NOT NULL,
	"ct_id" text NOT NULL,
	"raw" jsonb NOT NULL,
	"deleted_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"name" text NOT NULL,
	"email" text,
	CONSTRAINT "ct_users_tenant_id_ct_id_pk" PRIMARY KEY("tenant_id","ct_id")
);
--> statement-breakpoint
ALTER TABLE "ct_users" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "ct_raw_snapshots" (
	"id" bigserial NOT NULL,
	"tenant_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"resource" text NOT NULL,
	"page" integer NOT NULL,
	"fetched_at" timestamp with time zone DEFAULT now() NOT NULL,
	"raw" jsonb NOT NULL,
	CONSTRAINT "ct_raw_snapshots_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "ct_raw_snapshots" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "sync_runs" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"trigger" text NOT NULL,
	"status" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"records_fetched" integer DEFAULT 0 NOT NULL,
	"records_updated" integer DEFAULT 0 NOT NULL,
	"error_message" text,
	CONSTRAINT "sync_runs_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "sync_runs_status_check" CHECK ("sync_runs"."status" in ('running', 'success', 'failed', 'skipped')),
	CONSTRAINT "sync_runs_trigger_check" CHECK ("sync_runs"."trigger" in ('scheduled', 'manual'))
);
--> statement-breakpoint
ALTER TABLE "sync_runs" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "hot_list_items" ADD CONSTRAINT "hot_list_items_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_metrics" ADD CONSTRAINT "lead_metrics_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pipeline_stage_counts" ADD CONSTRAINT "pipeline_stage_counts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ct_leads" ADD CONSTRAINT "ct_leads_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ct_notes" ADD CONSTRAINT "ct_notes_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ct_opportunities" ADD CONSTRAINT "ct_opportunities_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ct_sales_cycles" ADD CONSTRAINT "ct_sales_cycles_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ct_scheduled_activities" ADD CONSTRAINT "ct_scheduled_activities_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ct_users" ADD CONSTRAINT "ct_users_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ct_raw_snapshots" ADD CONSTRAINT "ct_raw_snapshots_tenant_id_run_id_sync_runs_tenant_id_id_fk" FOREIGN KEY ("tenant_id","run_id") REFERENCES "public"."sync_runs"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD CONSTRAINT "sync_runs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ct_leads_tenant_created_idx" ON "ct_leads" USING btree ("tenant_id","ct_created_at");--> statement-breakpoint
CREATE INDEX "ct_notes_tenant_noted_idx" ON "ct_notes" USING btree ("tenant_id","noted_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "ct_opportunities_tenant_stage_idx" ON "ct_opportunities" USING btree ("tenant_id","stage");--> statement-breakpoint
CREATE INDEX "ct_activities_tenant_starts_idx" ON "ct_scheduled_activities" USING btree ("tenant_id","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "ct_raw_snapshots_run_page_key" ON "ct_raw_snapshots" USING btree ("tenant_id","run_id","resource","page");--> statement-breakpoint
CREATE INDEX "ct_raw_snapshots_fetched_at_idx" ON "ct_raw_snapshots" USING btree ("fetched_at");--> statement-breakpoint
CREATE UNIQUE INDEX "sync_runs_one_running_per_tenant" ON "sync_runs" USING btree ("tenant_id") WHERE "sync_runs"."status" = 'running';--> statement-breakpoint
CREATE INDEX "sync_runs_tenant_started_idx" ON "sync_runs" USING btree ("tenant_id","started_at" DESC NULLS LAST);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "hot_list_items" AS PERMISSIVE FOR ALL TO public USING ("hot_list_items"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("hot_list_items"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "lead_metrics" AS PERMISSIVE FOR ALL TO public USING ("lead_metrics"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("lead_metrics"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "pipeline_stage_counts" AS PERMISSIVE FOR ALL TO public USING ("pipeline_stage_counts"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("pipeline_stage_counts"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "ct_leads" AS PERMISSIVE FOR ALL TO public USING ("ct_leads"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("ct_leads"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "ct_notes" AS PERMISSIVE FOR ALL TO public USING ("ct_notes"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("ct_notes"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "ct_opportunities" AS PERMISSIVE FOR ALL TO public USING ("ct_opportunities"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("ct_opportunities"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "ct_sales_cycles" AS PERMISSIVE FOR ALL TO public USING ("ct_sales_cycles"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("ct_sales_cycles"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "ct_scheduled_activities" AS PERMISSIVE FOR ALL TO public USING ("ct_scheduled_activities"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("ct_scheduled_activities"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "ct_users" AS PERMISSIVE FOR ALL TO public USING ("ct_users"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("ct_users"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "ct_raw_snapshots" AS PERMISSIVE FOR ALL TO public USING ("ct_raw_snapshots"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("ct_raw_snapshots"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "sync_runs" AS PERMISSIVE FOR ALL TO public USING ("sync_runs"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("sync_runs"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);