-- 0009: each annotation's spans also kept as columns, taken out of the JSON when the row is
-- written (decision record 0107). Computing agreement parts reads every annotation's starts,
-- ends and labels; taking them out of the JSON at that time (jsonb_path_query_array, decision
-- record 0101) was most of the server's work in a project's first report (5-10 s of 300,000
-- annotations). Taken out once, as the row is written, by the statement that writes it, they
-- cost a few microseconds per write and nothing at report time.
-- The values are the very ones the JSON holds, as its text (a float stays a float, a label
-- keeps its quotes); where the spans are not all objects with the three keys, the column is
-- NULL and the reader takes the JSON whole, as before.

CREATE FUNCTION span_columns(spans jsonb) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN jsonb_array_length(s) = n AND jsonb_array_length(e) = n
                     AND jsonb_array_length(l) = n
                THEN ARRAY[s::text, e::text, l::text] END
      FROM (SELECT jsonb_path_query_array(spans, 'strict $[*].start', '{}', true) AS s,
                   jsonb_path_query_array(spans, 'strict $[*].end', '{}', true) AS e,
                   jsonb_path_query_array(spans, 'strict $[*].label', '{}', true) AS l,
                   jsonb_array_length(spans) AS n) AS x
$$;

-- computed by every INSERT and UPDATE (apply_edit, push, import, COPY) and rewritten here once
ALTER TABLE annotations
    ADD COLUMN span_columns text[] GENERATED ALWAYS AS (span_columns(spans)) STORED;
