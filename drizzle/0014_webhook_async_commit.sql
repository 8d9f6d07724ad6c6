-- apply_call_status as in 0009, committing without waiting for its WAL flush,
-- like record_dial. Every final status of a campaign updates that campaign's
-- counters, so webhooks of one campaign take turns on its row, each holding it until its
-- commit: with the flush inside that hold, a campaign taking 500 slots queued
-- its webhooks behind each other's disk writes (bench:dispatch with
-- BENCH_CAMPAIGNS=1: slot → call p95 0.8–1.9 s, seconds with no call placed).
-- If the server crashes and loses the last moment's commits, those calls are
-- still in progress in the database: the stale-call sweep asks the provider for
-- each (GET /executions/{id}, recover.ts) and applies the status it reports, so
-- a lost webhook delays a call's final state, it does not lose it.
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
  SELECT k.status INTO v_campaign_status FROM call_campaigns k
  WHERE k.tenant_id = p_tenant AND k.id = v_call.campaign_id AND k.deleted_at IS NULL;
  IF NOT FOUND OR p_rank <= v_call.provider_status_rank THEN
    RETURN QUERY SELECT 'ignored'::text, v_call.campaign_id;
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
