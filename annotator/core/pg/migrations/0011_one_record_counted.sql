-- 0011: one person's record of a document counted on its own (decision record 0111).
-- A record written on its own (an edit through apply_edit: a document's first annotation, a
-- status changed, time spent) counted its whole document again with progress_recount: one
-- statement of joins, aggregates and four writes, which a new server process plans before it
-- runs it (about 4 ms of the server's processor, against 1 ms to run it; the planning is
-- kept for the connection). Fifty desktops opening at once start fifty processes, each of
-- which pays it on its first write.
-- Here such a write counts only the person it changes, in a few statements of one row each:
-- lock the document's kept state, read the person's assignment and record (after the lock,
-- as the recount does), compare with their place in the kept state, append the difference,
-- keep the new state. The other people of the document are not read: their places change
-- only when their own rows do, and each such change is counted under the same lock.
-- It applies when the document's state is kept and the person already has a place in it
-- and keeps one (assigned, or with a record): every other case (a person outside the plan
-- writing their first record, a record taken back by someone not assigned, a document not
-- yet counted, a row moved to another document, statements of many rows, assignments,
-- documents) counts the document again as before. The counts are the same either way.

CREATE FUNCTION progress_count_one(p integer, doc text, person text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = annotator, pg_catalog
SET extra_float_digits = 1  -- float8 as text: the shortest form that reads back the same
AS $$
DECLARE
    s progress_docs;
    i integer;
    now_assigned boolean;
    now_status text;
    now_seconds numeric;
    now_hash bigint;
    new_assigned boolean[];
    new_status text[];
    new_team text[];
    new_done text[];
BEGIN
    SELECT k.* INTO s FROM progress_docs k
     WHERE k.project_id = p AND k.document_id = doc FOR UPDATE;
    i := array_position(s.who, person);  -- NULL when there is no kept state
    IF i IS NULL THEN
        RETURN false;
    END IF;
    -- read after the lock: a change counted before this one is seen
    SELECT EXISTS (SELECT 1 FROM assignments x
                    WHERE x.project_id = p AND x.document_id = doc AND x.annotator = person),
           y.status, y.seconds::text::numeric,
           CASE WHEN y.status = 'done' THEN hashtextextended(
               y.annotator || '/' || y.document_id || '/' || y.revision || '/'
               || y.text_sha256 || '/' || y.spans::text || '/' || y.meta::text, 0) END
      INTO now_assigned, now_status, now_seconds, now_hash
      FROM (SELECT) AS one
      LEFT JOIN annotations y
        ON y.project_id = p AND y.document_id = doc AND y.annotator = person
       AND NOT y.untouched;
    IF NOT (now_assigned OR now_status IS NOT NULL) THEN
        RETURN false;  -- the person leaves the document's state: counted whole
    END IF;
    IF (now_assigned, now_status, now_seconds, now_hash)
       IS NOT DISTINCT FROM (s.assigned[i], s.status[i], s.seconds[i], s.hash[i]) THEN
        RETURN true;
    END IF;
    -- the person's new place counted in, the old one out (the recount's sums over these two
    -- places; a place that changed changes at least one of them)
    INSERT INTO progress_people (project_id, annotator, assigned, done, skipped, started,
                                 seconds, outside, all_done, all_skipped, all_started,
                                 all_seconds, done_hash)
    VALUES (p, person,
            now_assigned::integer - s.assigned[i]::integer,
            CASE WHEN now_assigned AND now_status = 'done' THEN 1 ELSE 0 END
            - CASE WHEN s.assigned[i] AND s.status[i] = 'done' THEN 1 ELSE 0 END,
            CASE WHEN now_assigned AND now_status = 'skipped' THEN 1 ELSE 0 END
            - CASE WHEN s.assigned[i] AND s.status[i] = 'skipped' THEN 1 ELSE 0 END,
            CASE WHEN now_assigned AND now_status = 'in_progress' THEN 1 ELSE 0 END
            - CASE WHEN s.assigned[i] AND s.status[i] = 'in_progress' THEN 1 ELSE 0 END,
            CASE WHEN now_assigned THEN coalesce(now_seconds, 0) ELSE 0 END
            - CASE WHEN s.assigned[i] THEN coalesce(s.seconds[i], 0) ELSE 0 END,
            (NOT now_assigned)::integer - (NOT s.assigned[i])::integer,
            CASE WHEN now_status = 'done' THEN 1 ELSE 0 END
            - CASE WHEN s.status[i] = 'done' THEN 1 ELSE 0 END,
            CASE WHEN now_status = 'skipped' THEN 1 ELSE 0 END
            - CASE WHEN s.status[i] = 'skipped' THEN 1 ELSE 0 END,
            CASE WHEN now_status = 'in_progress' THEN 1 ELSE 0 END
            - CASE WHEN s.status[i] = 'in_progress' THEN 1 ELSE 0 END,
            coalesce(now_seconds, 0) - coalesce(s.seconds[i], 0),
            CASE WHEN now_status = 'done' THEN now_hash::numeric ELSE 0 END
            - CASE WHEN s.status[i] = 'done' THEN s.hash[i]::numeric ELSE 0 END);
    new_team := s.team;
    new_done := s.done;
    IF now_assigned IS DISTINCT FROM s.assigned[i]
       OR (now_status = 'done') IS DISTINCT FROM (s.status[i] = 'done') THEN
        -- who is assigned, who has it done: the document moves to another combination
        new_assigned := s.assigned;
        new_assigned[i] := now_assigned;
        new_status := s.status;
        new_status[i] := now_status;
        new_team := ARRAY(SELECT u.w FROM unnest(s.who, new_assigned) AS u(w, a)
                           WHERE u.a ORDER BY u.w COLLATE "C");
        new_done := ARRAY(SELECT u.w FROM unnest(s.who, new_status) AS u(w, t)
                           WHERE u.t = 'done' ORDER BY u.w COLLATE "C");
        INSERT INTO progress_combos (project_id, team, done, n)
        SELECT p, c.team, c.done, c.n
          FROM (VALUES (new_team, new_done, 1), (s.team, s.done, -1)) AS c(team, done, n)
         WHERE c.team <> '{}' OR c.done <> '{}';
    END IF;
    UPDATE progress_docs k
       SET assigned[i] = now_assigned, status[i] = now_status, seconds[i] = now_seconds,
           hash[i] = now_hash, team = new_team, done = new_done
     WHERE k.project_id = p AND k.document_id = doc;
    RETURN true;
END
$$;

-- Records inserted: one record on its own counted as above, any other statement as before.
CREATE FUNCTION progress_records_added() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = annotator, pg_catalog
AS $$
DECLARE
    n bigint;
    p integer;
    doc text;
    person text;
    docs text[];
BEGIN
    SELECT count(*), min(c.project_id), min(c.document_id), min(c.annotator)
      INTO n, p, doc, person FROM changed c;
    IF n = 1 AND progress_count_one(p, doc, person) THEN
        RETURN NULL;
    END IF;
    FOR p, docs IN
        SELECT c.project_id, array_agg(DISTINCT c.document_id) FROM changed c GROUP BY 1
    LOOP
        PERFORM progress_recount(p, docs);
    END LOOP;
    RETURN NULL;
END
$$;

-- One row updated in a way the counts see: a record that stays the same person's record of
-- the same document counted as above.
CREATE OR REPLACE FUNCTION progress_row_updated() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = annotator, pg_catalog
AS $$
BEGIN
    IF TG_TABLE_NAME = 'annotations' AND OLD.project_id = NEW.project_id
       AND OLD.document_id = NEW.document_id AND OLD.annotator = NEW.annotator
       AND progress_count_one(NEW.project_id, NEW.document_id, NEW.annotator) THEN
        RETURN NULL;
    END IF;
    PERFORM progress_recount(NEW.project_id, ARRAY[NEW.document_id]);
    IF OLD.project_id <> NEW.project_id OR OLD.document_id <> NEW.document_id THEN
        PERFORM progress_recount(OLD.project_id, ARRAY[OLD.document_id]);
    END IF;
    RETURN NULL;
END
$$;

DROP TRIGGER annotations_progress_insert ON annotations;
CREATE TRIGGER annotations_progress_insert AFTER INSERT ON annotations
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION progress_records_added();

REVOKE ALL ON FUNCTION progress_count_one(integer, text, text), progress_records_added()
    FROM PUBLIC;
