-- claim_due_calls as in 0009, with each user's candidate slice cut from
-- free × 4 rows to free rows. Rows another dispatcher holds are skipped, not
-- counted (SKIP LOCKED), so the extra rows were never needed to fill a user's
-- free slots: they were locked (a heap write and a WAL record each), re-checked
-- against their campaign and released, three in four of the claim's row locks
-- at saturation, when most users have one slot free. Priority within a
-- scheduled instant is the queue's id order (enqueue inserts by priority).
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
      LIMIT least(c.free, 200)
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
