-- Parsers for ClientTether's string scalars, used by the sync's set-based
-- normalisation. They return NULL for anything malformed instead of raising,
-- so one bad record can't fail a whole run.

CREATE OR REPLACE FUNCTION ct_numeric(value text) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN btrim(value) ~ '^-?[0-9]{1,12}(\.[0-9]{1,4})?$' THEN btrim(value)::numeric END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION ct_int(value text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN btrim(value) ~ '^-?[0-9]{1,9}(\.[0-9]+)?$' THEN round(btrim(value)::numeric)::integer END
$$;
--> statement-breakpoint
-- 'YYYY-MM-DD HH:MM:SS' in the account's local time (ClientTether sends no zone).
CREATE OR REPLACE FUNCTION ct_timestamp(value text, zone text) RETURNS timestamptz
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
  IF value IS NULL OR value !~ '^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$' THEN
    RETURN NULL;
  END IF;
  RETURN value::timestamp AT TIME ZONE zone;
EXCEPTION WHEN others THEN
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Notes arrive as HTML; search and previews want text.
CREATE OR REPLACE FUNCTION html_to_text(html text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT btrim(regexp_replace(
    replace(replace(replace(replace(replace(replace(
      regexp_replace(coalesce(html, ''), '<[^>]*>', ' ', 'g'),
      '&nbsp;', ' '), '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''), '&amp;', '&'),
    '\s+', ' ', 'g'))
$$;
