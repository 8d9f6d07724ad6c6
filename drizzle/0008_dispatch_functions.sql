-- The dispatcher's claim (p_now: the dispatcher's clock; tests pass a fake one).
-- Cross-tenant by nature, so it runs as a SECURITY
-- DEFINER function owned by the migrating role, and the worker can connect as
-- the restricted app role. Everything a claim must keep exact happens here, in
-- one transaction, under one advisory lock (checklist 12):
--   * free slots come from call_slots (system and per user), never from
--     counting in-progress rows, and move in the same transaction as the claim;
--   * users take turns: every user with due rows gets its first row before any
--     user gets a second, the least served first (a user with 1,000 queued
--     rows cannot starve one with 5);
--   * each user's candidates are a bounded, index-ordered slice
--     (call_queue_due_idx), so the cost does not grow with the queue;
--   * rows are claimed only while their window occurrence has at least
--     p_window_margin left, and only for running (or scheduled, which the
--     first claim turns running) campaigns.
-- Row locks are taken in the order every transaction that ends a call takes
-- them (webhook, dial record: the queue row, its campaign, the user's slots,
-- then at commit the system's, see release_call_slots): claimed rows, then
-- their campaigns, then the users' slots, then the system's. In one statement
-- the order of its data-modifying CTEs is unspecified, and a claim holding the
-- system row while waiting for a campaign deadlocked with a webhook holding
-- that campaign while waiting for the system row.
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
  -- Read, not upserted: an upsert would wait for every release committing meanwhile.
  SELECT s.in_flight INTO v_in_flight FROM call_slots s WHERE s.holder = 'system';
  IF NOT FOUND THEN
    INSERT INTO call_slots (holder) VALUES ('system') ON CONFLICT (holder) DO NOTHING;
    v_in_flight := 0;
  END IF;
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

  UPDATE call_slots s SET in_flight = s.in_flight + cardinality(v_ids) WHERE s.holder = 'system';

  RETURN QUERY
  SELECT q.tenant_id, q.id, q.campaign_id, q.user_id, q.phone_e164, q.contact_name,
         q.timezone, q.attempt, q.not_after, k.provider, k.agent_id, k.from_number
  FROM unnest(v_tenants, v_ids) WITH ORDINALITY AS c(tenant_id, id, n)
  JOIN call_queue q ON q.tenant_id = c.tenant_id AND q.id = c.id
  JOIN call_campaigns k ON k.tenant_id = q.tenant_id AND k.id = q.campaign_id
  ORDER BY c.n;
END
$$;
--> statement-breakpoint

-- Gives a call's slots back (the user's and the system's). Called in the same
-- transaction that moves the row out of dispatching/in_progress, so a slot is
-- released exactly once per claim. The user's row is updated now; the
-- system's, which every release in the deployment shares, when the
-- transaction commits (call_slots_release_system, deferred): holding that one
-- row from the release to the end of a webhook's transaction serialised all
-- webhooks behind each other's remaining statements and round trips. Both move
-- in the same commit, so readers still see slots that match the rows.
CREATE OR REPLACE FUNCTION release_call_slots(p_user uuid, p_count integer)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
BEGIN
  PERFORM set_config('switchboard.releasing_slots', 'on', true);
  UPDATE call_slots SET in_flight = greatest(in_flight - p_count, 0)
  WHERE holder = p_user::text AND in_flight >= p_count;
  IF NOT FOUND THEN
    -- The user's row is missing or holds fewer than p_count (only after a
    -- bookkeeping error, which repair_call_bookkeeping corrects): as before,
    -- both rows give back what they can, now.
    PERFORM set_config('switchboard.releasing_slots', '', true);
    UPDATE call_slots SET in_flight = greatest(in_flight - p_count, 0)
    WHERE holder IN ('system', p_user::text);
  END IF;
  PERFORM set_config('switchboard.releasing_slots', '', true);
END
$$;
--> statement-breakpoint

-- The system's share of a release, at commit (see release_call_slots): the
-- user's row gave back OLD - NEW slots. Only releases queue it (the setting is
-- read when the row is updated); claims and repairs move the system's row
-- themselves.
CREATE OR REPLACE FUNCTION call_slots_release_system()
RETURNS trigger
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
BEGIN
  UPDATE call_slots SET in_flight = greatest(in_flight - (OLD.in_flight - NEW.in_flight), 0)
  WHERE holder = 'system';
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER call_slots_release_system
  AFTER UPDATE ON call_slots
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW
  WHEN (OLD.holder <> 'system' AND NEW.in_flight < OLD.in_flight
        AND current_setting('switchboard.releasing_slots', true) = 'on')
  EXECUTE FUNCTION call_slots_release_system();
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
--> statement-breakpoint

-- Provider API keys' shared budgets (issue 6 §4, checklist 26): one row per
-- provider key, read and moved only under its row lock, so every dispatcher
-- process sees one token bucket and one circuit breaker per key.
--   key: 'bolna:' || hex SHA-256 of the API key (never the key itself), or a
--        fixed name for the simulator.
--   token_units, refilled_at: the bucket held token_units / 60,000,000 tokens
--        at refilled_at. In these units a rate of r tokens a minute refills
--        exactly r units a microsecond (timestamps' resolution), so the
--        arithmetic is exact integers and no token appears early or late by
--        rounding. After a provider 429 refilled_at lies ahead with 0 units:
--        nothing refills before then.
--   deferred_until: the last token slot promised to a call sent back to the
--        queue for want of a token, so the next ones line up behind it instead
--        of all coming back at once.
--   consecutive_failures, open_until, probe_started_at: the breaker. Closed
--        while open_until is null; open (no dial) until open_until; once that
--        passes, one probe is let through (probe_started_at is set and
--        open_until becomes the probe's lease); the probe's success closes the
--        breaker, its failure opens it again.
-- Raw SQL on purpose, not in src/lib/db/schema: only these functions touch
-- the table (the app never reads it through drizzle), and adding it to the
-- drizzle schema would make the migration snapshot of the schema work landing
-- alongside this one disagree with the schema files. No tenant_id: a key may
-- be the deployment's, shared by tenants, and a row holds nothing a tenant owns.
CREATE TABLE provider_rate_buckets (
  key text PRIMARY KEY,
  token_units bigint NOT NULL,
  refilled_at timestamptz NOT NULL,
  deferred_until timestamptz,
  consecutive_failures integer NOT NULL DEFAULT 0,
  open_until timestamptz,
  probe_started_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint

-- Takes up to p_want tokens from p_key's bucket (p_rate_per_minute, holding
-- at most p_burst) at p_now and returns how many it granted. The row lock
-- queues concurrent takers (any number of dispatchers), so no token is
-- granted twice; a bucket that never holds more than p_burst grants at most
-- p_burst + p_rate_per_minute in any 60 seconds. A p_now behind refilled_at
-- (a slower clock, or a 429's pause) refills nothing.
CREATE OR REPLACE FUNCTION take_provider_tokens(
  p_key text, p_rate_per_minute integer, p_burst integer, p_want integer, p_now timestamptz
)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
DECLARE
  v_unit constant bigint := 60000000;
  v_cap bigint := greatest(p_burst, 1) * v_unit;
  v_units bigint;
  v_at timestamptz;
  v_granted integer;
BEGIN
  IF p_want <= 0 THEN
    RETURN 0;
  END IF;
  INSERT INTO provider_rate_buckets (key, token_units, refilled_at) VALUES (p_key, v_cap, p_now)
  ON CONFLICT (key) DO NOTHING;
  SELECT b.token_units, b.refilled_at INTO v_units, v_at
  FROM provider_rate_buckets b WHERE b.key = p_key FOR UPDATE;
  IF p_now > v_at THEN
    -- numeric: microseconds × rate may pass bigint after a long idle spell.
    v_units := least(v_cap::numeric,
                     v_units + extract(epoch FROM p_now - v_at) * 1000000
                               * greatest(p_rate_per_minute, 0))::bigint;
    v_at := p_now;
  END IF;
  v_granted := least(p_want, v_units / v_unit)::integer;
  UPDATE provider_rate_buckets b
  SET token_units = v_units - v_granted * v_unit, refilled_at = v_at, updated_at = now()
  WHERE b.key = p_key;
  RETURN v_granted;
END
$$;
--> statement-breakpoint

-- What a dispatcher may dial now with p_key, for a claimed batch of p_want
-- calls: the breaker first (open: none; half-open: one probe, whose lease is
-- p_open_for), then tokens. Returns how many it granted (the batch's first
-- ones), why the rest wait ('rate_limited': no token; 'open' / 'probing': the
-- breaker; 'probe': this batch carries the probe; 'closed': none waits), when
-- the first waiting call may come back and how far apart the next ones
-- should (a token each), and the failures in a row it saw (callers report a
-- success only when that is above zero).
CREATE OR REPLACE FUNCTION admit_provider_calls(
  p_key text, p_rate_per_minute integer, p_burst integer, p_want integer,
  p_open_for interval, p_now timestamptz
)
RETURNS TABLE (granted integer, state text, retry_at timestamptz, spacing_ms double precision,
               failures integer)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
DECLARE
  v_unit constant bigint := 60000000;
  v_rate integer := greatest(p_rate_per_minute, 1);
  v_spacing interval := make_interval(secs => 60.0 / greatest(p_rate_per_minute, 1));
  b provider_rate_buckets%ROWTYPE;
  v_allowed integer := p_want;
  v_state text := 'closed';
  v_granted integer;
  v_retry timestamptz := NULL;
BEGIN
  INSERT INTO provider_rate_buckets (key, token_units, refilled_at)
  VALUES (p_key, greatest(p_burst, 1) * v_unit, p_now)
  ON CONFLICT (key) DO NOTHING;
  SELECT * INTO b FROM provider_rate_buckets x WHERE x.key = p_key FOR UPDATE;
  IF b.open_until > p_now THEN
    RETURN QUERY SELECT 0,
      CASE WHEN b.probe_started_at IS NULL THEN 'open' ELSE 'probing' END,
      b.open_until, extract(epoch FROM v_spacing)::double precision * 1000,
      b.consecutive_failures;
    RETURN;
  END IF;
  IF b.open_until IS NOT NULL THEN
    v_allowed := least(p_want, 1);
    v_state := 'probe';
  END IF;

  v_granted := take_provider_tokens(p_key, p_rate_per_minute, p_burst, v_allowed, p_now);
  SELECT * INTO b FROM provider_rate_buckets x WHERE x.key = p_key;

  IF v_state = 'probe' AND v_granted > 0 THEN
    UPDATE provider_rate_buckets x SET open_until = p_now + p_open_for, probe_started_at = p_now
    WHERE x.key = p_key;
    v_retry := p_now + p_open_for;
  END IF;
  IF v_granted < v_allowed THEN
    -- Short of tokens: the first waiting call gets the first token the bucket
    -- will make that no call sent back before was promised; the rest follow.
    v_state := 'rate_limited';
    v_retry := greatest(
      greatest(b.refilled_at, p_now)
        + make_interval(secs => ceil((v_unit - b.token_units)::numeric / v_rate) / 1000000.0),
      b.deferred_until + v_spacing);
    UPDATE provider_rate_buckets x
    SET deferred_until = v_retry + (p_want - v_granted - 1) * v_spacing
    WHERE x.key = p_key;
  ELSIF b.token_units >= v_unit AND b.deferred_until IS NOT NULL THEN
    -- Tokens to spare: nobody is waiting for them any more.
    UPDATE provider_rate_buckets x SET deferred_until = NULL WHERE x.key = p_key;
  END IF;
  RETURN QUERY SELECT v_granted, v_state, v_retry,
    extract(epoch FROM v_spacing)::double precision * 1000, b.consecutive_failures;
END
$$;
--> statement-breakpoint

-- What came of one dial with p_key: 'success' (the provider answered) resets
-- the failure count and closes the breaker; 'failure' (5xx, timeout, network)
-- counts, opens the breaker for p_open_for at p_failure_threshold in a row,
-- and re-opens it when it is the probe's; 'rate_limited' (a 429) empties the
-- bucket and stops its refill until p_now + p_retry_after. Returns the
-- breaker's state after it: 'closed' or 'open'.
CREATE OR REPLACE FUNCTION record_provider_outcome(
  p_key text, p_outcome text, p_failure_threshold integer, p_open_for interval,
  p_retry_after interval, p_now timestamptz
)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
DECLARE
  b provider_rate_buckets%ROWTYPE;
BEGIN
  IF p_outcome = 'success' THEN
    UPDATE provider_rate_buckets x
    SET consecutive_failures = 0, open_until = NULL, probe_started_at = NULL, updated_at = now()
    WHERE x.key = p_key AND (x.consecutive_failures > 0 OR x.open_until IS NOT NULL);
    RETURN 'closed';
  END IF;
  IF p_outcome NOT IN ('failure', 'rate_limited') THEN
    RAISE EXCEPTION 'record_provider_outcome: unknown outcome %', p_outcome;
  END IF;
  INSERT INTO provider_rate_buckets (key, token_units, refilled_at) VALUES (p_key, 0, p_now)
  ON CONFLICT (key) DO NOTHING;
  SELECT * INTO b FROM provider_rate_buckets x WHERE x.key = p_key FOR UPDATE;
  IF p_outcome = 'rate_limited' THEN
    UPDATE provider_rate_buckets x
    SET token_units = 0, refilled_at = greatest(x.refilled_at, p_now + p_retry_after),
        updated_at = now()
    WHERE x.key = p_key;
  ELSE
    b.consecutive_failures := b.consecutive_failures + 1;
    IF b.probe_started_at IS NOT NULL
       OR (b.open_until IS NULL AND b.consecutive_failures >= p_failure_threshold) THEN
      b.open_until := p_now + p_open_for;
      b.probe_started_at := NULL;
    END IF;
    UPDATE provider_rate_buckets x
    SET consecutive_failures = b.consecutive_failures, open_until = b.open_until,
        probe_started_at = b.probe_started_at, updated_at = now()
    WHERE x.key = p_key;
  END IF;
  RETURN CASE WHEN b.open_until IS NULL THEN 'closed' ELSE 'open' END;
END
$$;
