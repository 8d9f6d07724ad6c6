DROP INDEX "ct_notes_tenant_noted_idx";--> statement-breakpoint
CREATE INDEX "ct_notes_tenant_recent_idx" ON "ct_notes" USING btree ("tenant_id","noted_at" DESC NULLS LAST,"ct_id") WHERE "ct_notes"."deleted_at" is null;--> statement-breakpoint
-- search_ct_notes (0003) again, choosing its plan by how common the words are.
-- Still SECURITY DEFINER: `@@` is not leakproof, so under row-level security
-- the planner would not use ct_notes_search_idx and would parse every note of
-- the tenant. The tenant filter RLS would apply is written out, and the
-- function answers only for the tenant the calling transaction is bound to.
-- Its owner (the migrating role) must bypass RLS for the index to be used;
-- otherwise the answers are the same, only slower.
CREATE OR REPLACE FUNCTION search_ct_notes(p_tenant uuid, p_query tsquery, p_limit integer, p_offset integer)
RETURNS TABLE (ct_id text)
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 100
SET search_path = pg_catalog, public AS $$
DECLARE
  matches integer;
BEGIN
  IF p_tenant IS DISTINCT FROM nullif(current_setting('app.tenant_id', true), '')::uuid THEN
    RETURN;
  END IF;
  -- EXECUTE plans each statement for these words rather than generically.
  -- First, how common are they? The GIN index counts up to 10,001 quickly.
  EXECUTE $q$
    SELECT count(*)::int FROM (SELECT 1 FROM ct_notes n
      WHERE n.tenant_id = $1 AND n.deleted_at IS NULL
        AND to_tsvector('simple', coalesce(n.author, '') || ' ' || n.content_text) @@ $2
      LIMIT 10001) probe
  $q$ INTO matches USING p_tenant, p_query;
  IF matches > 10000 AND p_offset + p_limit <= 200 THEN
    -- Common words, first pages: walking ct_notes_tenant_recent_idx newest
    -- first meets a page of matches within a few thousand notes; sorting
    -- every match would read tens of thousands. `IS TRUE` hides the match
    -- from the GIN index, whose prefix estimates are too low to trust here.
    RETURN QUERY EXECUTE $q$
      SELECT n.ct_id FROM ct_notes n
      WHERE n.tenant_id = $1 AND n.deleted_at IS NULL
        AND (to_tsvector('simple', coalesce(n.author, '') || ' ' || n.content_text) @@ $2) IS TRUE
      ORDER BY n.noted_at DESC NULLS LAST, n.ct_id
      LIMIT $3 OFFSET $4
    $q$ USING p_tenant, p_query, p_limit, p_offset;
  ELSE
    -- Rare words, or a deep page: every match through the GIN index, then sorted.
    RETURN QUERY EXECUTE $q$
      WITH found AS MATERIALIZED (
        SELECT n.ct_id, n.noted_at FROM ct_notes n
        WHERE n.tenant_id = $1 AND n.deleted_at IS NULL
          AND to_tsvector('simple', coalesce(n.author, '') || ' ' || n.content_text) @@ $2)
      SELECT found.ct_id FROM found
      ORDER BY found.noted_at DESC NULLS LAST, found.ct_id
      LIMIT $3 OFFSET $4
    $q$ USING p_tenant, p_query, p_limit, p_offset;
  END IF;
END
$$;
