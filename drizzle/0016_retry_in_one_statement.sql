-- A retrying status (no-answer, busy; failed/error/stopped once) in one
-- statement, as apply_call_status does for the others (decision 006 §6).
-- Applied in TypeScript, it locked the campaign's row first and held it across
-- eight round trips: in bench:soak a 50,000-call campaign's webhooks, a
-- quarter of them retries, queued on that row for up to 1.8 s. The retry
-- instant needs the calendar (schedule.ts), so the caller computes it from a
-- plain read (call_retry_context) and passes the terms it used; if they moved
-- by the time the campaign is locked, the statement fails with SQLSTATE SB409
-- (nothing written) and the caller reads again.

-- The campaign settings a retry instant is computed from, as one comparable
-- value (epoch seconds, not timestamptz text, which follows the session's zone).
CREATE OR REPLACE FUNCTION campaign_retry_terms(k call_campaigns)
RETURNS text
LANGUAGE sql STABLE
SET search_path = pg_catalog, public AS $$
  SELECT concat_ws('|', k.window_days::text, k.window_start_minute, k.window_end_minute,
                   extract(epoch FROM k.end_at), k.max_attempts, k.retry_delay_minutes);
$$;
--> statement-breakpoint

-- What the caller of apply_call_retry computes the next attempt from; no lock.
CREATE OR REPLACE FUNCTION call_retry_context(p_tenant uuid, p_execution text)
RETURNS TABLE (
  attempt smallint, timezone text, window_days smallint[], window_start_minute smallint,
  window_end_minute smallint, end_at timestamptz, max_attempts smallint,
  retry_delay_minutes integer, terms text
)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
  SELECT q.attempt, q.timezone, k.window_days, k.window_start_minute, k.window_end_minute,
         k.end_at, k.max_attempts, k.retry_delay_minutes, campaign_retry_terms(k)
  FROM call_queue q
  JOIN call_campaigns k ON k.tenant_id = q.tenant_id AND k.id = q.campaign_id
  WHERE q.tenant_id = p_tenant AND q.provider_call_id = p_execution AND k.deleted_at IS NULL;
$$;
--> statement-breakpoint

-- Ends a live call (locked by the caller, holding its slot) for good, the
-- provider's status recorded in the same row update (one update through
-- call_queue's indexes, not two): the row, the campaign's counters, the slot,
-- and the campaign's completion (transitions.ts finishCall/completeIfDone).
-- Only apply_call_status and apply_call_retry call it (as their owner).
CREATE OR REPLACE FUNCTION end_live_call(
  p_tenant uuid, p_call bigint, p_campaign uuid, p_user uuid,
  p_status text, p_rank smallint, p_duration integer,
  p_final text, p_outcome text, p_error text
)
RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, public AS $$
BEGIN
  IF p_final NOT IN ('completed', 'failed', 'cancelled') THEN
    RAISE EXCEPTION 'end_live_call: unexpected final status %', p_final;
  END IF;
  UPDATE call_queue q
  SET status = p_final, outcome = p_outcome, last_error = p_error, lease_expires_at = NULL,
      provider_status = p_status, provider_status_rank = p_rank,
      duration_seconds = coalesce(p_duration, q.duration_seconds),
      finished_at = now(), updated_at = now()
  WHERE q.tenant_id = p_tenant AND q.id = p_call AND q.status IN ('dispatching', 'in_progress');
  IF NOT FOUND THEN
    -- Its slot and counters were released already: doing it again would drift both.
    RAISE EXCEPTION 'end_live_call: call % is not live', p_call;
  END IF;
  UPDATE call_campaigns k
  SET active_calls = k.active_calls - 1,
      completed_calls = k.completed_calls + (p_final = 'completed')::integer,
      failed_calls = k.failed_calls + (p_final = 'failed')::integer,
      cancelled_calls = k.cancelled_calls + (p_final = 'cancelled')::integer,
      updated_at = now()
  WHERE k.tenant_id = p_tenant AND k.id = p_campaign;
  PERFORM release_call_slots(p_user, 1);
  -- No NOTIFY for the dispatchers here: the caller wakes them after the commit
  -- (wake-dispatchers.ts; a NOTIFY per webhook serialised their commits).
  UPDATE call_campaigns k
  SET status = CASE WHEN k.status = 'cancelled' THEN k.status ELSE 'completed' END,
      finished_at = coalesce(k.finished_at, now()), updated_at = now()
  WHERE k.tenant_id = p_tenant AND k.id = p_campaign
    AND (k.status IN ('running', 'scheduled') OR (k.status = 'cancelled' AND k.finished_at IS NULL))
    AND NOT EXISTS (
      SELECT 1 FROM call_queue q
      WHERE q.tenant_id = p_tenant AND q.campaign_id = p_campaign
        AND q.status IN ('queued', 'dispatching', 'in_progress'));
  IF FOUND THEN
    -- Browsers watching it (src/lib/events: ids only), once, when it commits.
    PERFORM pg_notify('live_events', json_build_object(
      'tenantId', p_tenant, 'type', 'campaign.status', 'id', p_campaign)::text);
  END IF;
END
$$;
--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION
  end_live_call(uuid, bigint, uuid, uuid, text, smallint, integer, text, text, text) FROM PUBLIC;
--> statement-breakpoint

-- apply_call_status as in 0015, ending the call through end_live_call.
CREATE OR REPLACE FUNCTION apply_call_status(
  p_tenant uuid, p_provider text, p_execution text, p_status text, p_raw jsonb,
  p_rank smallint, p_final text, p_outcome text, p_error text, p_duration integer
)
RETURNS TABLE (applied text, campaign_id uuid)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
DECLARE
  v_call record;
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
  -- Not locked yet: the counters' update locks it, in the same order (row,
  -- campaign, slots), and holds it for less of the transaction.
  SELECT k.provider INTO v_campaign_provider FROM call_campaigns k
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
  IF p_final IS NULL OR v_call.status NOT IN ('dispatching', 'in_progress') THEN
    UPDATE call_queue q
    SET provider_status = p_status, provider_status_rank = p_rank,
        duration_seconds = coalesce(p_duration, q.duration_seconds), updated_at = now()
    WHERE q.tenant_id = p_tenant AND q.id = v_call.id;
    RETURN QUERY SELECT
      CASE WHEN v_call.status IN ('dispatching', 'in_progress') THEN 'progress' ELSE 'ignored' END,
      v_call.campaign_id;
    RETURN;
  END IF;
  PERFORM end_live_call(p_tenant, v_call.id, v_call.campaign_id, v_call.user_id,
                        p_status, p_rank, p_duration, p_final, p_outcome, p_error);
  RETURN QUERY SELECT 'finished'::text, v_call.campaign_id;
END
$$;
--> statement-breakpoint

-- A retrying status, its next attempt computed by the caller from the terms
-- call_retry_context gave (src/lib/calls/apply-retry.ts):
--   p_fail_once  the status is retried once and this was the retry: failed;
--   p_retry_at   the next callable instant, or NULL when no attempt or window
--                is left: failed; p_not_after its window's close.
-- The campaign's status is read under its lock here, as retryOrFail does: a
-- cancelled or completed campaign cancels the call, a paused one parks it.
CREATE OR REPLACE FUNCTION apply_call_retry(
  p_tenant uuid, p_provider text, p_execution text, p_status text, p_raw jsonb,
  p_rank smallint, p_duration integer, p_outcome text,
  p_attempt smallint, p_terms text, p_fail_once boolean,
  p_retry_at timestamptz, p_not_after timestamptz
)
RETURNS TABLE (applied text, campaign_id uuid)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
DECLARE
  v_call record;
  v_campaign record;
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true);
  PERFORM pg_advisory_xact_lock(hashtext('call-execution'), hashtext(p_execution));
  INSERT INTO call_events (tenant_id, provider, execution_id, status, raw)
  VALUES (p_tenant, p_provider, p_execution, p_status, p_raw)
  ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'duplicate'::text, NULL::uuid;
    RETURN;
  END IF;
  SELECT q.id, q.campaign_id, q.user_id, q.status, q.provider_status_rank, q.attempt INTO v_call
  FROM call_queue q
  WHERE q.tenant_id = p_tenant AND q.provider_call_id = p_execution
  FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'stored'::text, NULL::uuid;
    RETURN;
  END IF;
  -- Not locked yet (as in apply_call_status): most deliveries stop before the counters.
  SELECT k.provider INTO v_campaign FROM call_campaigns k
  WHERE k.tenant_id = p_tenant AND k.id = v_call.campaign_id AND k.deleted_at IS NULL;
  IF NOT FOUND OR p_rank <= v_call.provider_status_rank THEN
    RETURN QUERY SELECT 'ignored'::text, v_call.campaign_id;
    RETURN;
  END IF;
  IF provider_confirms_final_statuses(v_campaign.provider)
     AND v_call.status IN ('dispatching', 'in_progress') THEN
    INSERT INTO call_confirmations (tenant_id, execution_id, status)
    VALUES (p_tenant, p_execution, p_status)
    ON CONFLICT DO NOTHING;
    RETURN QUERY SELECT 'confirming'::text, v_call.campaign_id;
    RETURN;
  END IF;
  IF v_call.status NOT IN ('dispatching', 'in_progress') THEN
    UPDATE call_queue q
    SET provider_status = p_status, provider_status_rank = p_rank,
        duration_seconds = coalesce(p_duration, q.duration_seconds), updated_at = now()
    WHERE q.tenant_id = p_tenant AND q.id = v_call.id;
    RETURN QUERY SELECT 'ignored'::text, v_call.campaign_id;
    RETURN;
  END IF;

  -- The campaign's row from here to the commit: one statement's worth. What the
  -- caller computed from must still hold under this lock (an edit, another attempt):
  -- else the whole statement fails, the event above with it, and the caller reads again.
  SELECT k.status, campaign_retry_terms(k) AS terms INTO v_campaign FROM call_campaigns k
  WHERE k.tenant_id = p_tenant AND k.id = v_call.campaign_id
  FOR UPDATE;
  IF v_campaign.terms <> p_terms OR v_call.attempt <> p_attempt THEN
    RAISE EXCEPTION 'apply_call_retry: the campaign or call moved since the retry was computed'
      USING ERRCODE = 'SB409';
  END IF;
  IF p_fail_once OR (p_retry_at IS NULL AND v_campaign.status NOT IN ('cancelled', 'completed')) THEN
    PERFORM end_live_call(p_tenant, v_call.id, v_call.campaign_id, v_call.user_id,
                          p_status, p_rank, p_duration, 'failed', p_outcome, NULL);
    RETURN QUERY SELECT 'finished'::text, v_call.campaign_id;
    RETURN;
  END IF;
  IF v_campaign.status IN ('cancelled', 'completed') THEN
    PERFORM end_live_call(p_tenant, v_call.id, v_call.campaign_id, v_call.user_id,
                          p_status, p_rank, p_duration, 'cancelled', 'campaign_cancelled', NULL);
    RETURN QUERY SELECT 'finished'::text, v_call.campaign_id;
    RETURN;
  END IF;
  UPDATE call_queue q
  SET status = 'queued',
      scheduled_at = CASE WHEN v_campaign.status = 'paused' THEN 'infinity' ELSE p_retry_at END,
      not_after = p_not_after, provider_call_id = NULL, provider_status = NULL,
      provider_status_rank = 0, duration_seconds = coalesce(p_duration, q.duration_seconds),
      outcome = p_outcome, last_error = NULL, lease_expires_at = NULL, updated_at = now()
  WHERE q.tenant_id = p_tenant AND q.id = v_call.id;
  UPDATE call_campaigns k
  SET active_calls = k.active_calls - 1, queued_calls = k.queued_calls + 1, updated_at = now()
  WHERE k.tenant_id = p_tenant AND k.id = v_call.campaign_id;
  PERFORM release_call_slots(v_call.user_id, 1);
  RETURN QUERY SELECT 'retried'::text, v_call.campaign_id;
END
$$;
