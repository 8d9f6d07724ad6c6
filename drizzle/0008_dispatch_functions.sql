-- The dispatcher's claim (p_now: the dispatcher's clock; tests pass a fake one).
-- Cross-tenant by nature, so it runs as a SECURITY
-- DEFINER function owned by the migrating role, and the worker can connect as
-- the restricted app role. Everything a claim must keep exact happens here, in
-- one transaction, under one advisory lock (checklist 12):
--   * free slots come from call_slots (system and per user), never from
--     counting in-progress rows, and move in the same statement as the claim;
--   * users take turns: every user with due rows gets its first row before any
--     user gets a second, the least served first (a user with 1,000 queued
--     rows cannot starve one with 5);
--   * each user's candidates are a bounded, index-ordered slice
--     (call_queue_due_idx), so the cost does not grow with the queue;
--   * rows are claimed only while their window occurrence has at least
--     p_window_margin left, and only for running (or scheduled, which the
--     first claim turns running) campaigns.
CREATE OR REPLACE FUNCTION claim_due_calls(
  p_max integer, p_lease interval, p_window_margin interval, p_now timestamptz DEFAULT now()
)
RETURNS TABLE (
  tenant_id uuid, id bigint, campaign_id uuid, user_id uuid, phone_e164 text, contact_name text,
  timezone text, attempt smallint, not_after timestamptz, provider text, agent_id text, from_number text
)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
DECLARE
  v_limit integer;
  v_free integer;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('switchboard:call-dispatch'));
  SELECT coalesce((SELECT (s.value #>> '{}')::integer FROM system_settings s
                   WHERE s.key = 'call_concurrency_limit'), 10) INTO v_limit;
  INSERT INTO call_slots (holder) VALUES ('system') ON CONFLICT (holder) DO NOTHING;
  SELECT least(v_limit - s.in_flight, p_max) INTO v_free FROM call_slots s WHERE s.holder = 'system';
  IF v_free <= 0 THEN
    RETURN;
  END IF;

  RETURN QUERY
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
    RETURNING q.tenant_id, q.id, q.campaign_id, q.user_id, q.phone_e164, q.contact_name,
              q.timezone, q.attempt, q.not_after
  ), system_slots AS (
    UPDATE call_slots s SET in_flight = s.in_flight + (SELECT count(*) FROM claimed)
    WHERE s.holder = 'system'
  ), user_slots AS (
    INSERT INTO call_slots AS s (holder, in_flight, served, last_claim_at)
    SELECT cl.user_id::text, count(*), count(*), p_now FROM claimed cl GROUP BY cl.user_id
    ON CONFLICT (holder) DO UPDATE
      SET in_flight = s.in_flight + excluded.in_flight, served = s.served + excluded.served,
          last_claim_at = excluded.last_claim_at
  ), counters AS (
    UPDATE call_campaigns k
    SET queued_calls = k.queued_calls - n.claimed, active_calls = k.active_calls + n.claimed,
        status = CASE WHEN k.status = 'scheduled' THEN 'running' ELSE k.status END,
        started_at = coalesce(k.started_at, p_now), updated_at = p_now
    FROM (SELECT cl.tenant_id, cl.campaign_id, count(*)::integer AS claimed
          FROM claimed cl GROUP BY 1, 2) n
    WHERE k.tenant_id = n.tenant_id AND k.id = n.campaign_id
  )
  SELECT cl.tenant_id, cl.id, cl.campaign_id, cl.user_id, cl.phone_e164, cl.contact_name,
         cl.timezone, cl.attempt, cl.not_after, k.provider, k.agent_id, k.from_number
  FROM claimed cl
  JOIN call_campaigns k ON k.tenant_id = cl.tenant_id AND k.id = cl.campaign_id;
END
$$;
--> statement-breakpoint

-- Gives a call's slots back (the user's and the system's). Called in the same
-- transaction that moves the row out of dispatching/in_progress, so a slot is
-- released exactly once per claim.
CREATE OR REPLACE FUNCTION release_call_slots(p_user uuid, p_count integer)
RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
  UPDATE call_slots SET in_flight = greatest(in_flight - p_count, 0)
  WHERE holder IN ('system', p_user::text);
$$;
--> statement-breakpoint

-- Rows whose lease ran out (their dispatcher died between claim and provider
-- answer) or calls in progress with no final webhook for too long: the
-- recovery sweep looks at them per tenant. Cross-tenant, hence DEFINER.
-- p_now: the sweep's clock, the same one the claim wrote the lease with.
CREATE OR REPLACE FUNCTION calls_needing_recovery(
  p_stale_in_progress interval, p_limit integer, p_now timestamptz DEFAULT now()
)
RETURNS TABLE (tenant_id uuid, id bigint, status text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
  (SELECT q.tenant_id, q.id, q.status FROM call_queue q
   WHERE q.status = 'dispatching' AND q.lease_expires_at < p_now
   ORDER BY q.lease_expires_at LIMIT p_limit)
  UNION ALL
  (SELECT q.tenant_id, q.id, q.status FROM call_queue q
   WHERE q.status = 'in_progress' AND q.dialled_at < p_now - p_stale_in_progress
   ORDER BY q.dialled_at LIMIT p_limit);
$$;
--> statement-breakpoint

-- Which tenant a webhook path token belongs to (by its SHA-256): the webhook
-- arrives without a session, before any tenant context exists.
CREATE OR REPLACE FUNCTION tenant_for_webhook_token(p_token_hash text)
RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
  SELECT s.tenant_id FROM tenant_call_settings s WHERE s.webhook_token_hash = p_token_hash;
$$;
--> statement-breakpoint

-- Queued rows whose window occurrence closed before they were dialled: the
-- dispatcher reschedules them to the next opening (in JavaScript, schedule.ts).
CREATE OR REPLACE FUNCTION calls_to_reschedule(
  p_margin interval, p_limit integer, p_now timestamptz DEFAULT now()
)
RETURNS TABLE (tenant_id uuid, id bigint, campaign_id uuid, timezone text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
  SELECT q.tenant_id, q.id, q.campaign_id, q.timezone FROM call_queue q
  WHERE q.status = 'queued' AND q.not_after <= p_now + p_margin
  ORDER BY q.not_after LIMIT p_limit;
$$;
--> statement-breakpoint

-- A deleted contact leaves its queue rows behind with contact_id null (the
-- dispatcher then skips them). 0007's composite foreign key would null
-- tenant_id as well, which is NOT NULL, so deleting any contact ever queued
-- failed; only contact_id is set null (PostgreSQL 15+ column list).
ALTER TABLE "call_queue" DROP CONSTRAINT "call_queue_tenant_id_contact_id_contacts_tenant_id_id_fk";--> statement-breakpoint
ALTER TABLE "call_queue" ADD CONSTRAINT "call_queue_tenant_id_contact_id_contacts_tenant_id_id_fk"
  FOREIGN KEY ("tenant_id", "contact_id") REFERENCES "public"."contacts"("tenant_id", "id")
  ON DELETE SET NULL ("contact_id") ON UPDATE no action;
--> statement-breakpoint

-- Restart safety and the 30-second consistency check (DESIGN "Campaign
-- dispatch" 4): recomputes call_slots from the rows that hold slots and each
-- open campaign's counters from its rows, under the dispatcher's lock so no
-- claim moves them meanwhile. Returns one line per correction, for the audit
-- log; in a healthy system it returns nothing.
CREATE OR REPLACE FUNCTION repair_call_bookkeeping()
RETURNS TABLE (tenant_id uuid, campaign_id uuid, what text, was bigint, now_is bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('switchboard:call-dispatch'));
  RETURN QUERY
  WITH held AS (
    SELECT q.user_id::text AS holder, count(*) AS n FROM call_queue q
    WHERE q.status IN ('dispatching', 'in_progress') GROUP BY q.user_id
    UNION ALL
    SELECT 'system', count(*) FROM call_queue q WHERE q.status IN ('dispatching', 'in_progress')
  ), wrong AS (
    SELECT s.holder, s.in_flight AS was, coalesce(h.n, 0) AS should
    FROM call_slots s LEFT JOIN held h ON h.holder = s.holder
    WHERE s.in_flight <> coalesce(h.n, 0)
  ), fixed AS (
    UPDATE call_slots s SET in_flight = w.should FROM wrong w WHERE s.holder = w.holder
    RETURNING s.holder, w.was, w.should
  )
  SELECT NULL::uuid, NULL::uuid, 'slots:' || f.holder, f.was::bigint, f.should::bigint FROM fixed f;

  RETURN QUERY
  WITH counts AS (
    SELECT q.tenant_id, q.campaign_id,
           count(*) FILTER (WHERE q.status = 'queued') AS queued,
           count(*) FILTER (WHERE q.status IN ('dispatching', 'in_progress')) AS active,
           count(*) FILTER (WHERE q.status = 'completed') AS completed,
           count(*) FILTER (WHERE q.status = 'failed') AS failed,
           count(*) FILTER (WHERE q.status = 'cancelled') AS cancelled,
           count(*) FILTER (WHERE q.status = 'skipped') AS skipped
    FROM call_queue q
    JOIN call_campaigns k ON k.tenant_id = q.tenant_id AND k.id = q.campaign_id
    WHERE k.status IN ('running', 'scheduled', 'paused')
    GROUP BY q.tenant_id, q.campaign_id
  ), fixed AS (
    UPDATE call_campaigns k
    SET queued_calls = c.queued, active_calls = c.active, completed_calls = c.completed,
        failed_calls = c.failed, cancelled_calls = c.cancelled, skipped_calls = c.skipped,
        updated_at = now()
    FROM counts c
    WHERE k.tenant_id = c.tenant_id AND k.id = c.campaign_id
      AND (k.queued_calls, k.active_calls, k.completed_calls, k.failed_calls, k.cancelled_calls, k.skipped_calls)
          IS DISTINCT FROM (c.queued, c.active, c.completed, c.failed, c.cancelled, c.skipped)
    RETURNING k.tenant_id, k.id, k.queued_calls + k.active_calls AS open_now
  )
  SELECT f.tenant_id, f.id, 'counters', NULL::bigint, f.open_now::bigint FROM fixed f;
END
$$;
