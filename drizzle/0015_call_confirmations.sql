CREATE TABLE "call_confirmations" (
	"tenant_id" uuid NOT NULL,
	"execution_id" text NOT NULL,
	"status" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" smallint DEFAULT 0 NOT NULL,
	"next_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "call_confirmations_tenant_id_execution_id_pk" PRIMARY KEY("tenant_id","execution_id")
);
--> statement-breakpoint
ALTER TABLE "call_confirmations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "call_confirmations" ADD CONSTRAINT "call_confirmations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "call_confirmations_next_idx" ON "call_confirmations" USING btree ("next_at");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "call_confirmations" AS PERMISSIVE FOR ALL TO public USING ("call_confirmations"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("call_confirmations"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid);
--> statement-breakpoint
-- Checklist 18: final statuses confirmed by the provider before they act.
-- Bolna's webhooks carry no signature, only our per-tenant path token: whoever
-- learns one could end calls, free their slots (more calls than the caps at
-- the provider) or pause a campaign with a forged balance-low. Which
-- providers: the TypeScript side asks the same question in
-- src/lib/calls/providers/confirmation.ts (a test keeps the two in step).
CREATE OR REPLACE FUNCTION provider_confirms_final_statuses(p_provider text)
RETURNS boolean
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, public AS $$
  SELECT p_provider = 'bolna';
$$;
--> statement-breakpoint

-- apply_call_status as in 0014, holding back the final statuses to confirm.
CREATE OR REPLACE FUNCTION apply_call_status(
  p_tenant uuid, p_provider text, p_execution text, p_status text, p_raw jsonb,
  p_rank smallint, p_final text, p_outcome text, p_error text, p_duration integer
)
RETURNS TABLE (applied text, campaign_id uuid)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
DECLARE
  v_call record;
  v_campaign_status text;
  v_campaign_provider text;
BEGIN
  IF p_final IS NOT NULL AND p_final NOT IN ('completed', 'failed', 'cancelled') THEN
    RAISE EXCEPTION 'apply_call_status: unexpected final status %', p_final;
  END IF;
  PERFORM set_config('synchronous_commit', 'off', true);
  PERFORM pg_advisory_xact_lock(hashtext('call-execution'), hashtext(p_execution));
  INSERT INTO call_events (tenant_id, provider, execution_id, status, raw)
  VALUES (p_tenant, p_provider, p_execution, p_status, p_raw)
  ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'duplicate'::text, NULL::uuid;
    RETURN;
  END IF;
  SELECT q.id, q.campaign_id, q.user_id, q.status, q.provider_status_rank INTO v_call
  FROM call_queue q
  WHERE q.tenant_id = p_tenant AND q.provider_call_id = p_execution
  FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'stored'::text, NULL::uuid;
    RETURN;
  END IF;
  -- Not locked yet: the counters' update below locks it, in the same order
  -- (row, campaign, slots), and holds it for less of the transaction.
  SELECT k.status, k.provider INTO v_campaign_status, v_campaign_provider FROM call_campaigns k
  WHERE k.tenant_id = p_tenant AND k.id = v_call.campaign_id AND k.deleted_at IS NULL;
  IF NOT FOUND OR p_rank <= v_call.provider_status_rank THEN
    RETURN QUERY SELECT 'ignored'::text, v_call.campaign_id;
    RETURN;
  END IF;
  -- A final status from a provider that signs nothing waits for the provider's
  -- own word (the worker's GET /executions/{id}), the call untouched meanwhile:
  -- its rank too, or the confirmed status would rank as already seen.
  IF p_final IS NOT NULL AND provider_confirms_final_statuses(v_campaign_provider)
     AND v_call.status IN ('dispatching', 'in_progress') THEN
    INSERT INTO call_confirmations (tenant_id, execution_id, status)
    VALUES (p_tenant, p_execution, p_status)
    ON CONFLICT DO NOTHING;
    RETURN QUERY SELECT 'confirming'::text, v_call.campaign_id;
    RETURN;
  END IF;
  UPDATE call_queue q
  SET provider_status = p_status, provider_status_rank = p_rank,
      duration_seconds = coalesce(p_duration, q.duration_seconds), updated_at = now()
  WHERE q.tenant_id = p_tenant AND q.id = v_call.id;
  IF v_call.status NOT IN ('dispatching', 'in_progress') THEN
    RETURN QUERY SELECT 'ignored'::text, v_call.campaign_id;
    RETURN;
  END IF;
  IF p_final IS NULL THEN
    RETURN QUERY SELECT 'progress'::text, v_call.campaign_id;
    RETURN;
  END IF;

  UPDATE call_queue q
  SET status = p_final, outcome = p_outcome, last_error = p_error, lease_expires_at = NULL,
      finished_at = now(), updated_at = now()
  WHERE q.tenant_id = p_tenant AND q.id = v_call.id;
  UPDATE call_campaigns k
  SET active_calls = k.active_calls - 1,
      completed_calls = k.completed_calls + (p_final = 'completed')::integer,
      failed_calls = k.failed_calls + (p_final = 'failed')::integer,
      cancelled_calls = k.cancelled_calls + (p_final = 'cancelled')::integer,
      updated_at = now()
  WHERE k.tenant_id = p_tenant AND k.id = v_call.campaign_id;
  PERFORM release_call_slots(v_call.user_id, 1);
  -- No NOTIFY here: the caller wakes the dispatchers after the commit
  -- (wake-dispatchers.ts; a NOTIFY per webhook serialised their commits).
  -- transitions.ts completeIfDone, for this campaign.
  UPDATE call_campaigns k
  SET status = CASE WHEN k.status = 'cancelled' THEN k.status ELSE 'completed' END,
      finished_at = coalesce(k.finished_at, now()), updated_at = now()
  WHERE k.tenant_id = p_tenant AND k.id = v_call.campaign_id
    AND (k.status IN ('running', 'scheduled') OR (k.status = 'cancelled' AND k.finished_at IS NULL))
    AND NOT EXISTS (
      SELECT 1 FROM call_queue q
      WHERE q.tenant_id = p_tenant AND q.campaign_id = v_call.campaign_id
        AND q.status IN ('queued', 'dispatching', 'in_progress'));
  IF FOUND THEN
    -- Browsers watching it (src/lib/events: ids only), once, when it commits.
    PERFORM pg_notify('live_events', json_build_object(
      'tenantId', p_tenant, 'type', 'campaign.status', 'id', v_call.campaign_id)::text);
  END IF;
  RETURN QUERY SELECT 'finished'::text, v_call.campaign_id;
END
$$;

--> statement-breakpoint

-- The confirmations a worker may look up now, across tenants like the other
-- sweeps, each taken for 30 s (next_at moves on) so that workers side by side
-- look each one up once; a failed lookup sets its own backoff after.
CREATE OR REPLACE FUNCTION call_confirmations_due(p_limit integer, p_now timestamptz DEFAULT now())
RETURNS TABLE (tenant_id uuid, execution_id text, status text, attempts smallint)
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
  WITH due AS (
    SELECT c.tenant_id, c.execution_id FROM call_confirmations c
    WHERE c.next_at <= p_now
    ORDER BY c.next_at
    LIMIT p_limit
    FOR UPDATE SKIP LOCKED
  )
  UPDATE call_confirmations c
  SET next_at = p_now + interval '30 seconds', attempts = c.attempts + 1
  FROM due
  WHERE c.tenant_id = due.tenant_id AND c.execution_id = due.execution_id
  RETURNING c.tenant_id, c.execution_id, c.status, c.attempts;
$$;
