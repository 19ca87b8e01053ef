-- 0009: each annotation's spans also kept as columns, taken out of the JSON when the row is
-- written (decision record 0107). Computing agreement parts reads every annotation's starts,
-- ends and labels; taking them out of the JSON at that time (jsonb_path_query_array, decision
-- record 0101) was most of the server's work in a project's first report. Taken out once, as
-- the row is written, by the statement that writes it, they cost about ten microseconds of a
-- write and nothing at report time.
-- The values are the very ones the JSON holds, as its text (a float stays a float, a label
-- keeps its quotes); where the spans are not all objects with the three keys, the column is
-- NULL and the reader takes the JSON whole, as before.
-- PL/pgSQL, not SQL: a SQL function is planned again by every statement that writes a row
-- (0.1-0.2 ms of each edit, measured); PL/pgSQL keeps its plans for the connection. Every
-- function it calls is named with its schema, so no search_path can stand in for one.

CREATE FUNCTION span_columns(spans jsonb) RETURNS text[]
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
DECLARE
    n integer := pg_catalog.jsonb_array_length(spans);
    s jsonb := pg_catalog.jsonb_path_query_array(spans, 'strict $[*].start', '{}', true);
    e jsonb := pg_catalog.jsonb_path_query_array(spans, 'strict $[*].end', '{}', true);
    l jsonb := pg_catalog.jsonb_path_query_array(spans, 'strict $[*].label', '{}', true);
BEGIN
    IF pg_catalog.jsonb_array_length(s) = n AND pg_catalog.jsonb_array_length(e) = n
       AND pg_catalog.jsonb_array_length(l) = n THEN
        RETURN ARRAY[s::text, e::text, l::text];
    END IF;
    RETURN NULL;
END
$$;

-- computed by every INSERT and UPDATE (apply_edit, push, import, COPY); the existing rows
-- are rewritten here once (12 s for 300,000 annotations, measured)
ALTER TABLE annotations
    ADD COLUMN span_columns text[] GENERATED ALWAYS AS (span_columns(spans)) STORED;
