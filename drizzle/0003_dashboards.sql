CREATE TABLE "lead_daily_counts" (
	"tenant_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"day" date NOT NULL,
	"source" text NOT NULL,
	"stage" text NOT NULL,
	"leads" integer NOT NULL,
	CONSTRAINT "lead_daily_counts_tenant_id_day_source_stage_pk" PRIMARY KEY("tenant_id","day","source","stage")
);
--> statement-breakpoint
ALTER TABLE "lead_daily_counts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "lead_daily_counts" ADD CONSTRAINT "lead_daily_counts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "hot_list_items_tenant_weighted_idx" ON "hot_list_items" USING btree ("tenant_id","weighted_iff" DESC NULLS LAST,"candidate","opportunity_ct_id");--> statement-breakpoint
CREATE INDEX "ct_notes_search_idx" ON "ct_notes" USING gin (to_tsvector('simple', coalesce("author", '') || ' ' || "content_text"));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "lead_daily_counts" AS PERMISSIVE FOR ALL TO public USING ("lead_daily_counts"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("lead_daily_counts"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
-- One page of a tenant's notes matching a full-text query, newest first.
-- SECURITY DEFINER because `@@` is not leakproof: under row-level security the
-- planner won't use ct_notes_search_idx for it and would scan every note of the
-- tenant. The tenant filter RLS would apply is written out instead, and the
-- function answers only for the tenant the calling transaction is bound to.
-- The owner (the migrating role) must bypass RLS (superuser or BYPASSRLS) for the
-- index to be used; otherwise the answers are the same, only slower.
-- EXECUTE plans with the actual query, so the planner can weigh a rare word
-- (GIN bitmap scan) against a common one (newest-first index, stop at the limit).
CREATE OR REPLACE FUNCTION search_ct_notes(p_tenant uuid, p_query tsquery, p_limit integer, p_offset integer)
RETURNS TABLE (ct_id text)
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 100
SET search_path = pg_catalog, public AS $$
BEGIN
  IF p_tenant IS DISTINCT FROM nullif(current_setting('app.tenant_id', true), '')::uuid THEN
    RETURN;
  END IF;
  RETURN QUERY EXECUTE $q$
    SELECT n.ct_id FROM ct_notes n
    WHERE n.tenant_id = $1
      AND n.deleted_at IS NULL
      AND to_tsvector('simple', coalesce(n.author, '') || ' ' || n.content_text) @@ $2
    ORDER BY n.noted_at DESC NULLS LAST, n.ct_id
    LIMIT $3 OFFSET $4
  $q$ USING p_tenant, p_query, p_limit, p_offset;
END
$$;
