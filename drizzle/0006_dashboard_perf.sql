CREATE INDEX "hot_list_items_tenant_weighted_asc_idx" ON "hot_list_items" USING btree ("tenant_id","weighted_iff","candidate","opportunity_ct_id");--> statement-breakpoint
CREATE INDEX "hot_list_items_tenant_candidate_idx" ON "hot_list_items" USING btree ("tenant_id","candidate","opportunity_ct_id");--> statement-breakpoint
CREATE INDEX "hot_list_items_tenant_market_asc_idx" ON "hot_list_items" USING btree ("tenant_id","market","candidate","opportunity_ct_id");--> statement-breakpoint
CREATE INDEX "hot_list_items_tenant_market_desc_idx" ON "hot_list_items" USING btree ("tenant_id","market" DESC NULLS LAST,"candidate","opportunity_ct_id");--> statement-breakpoint
CREATE INDEX "hot_list_items_tenant_units_asc_idx" ON "hot_list_items" USING btree ("tenant_id","units","candidate","opportunity_ct_id");--> statement-breakpoint
CREATE INDEX "hot_list_items_tenant_units_desc_idx" ON "hot_list_items" USING btree ("tenant_id","units" DESC NULLS LAST,"candidate","opportunity_ct_id");--> statement-breakpoint
CREATE INDEX "hot_list_items_tenant_likelihood_asc_idx" ON "hot_list_items" USING btree ("tenant_id","likelihood","candidate","opportunity_ct_id");--> statement-breakpoint
CREATE INDEX "hot_list_items_tenant_likelihood_desc_idx" ON "hot_list_items" USING btree ("tenant_id","likelihood" DESC NULLS LAST,"candidate","opportunity_ct_id");--> statement-breakpoint
CREATE INDEX "hot_list_items_tenant_stage_idx" ON "hot_list_items" USING btree ("tenant_id","stage","candidate","opportunity_ct_id");--> statement-breakpoint
-- Notes pages are keyset pages now: a cursor (noted_at, ct_id) replaces the
-- offset, so the old signature goes.
DROP FUNCTION IF EXISTS search_ct_notes(uuid, tsquery, integer, integer);--> statement-breakpoint
-- search_ct_notes (0003, 0004) again: the first p_limit matching notes after
-- the cursor, newest first (undated last), ties by ct_id - the order of the
-- notes list. Still SECURITY DEFINER: `@@` is not leakproof, so under
-- row-level security the planner would not use ct_notes_search_idx. The
-- tenant filter RLS would apply is written out, and the function answers
-- only for the tenant the calling transaction is bound to.
--
-- The work is bounded instead of counting matches first (0004 counted up to
-- 10,001 through the GIN index, ~20 ms for a common word):
-- 1. the newest 1,000 notes after the cursor, walked on
--    ct_notes_tenant_recent_idx and matched row by row (~3 µs a note), stop
--    at a page of matches: enough for any word in more than ~5% of notes;
-- 2. otherwise every match after the cursor through the GIN index, then the
--    top p_limit of them: few, for the words step 1 could not page.
CREATE FUNCTION search_ct_notes(p_tenant uuid, p_query tsquery, p_limit integer,
  p_after_noted_at timestamptz DEFAULT NULL, p_after_ct_id text DEFAULT NULL)
RETURNS TABLE (ct_id text)
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 100
SET search_path = pg_catalog, public
-- Prefix words ('hou:*') are estimated at thousands of rows, enough for a
-- parallel plan, and starting workers costs more (~8 ms) than the scan.
SET max_parallel_workers_per_gather = 0 AS $$
DECLARE
  -- "After the cursor" as two index ranges, dated then undated notes, so a
  -- Merge Append reads ct_notes_tenant_recent_idx from the cursor onwards.
  dated text := CASE
    WHEN p_after_ct_id IS NULL THEN 'n.noted_at IS NOT NULL'
    WHEN p_after_noted_at IS NULL THEN 'false'
    ELSE 'n.noted_at <= $4 AND (n.noted_at < $4 OR n.ct_id > $5)' END;
  undated text := CASE
    WHEN p_after_ct_id IS NOT NULL AND p_after_noted_at IS NULL
      THEN 'n.noted_at IS NULL AND n.ct_id > $5'
    ELSE 'n.noted_at IS NULL' END;
  everything_after text := CASE WHEN p_after_ct_id IS NULL THEN 'true'
    ELSE format('((%s) OR (%s))', dated, undated) END;
  matches constant text := $m$to_tsvector('simple', coalesce(n.author, '') || ' ' || n.content_text) @@ $2$m$;
  page text[];
BEGIN
  IF p_tenant IS DISTINCT FROM nullif(current_setting('app.tenant_id', true), '')::uuid THEN
    RETURN;
  END IF;
  -- EXECUTE plans each statement for this cursor and these words, not generically.
  EXECUTE format($q$
    SELECT array(SELECT n.ct_id FROM (
      SELECT * FROM (
        (SELECT n.ct_id, n.noted_at, n.author, n.content_text FROM ct_notes n
          WHERE n.tenant_id = $1 AND n.deleted_at IS NULL AND %1$s
          ORDER BY n.noted_at DESC NULLS LAST, n.ct_id LIMIT 1000)
        UNION ALL
        (SELECT n.ct_id, n.noted_at, n.author, n.content_text FROM ct_notes n
          WHERE n.tenant_id = $1 AND n.deleted_at IS NULL AND %2$s
          ORDER BY n.noted_at DESC NULLS LAST, n.ct_id LIMIT 1000)) recent
      ORDER BY recent.noted_at DESC NULLS LAST, recent.ct_id LIMIT 1000) n
    WHERE %3$s
    ORDER BY n.noted_at DESC NULLS LAST, n.ct_id
    LIMIT $3)
  $q$, dated, undated, matches) INTO page
  USING p_tenant, p_query, p_limit, p_after_noted_at, p_after_ct_id;
  IF cardinality(page) >= p_limit THEN
    RETURN QUERY SELECT unnest(page);
    RETURN;
  END IF;
  -- Rare words: every match through the GIN index, then the first page.
  -- `IS TRUE` hides the tenant and cursor from the btree indexes: the
  -- planner prices to_tsvector on each of a small tenant's notes far below
  -- its cost (~3 µs a note) and would read them all instead.
  RETURN QUERY EXECUTE format($q$
    WITH found AS MATERIALIZED (
      SELECT n.ct_id, n.noted_at FROM ct_notes n
      WHERE %s AND (n.tenant_id = $1 AND n.deleted_at IS NULL AND %s) IS TRUE)
    SELECT found.ct_id FROM found
    ORDER BY found.noted_at DESC NULLS LAST, found.ct_id
    LIMIT $3
  $q$, matches, everything_after)
  USING p_tenant, p_query, p_limit, p_after_noted_at, p_after_ct_id;
END
$$;
