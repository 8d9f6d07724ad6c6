CREATE TABLE "call_campaigns" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"provider" text DEFAULT 'simulated' NOT NULL,
	"agent_id" text NOT NULL,
	"from_number" text,
	"window_days" smallint[] NOT NULL,
	"window_start_minute" smallint NOT NULL,
	"window_end_minute" smallint NOT NULL,
	"timezone" text NOT NULL,
	"use_contact_timezone" boolean DEFAULT true NOT NULL,
	"start_at" timestamp with time zone DEFAULT now() NOT NULL,
	"end_at" timestamp with time zone,
	"max_attempts" smallint DEFAULT 3 NOT NULL,
	"retry_delay_minutes" integer DEFAULT 60 NOT NULL,
	"created_by" uuid NOT NULL,
	"total_calls" integer DEFAULT 0 NOT NULL,
	"queued_calls" integer DEFAULT 0 NOT NULL,
	"active_calls" integer DEFAULT 0 NOT NULL,
	"completed_calls" integer DEFAULT 0 NOT NULL,
	"failed_calls" integer DEFAULT 0 NOT NULL,
	"cancelled_calls" integer DEFAULT 0 NOT NULL,
	"skipped_calls" integer DEFAULT 0 NOT NULL,
	"paused_reason" text,
	"processing_lock" text,
	"lock_acquired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "call_campaigns_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "call_campaigns_status_check" CHECK ("call_campaigns"."status" in ('draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled')),
	CONSTRAINT "call_campaigns_provider_check" CHECK ("call_campaigns"."provider" in ('simulated', 'bolna')),
	CONSTRAINT "call_campaigns_window_check" CHECK ("call_campaigns"."window_start_minute" between 0 and 1439 and "call_campaigns"."window_end_minute" between 0 and 1440
          and "call_campaigns"."window_start_minute" <> "call_campaigns"."window_end_minute" and cardinality("call_campaigns"."window_days") > 0),
	CONSTRAINT "call_campaigns_attempts_check" CHECK ("call_campaigns"."max_attempts" between 1 and 10)
);
--> statement-breakpoint
ALTER TABLE "call_campaigns" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "call_events" (
	"tenant_id" uuid NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "call_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"provider" text NOT NULL,
	"execution_id" text NOT NULL,
	"status" text NOT NULL,
	"raw" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "call_events_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "call_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "call_queue" (
	"tenant_id" uuid NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "call_queue_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"campaign_id" uuid NOT NULL,
	"contact_id" bigint,
	"user_id" uuid NOT NULL,
	"phone_e164" text NOT NULL,
	"contact_name" text DEFAULT '' NOT NULL,
	"timezone" text NOT NULL,
	"priority" integer DEFAULT 0 NOT NULL,
	"scheduled_at" timestamp with time zone NOT NULL,
	"not_after" timestamp with time zone,
	"attempt" smallint DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"lease_expires_at" timestamp with time zone,
	"provider_call_id" text,
	"provider_status" text,
	"provider_status_rank" smallint DEFAULT 0 NOT NULL,
	"outcome" text,
	"last_error" text,
	"duration_seconds" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"dialled_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "call_queue_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "call_queue_status_check" CHECK ("call_queue"."status" in ('queued', 'dispatching', 'in_progress', 'completed', 'failed', 'cancelled', 'skipped'))
);
--> statement-breakpoint
ALTER TABLE "call_queue" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "call_slots" (
	"holder" text PRIMARY KEY NOT NULL,
	"in_flight" integer DEFAULT 0 NOT NULL,
	"served" bigint DEFAULT 0 NOT NULL,
	"last_claim_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "campaign_audit_logs" (
	"tenant_id" uuid NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "campaign_audit_logs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"campaign_id" uuid,
	"actor_type" text NOT NULL,
	"actor_id" text NOT NULL,
	"action" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_audit_logs_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "campaign_audit_logs" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "campaign_error_logs" (
	"tenant_id" uuid NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "campaign_error_logs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"campaign_id" uuid NOT NULL,
	"queue_id" bigint,
	"attempt" smallint NOT NULL,
	"category" text NOT NULL,
	"message" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_error_logs_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "campaign_error_logs" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "tenant_call_settings" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"bolna_api_key_sealed" text,
	"webhook_token_hash" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tenant_call_settings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "concurrent_calls_limit" integer DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "call_campaigns" ADD CONSTRAINT "call_campaigns_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_campaigns" ADD CONSTRAINT "call_campaigns_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_events" ADD CONSTRAINT "call_events_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_queue" ADD CONSTRAINT "call_queue_tenant_id_campaign_id_call_campaigns_tenant_id_id_fk" FOREIGN KEY ("tenant_id","campaign_id") REFERENCES "public"."call_campaigns"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_queue" ADD CONSTRAINT "call_queue_tenant_id_contact_id_contacts_tenant_id_id_fk" FOREIGN KEY ("tenant_id","contact_id") REFERENCES "public"."contacts"("tenant_id","id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_queue" ADD CONSTRAINT "call_queue_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_audit_logs" ADD CONSTRAINT "campaign_audit_logs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_error_logs" ADD CONSTRAINT "campaign_error_logs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_call_settings" ADD CONSTRAINT "tenant_call_settings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "call_campaigns_tenant_created_idx" ON "call_campaigns" USING btree ("tenant_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "call_campaigns_running_idx" ON "call_campaigns" USING btree ("status") WHERE "call_campaigns"."status" in ('running', 'scheduled');--> statement-breakpoint
CREATE UNIQUE INDEX "call_events_dedupe_key" ON "call_events" USING btree ("tenant_id","provider","execution_id","status");--> statement-breakpoint
CREATE INDEX "call_events_received_idx" ON "call_events" USING btree ("received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "call_queue_campaign_contact_key" ON "call_queue" USING btree ("tenant_id","campaign_id","contact_id");--> statement-breakpoint
CREATE UNIQUE INDEX "call_queue_provider_call_key" ON "call_queue" USING btree ("tenant_id","provider_call_id");--> statement-breakpoint
CREATE INDEX "call_queue_due_idx" ON "call_queue" USING btree ("user_id","scheduled_at","id") WHERE "call_queue"."status" = 'queued';--> statement-breakpoint
CREATE INDEX "call_queue_window_close_idx" ON "call_queue" USING btree ("not_after") WHERE "call_queue"."status" = 'queued';--> statement-breakpoint
CREATE INDEX "call_queue_leases_idx" ON "call_queue" USING btree ("lease_expires_at") WHERE "call_queue"."status" = 'dispatching';--> statement-breakpoint
CREATE INDEX "call_queue_active_idx" ON "call_queue" USING btree ("dialled_at") WHERE "call_queue"."status" = 'in_progress';--> statement-breakpoint
CREATE INDEX "call_queue_campaign_status_idx" ON "call_queue" USING btree ("tenant_id","campaign_id","status");--> statement-breakpoint
CREATE INDEX "campaign_audit_logs_campaign_idx" ON "campaign_audit_logs" USING btree ("tenant_id","campaign_id","created_at");--> statement-breakpoint
CREATE INDEX "campaign_audit_logs_created_idx" ON "campaign_audit_logs" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "campaign_error_logs_campaign_idx" ON "campaign_error_logs" USING btree ("tenant_id","campaign_id","created_at");--> statement-breakpoint
CREATE INDEX "campaign_error_logs_created_idx" ON "campaign_error_logs" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "tenant_call_settings_webhook_key" ON "tenant_call_settings" USING btree ("webhook_token_hash");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "call_campaigns" AS PERMISSIVE FOR ALL TO public USING ("call_campaigns"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("call_campaigns"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "call_events" AS PERMISSIVE FOR ALL TO public USING ("call_events"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("call_events"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "call_queue" AS PERMISSIVE FOR ALL TO public USING ("call_queue"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("call_queue"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "campaign_audit_logs" AS PERMISSIVE FOR ALL TO public USING ("campaign_audit_logs"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("campaign_audit_logs"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "campaign_error_logs" AS PERMISSIVE FOR ALL TO public USING ("campaign_error_logs"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("campaign_error_logs"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "tenant_call_settings" AS PERMISSIVE FOR ALL TO public USING ("tenant_call_settings"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("tenant_call_settings"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);