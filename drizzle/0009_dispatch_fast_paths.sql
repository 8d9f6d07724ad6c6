-- The dispatcher's hot path in fewer round trips (issue 6's benchmark: the
-- dispatcher and the webhooks were CPU-bound on ~25 statements per call).
--
-- claim_due_calls also returns what dialling must re-check (the campaign's
-- status, window and end, whether the contact is still callable), so a
-- claimed call is dialled without another read. Its result type changes, so
-- it is dropped and created again.
DROP FUNCTION claim_due_calls(integer, interval, interval, timestamptz);
--> statement-breakpoint

-- No 'system' row in call_slots any more: the claim sums the users' rows.
-- Every release updated that one row at commit (0008's deferred trigger), so
-- all webhooks queued behind each other's commits for it.
DROP TRIGGER call_slots_release_system ON call_slots;
--> statement-breakpoint
DROP FUNCTION call_slots_release_system();
--> statement-breakpoint
DELETE FROM call_slots WHERE holder = 'system';
--> statement-breakpoint

-- Gives a call's slot back (its user's), in the transaction that moves the
-- row out of dispatching/in_progress, so it is released exactly once per claim.
CREATE OR REPLACE FUNCTION release_call_slots(p_user uuid, p_count integer)
RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
  UPDATE call_slots SET in_flight = greatest(in_flight - p_count, 0) WHERE holder = p_user::text;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION claim_due_calls(
  p_max integer, p_lease interval, p_window_margin interval, p_now timestamptz DEFAULT now()
)
RETURNS TABLE (
  tenant_id uuid, id bigint, campaign_id uuid, user_id uuid, phone_e164 text, contact_name text,
  timezone text, attempt smallint, not_after timestamptz, provider text, agent_id text, from_number text,
  campaign_status text, window_days smallint[], window_start_minute smallint,
  window_end_minute smallint, end_at timestamptz, contact_state text
)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
DECLARE
  v_limit integer;
  v_in_flight integer;
  v_free integer;
  v_tenants uuid[];
  v_ids bigint[];
  v_campaigns uuid[];
  v_users uuid[];
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('switchboard:call-dispatch'));
  SELECT coalesce((SELECT (s.value #>> '{}')::integer FROM system_settings s
                   WHERE s.key = 'call_concurrency_limit'), 10) INTO v_limit;
  -- The system's calls in flight are the users' (one small row each): a
  -- separate system row that every release updated serialised all webhooks.
  -- Releases only lower them, so a sum read while one commits errs on the safe side.
  SELECT coalesce(sum(s.in_flight), 0) INTO v_in_flight FROM call_slots s;
  v_free := least(v_limit - v_in_flight, p_max);
  IF v_free <= 0 THEN
    RETURN;
  END IF;

  WITH capacity AS (
    SELECT u.id AS user_id, u.concurrent_calls_limit - coalesce(s.in_flight, 0) AS free,
           coalesce(s.served, 0) AS served
    FROM users u
    LEFT JOIN call_slots s ON s.holder = u.id::text
    WHERE u.concurrent_calls_limit > coalesce(s.in_flight, 0)
      AND u.deactivated_at IS NULL
      AND EXISTS (SELECT 1 FROM call_queue q
                  WHERE q.user_id = u.id AND q.status = 'queued' AND q.scheduled_at <= p_now)
  ), candidates AS (
    SELECT c.user_id, c.served, q.tenant_id, q.id, q.priority, q.scheduled_at,
           row_number() OVER (PARTITION BY c.user_id
                              ORDER BY q.priority DESC, q.scheduled_at, q.id) AS turn,
           c.free
    FROM capacity c
    CROSS JOIN LATERAL (
      SELECT q.tenant_id, q.id, q.priority, q.scheduled_at
      FROM call_queue q
      WHERE q.user_id = c.user_id AND q.status = 'queued' AND q.scheduled_at <= p_now
        AND (q.not_after IS NULL OR q.not_after > p_now + p_window_margin)
        -- A lookup per row, not a join: with many finished campaigns a join lets the
        -- planner start from the few running ones and sort their whole queue.
        AND (SELECT k.status FROM call_campaigns k
             WHERE k.tenant_id = q.tenant_id AND k.id = q.campaign_id) IN ('running', 'scheduled')
      ORDER BY q.scheduled_at, q.id
      LIMIT least(c.free * 4, 200)
      FOR UPDATE OF q SKIP LOCKED
    ) q
  ), chosen AS (
    SELECT x.tenant_id, x.id, x.user_id
    FROM candidates x
    WHERE x.turn <= x.free
    ORDER BY x.turn, x.served, x.user_id
    LIMIT v_free
  ), claimed AS (
    UPDATE call_queue q
    SET status = 'dispatching', lease_expires_at = p_now + p_lease, attempt = q.attempt + 1,
        updated_at = p_now
    FROM chosen x
    WHERE q.tenant_id = x.tenant_id AND q.id = x.id AND q.status = 'queued'
    RETURNING q.tenant_id, q.id, q.campaign_id, q.user_id
  )
  SELECT coalesce(array_agg(cl.tenant_id), '{}'), coalesce(array_agg(cl.id), '{}'),
         coalesce(array_agg(cl.campaign_id), '{}'), coalesce(array_agg(cl.user_id), '{}')
  INTO v_tenants, v_ids, v_campaigns, v_users
  FROM claimed cl;
  IF cardinality(v_ids) = 0 THEN
    RETURN;
  END IF;

  UPDATE call_campaigns k
  SET queued_calls = k.queued_calls - n.claimed, active_calls = k.active_calls + n.claimed,
      status = CASE WHEN k.status = 'scheduled' THEN 'running' ELSE k.status END,
      started_at = coalesce(k.started_at, p_now), updated_at = p_now
  FROM (SELECT c.tenant_id, c.campaign_id, count(*)::integer AS claimed
        FROM unnest(v_tenants, v_campaigns) AS c(tenant_id, campaign_id)
        GROUP BY 1, 2) n
  WHERE k.tenant_id = n.tenant_id AND k.id = n.campaign_id;

  INSERT INTO call_slots AS s (holder, in_flight, served, last_claim_at)
  SELECT c.user_id::text, count(*), count(*), p_now
  FROM unnest(v_users) AS c(user_id)
  GROUP BY c.user_id
  ORDER BY 1
  ON CONFLICT (holder) DO UPDATE
    SET in_flight = s.in_flight + excluded.in_flight, served = s.served + excluded.served,
        last_claim_at = excluded.last_claim_at;


  RETURN QUERY
  SELECT q.tenant_id, q.id, q.campaign_id, q.user_id, q.phone_e164, q.contact_name,
         q.timezone, q.attempt, q.not_after, k.provider, k.agent_id, k.from_number,
         CASE WHEN k.deleted_at IS NULL THEN k.status ELSE 'deleted' END,
         k.window_days, k.window_start_minute, k.window_end_minute, k.end_at,
         CASE WHEN q.contact_id IS NULL OR ct.id IS NULL THEN 'contact_deleted'
              WHEN ct.opted_out_at IS NOT NULL THEN 'opted_out'
              ELSE 'callable' END
  FROM unnest(v_tenants, v_ids) WITH ORDINALITY AS c(tenant_id, id, n)
  JOIN call_queue q ON q.tenant_id = c.tenant_id AND q.id = c.id
  JOIN call_campaigns k ON k.tenant_id = q.tenant_id AND k.id = q.campaign_id
  LEFT JOIN contacts ct ON ct.tenant_id = q.tenant_id AND ct.id = q.contact_id
  ORDER BY c.n;
END
$$;
--> statement-breakpoint

-- What the dispatcher records when the provider accepted a call, in one round
-- trip: the row moves from dispatching to in_progress with its execution id,
-- if it is still the attempt we claimed (else 'lost': recovery or a
-- cancellation took it). Under the execution's lock, the one webhooks take
-- (record-call-event.ts): when a status for this execution already arrived
-- (the provider answered fast), nothing changes and 'events_waiting' tells
-- the caller to record the dial and apply those statuses together
-- (dial.ts, applyStoredEvents). The slot stays held; counters do not move
-- (dispatching and in_progress are both active).
CREATE OR REPLACE FUNCTION record_dial(
  p_tenant uuid, p_id bigint, p_attempt smallint, p_execution text, p_at timestamptz
)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
BEGIN
  -- This commit need not wait for its WAL flush (one flush per call was most
  -- of the dispatcher's wait in bench:dispatch). If the server crashes and
  -- loses it, the row is 'dispatching' again with its lease, and recovery asks
  -- the provider for the execution under the row's reference before anything
  -- is dialled again (recover.ts, checklist 14): nothing is lost or doubled.
  -- The claim before it stays synchronous: losing a claim after its dial
  -- would let the row be claimed and dialled again.
  PERFORM set_config('synchronous_commit', 'off', true);
  PERFORM pg_advisory_xact_lock(hashtext('call-execution'), hashtext(p_execution));
  IF EXISTS (SELECT 1 FROM call_events e
             WHERE e.tenant_id = p_tenant AND e.execution_id = p_execution) THEN
    RETURN 'events_waiting';
  END IF;
  UPDATE call_queue q
  SET status = 'in_progress', provider_call_id = p_execution, lease_expires_at = NULL,
      dialled_at = p_at, updated_at = now()
  WHERE q.tenant_id = p_tenant AND q.id = p_id AND q.status = 'dispatching'
    AND q.attempt = p_attempt;
  RETURN CASE WHEN FOUND THEN 'dialled' ELSE 'lost' END;
END
$$;
--> statement-breakpoint

-- A provider status that needs no calling-window arithmetic (progress, or a
-- final status that does not retry), applied in one round trip: the webhook
-- is stored once per (execution, status); the call it belongs to, if any,
-- takes the status when it ranks higher than the one it has; a final status
-- ends the row as p_final with p_outcome, moves the campaign's counters,
-- gives the slot back and completes the campaign when no open row is left. The same steps, in the same lock order (execution,
-- row, campaign, user's slots), as record-call-event.ts
-- and transitions.ts, which handle the statuses that retry.
-- Returns the outcome and the call's campaign (null when none was touched).
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
--> statement-breakpoint

-- The 30-second consistency check (0008) without the dispatcher's lock: it
-- held every claim for as long as counting a large queue took (0.3–0.7 s at a
-- million rows). Counters and rows move in the same transactions, so one
-- statement's snapshot sees them agree; a correction is written only if the
-- counter still holds the value that snapshot read (compare and set), so a
-- claim or release committed meanwhile is never overwritten with a stale count.
CREATE OR REPLACE FUNCTION repair_call_bookkeeping()
RETURNS TABLE (tenant_id uuid, campaign_id uuid, what text, was bigint, now_is bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
BEGIN
  RETURN QUERY
  WITH held AS (
    SELECT q.user_id::text AS holder, count(*) AS n FROM call_queue q
    WHERE q.status IN ('dispatching', 'in_progress') GROUP BY q.user_id
  ), wrong AS (
    SELECT s.holder, s.in_flight AS was, coalesce(h.n, 0) AS should
    FROM call_slots s LEFT JOIN held h ON h.holder = s.holder
    WHERE s.in_flight <> coalesce(h.n, 0)
  ), fixed AS (
    UPDATE call_slots s SET in_flight = w.should FROM wrong w
    WHERE s.holder = w.holder AND s.in_flight = w.was
    RETURNING s.holder, w.was, w.should
  )
  SELECT NULL::uuid, NULL::uuid, 'slots:' || f.holder, f.was::bigint, f.should::bigint FROM fixed f;

  RETURN QUERY
  WITH counts AS (
    SELECT q.tenant_id, q.campaign_id,
           k.queued_calls AS was_queued, k.active_calls AS was_active,
           k.completed_calls AS was_completed, k.failed_calls AS was_failed,
           k.cancelled_calls AS was_cancelled, k.skipped_calls AS was_skipped,
           count(*) FILTER (WHERE q.status = 'queued') AS queued,
           count(*) FILTER (WHERE q.status IN ('dispatching', 'in_progress')) AS active,
           count(*) FILTER (WHERE q.status = 'completed') AS completed,
           count(*) FILTER (WHERE q.status = 'failed') AS failed,
           count(*) FILTER (WHERE q.status = 'cancelled') AS cancelled,
           count(*) FILTER (WHERE q.status = 'skipped') AS skipped
    FROM call_queue q
    JOIN call_campaigns k ON k.tenant_id = q.tenant_id AND k.id = q.campaign_id
    WHERE k.status IN ('running', 'scheduled', 'paused')
    GROUP BY q.tenant_id, q.campaign_id, k.queued_calls, k.active_calls, k.completed_calls,
             k.failed_calls, k.cancelled_calls, k.skipped_calls
  ), fixed AS (
    UPDATE call_campaigns k
    SET queued_calls = c.queued, active_calls = c.active, completed_calls = c.completed,
        failed_calls = c.failed, cancelled_calls = c.cancelled, skipped_calls = c.skipped,
        updated_at = now()
    FROM counts c
    WHERE k.tenant_id = c.tenant_id AND k.id = c.campaign_id
      AND (k.queued_calls, k.active_calls, k.completed_calls, k.failed_calls, k.cancelled_calls, k.skipped_calls)
          = (c.was_queued, c.was_active, c.was_completed, c.was_failed, c.was_cancelled, c.was_skipped)
      AND (c.was_queued, c.was_active, c.was_completed, c.was_failed, c.was_cancelled, c.was_skipped)
          IS DISTINCT FROM (c.queued, c.active, c.completed, c.failed, c.cancelled, c.skipped)
    RETURNING k.tenant_id, k.id, k.queued_calls + k.active_calls AS open_now
  )
  SELECT f.tenant_id, f.id, 'counters', NULL::bigint, f.open_now::bigint FROM fixed f;
END
$$;
--> statement-breakpoint

-- The campaigns of a claimed batch as they are now, read once just before
-- dialling it: a campaign paused, cancelled or deleted since the claim must
-- not get its calls placed (dial.ts). Cross-tenant like the claim.
CREATE OR REPLACE FUNCTION campaign_statuses(p_tenants uuid[], p_campaigns uuid[])
RETURNS TABLE (tenant_id uuid, campaign_id uuid, status text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
  SELECT k.tenant_id, k.id, CASE WHEN k.deleted_at IS NULL THEN k.status ELSE 'deleted' END
  FROM (SELECT DISTINCT * FROM unnest(p_tenants, p_campaigns)) AS c(tenant_id, campaign_id)
  JOIN call_campaigns k ON k.tenant_id = c.tenant_id AND k.id = c.campaign_id;
$$;
--> statement-breakpoint

-- Statuses waiting for a call are found by execution alone (record_dial,
-- applyStoredEvents): the webhook route stores every delivery as 'bolna'
-- whichever provider the campaign dials with (the simulator speaks Bolna's
-- format), so the dedupe key (tenant, provider, execution, status) cannot
-- serve the lookup past its tenant. Raw SQL like the functions: the drizzle
-- schema's index list is left as it was (src/lib/db/schema/campaigns.ts says so).
CREATE INDEX call_events_execution_idx ON call_events (tenant_id, execution_id);
--> statement-breakpoint

-- A campaign's calls per minute over the last minutes (progress.ts, the live
-- monitor): its recently finished rows, not all of them (a 100,000-row
-- campaign read 60,000 heap rows per progress event without it).
CREATE INDEX call_queue_finished_idx ON call_queue (tenant_id, campaign_id, finished_at)
  WHERE finished_at IS NOT NULL;
