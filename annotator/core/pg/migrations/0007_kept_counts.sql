-- 0007: the lead's progress table and report digest kept by the server as rows change
-- (decision record 0097). The progress query of 0004 and the digest of the kept report read
-- every assignment and annotation of the project (300,000 rows at 3 x 100,000 documents:
-- seconds on two busy cores). Here triggers keep the counts up to date as rows change, so
-- both read a few rows:
-- * progress_docs: per document, who is assigned and each one's record (status, seconds,
--   a hash of a done record's content), the state the counts were last made from. Its row is
--   also the lock that puts two changes of one document in turn (two annotators finishing it
--   at once, a lead reassigning it meanwhile).
-- * progress_people: per annotator, counts and sums (assigned, done, skipped, started,
--   seconds, outside the plan, the same over every record, and the sum of the done records'
--   hashes); progress_combos: per combination of "who is assigned" and "who has it done", how
--   many documents; progress_projects: per project, its documents and the sum of their hashes.
--   These three hold differences, appended by the triggers (no row that 50 desktops update in
--   turn) and folded into one row per key by a lead's read (progress_fold).
-- A change is counted by difference: the document's rows are read again (under the lock) and
-- compared with the state kept for it. A span edit of a document in progress changes none of
-- it and fires nothing (annotations_progress_update's WHEN); inserts and deletes are counted
-- per statement, so a COPY of 100,000 rows is one count.
-- Seconds are summed exactly, as numbers in their shortest decimal form (the JSONL's), so a
-- sum does not depend on the order it was made in.

LOCK TABLE documents, assignments, annotations IN SHARE ROW EXCLUSIVE MODE;

CREATE TABLE progress_docs (
    project_id integer NOT NULL,
    document_id text NOT NULL,
    who text[] COLLATE "C" NOT NULL DEFAULT '{}',  -- in code point order; the arrays below
    assigned boolean[] NOT NULL DEFAULT '{}',      -- are aligned with it
    status text[] NOT NULL DEFAULT '{}',           -- NULL: no record (or untouched)
    seconds numeric[] NOT NULL DEFAULT '{}',
    hash bigint[] NOT NULL DEFAULT '{}',           -- a done record's content; else NULL
    team text[] COLLATE "C" NOT NULL DEFAULT '{}', -- who is assigned
    done text[] COLLATE "C" NOT NULL DEFAULT '{}', -- who has it done
    PRIMARY KEY (project_id, document_id)
);

CREATE TABLE progress_people (
    project_id integer NOT NULL,
    annotator text NOT NULL,
    assigned bigint NOT NULL,
    done bigint NOT NULL,
    skipped bigint NOT NULL,
    started bigint NOT NULL,
    seconds numeric NOT NULL,
    outside bigint NOT NULL,
    all_done bigint NOT NULL,
    all_skipped bigint NOT NULL,
    all_started bigint NOT NULL,
    all_seconds numeric NOT NULL,
    done_hash numeric NOT NULL,
    kept boolean NOT NULL DEFAULT false  -- true: folded
);
CREATE INDEX progress_people_project ON progress_people (project_id);

CREATE TABLE progress_combos (
    project_id integer NOT NULL,
    team text[] COLLATE "C" NOT NULL,
    done text[] COLLATE "C" NOT NULL,
    n bigint NOT NULL,
    kept boolean NOT NULL DEFAULT false
);
CREATE INDEX progress_combos_project ON progress_combos (project_id);

CREATE TABLE progress_projects (
    project_id integer NOT NULL,
    documents bigint NOT NULL,
    doc_hash numeric NOT NULL,
    kept boolean NOT NULL DEFAULT false
);
CREATE INDEX progress_projects_project ON progress_projects (project_id);

-- A document's part of the report digest: what the report shows of it.
CREATE FUNCTION document_hash(id text, pos bigint, sha text, meta json) RETURNS numeric
LANGUAGE sql IMMUTABLE
AS $$
    SELECT hashtextextended(id || '/' || pos || '/' || sha || '/' || coalesce(meta::text, ''), 0)::numeric
$$;

-- Count the documents `docs` of project `p` again: read their rows, compare with the state
-- kept for them, append the differences, keep the new state.
CREATE FUNCTION progress_recount(p integer, docs text[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = annotator, pg_catalog
SET extra_float_digits = 1  -- float8 as text: the shortest form that reads back the same
-- one plan for every call: a plan made for each call's documents cost more than the count
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
    INSERT INTO progress_docs (project_id, document_id)
    SELECT p, d FROM unnest(docs) d ORDER BY d COLLATE "C"
        ON CONFLICT DO NOTHING;
    -- in one order, so that two counts never wait for each other's rows
    PERFORM 1 FROM progress_docs s
      WHERE s.project_id = p AND s.document_id = ANY(docs)
      ORDER BY s.document_id COLLATE "C" FOR UPDATE;
    -- read after the lock: a change counted before this one is seen
    WITH now_rows AS (
        SELECT coalesce(a.document_id, r.document_id) AS doc,
               coalesce(a.annotator, r.annotator) COLLATE "C" AS who,
               a.annotator IS NOT NULL AS assigned,
               r.status,
               r.seconds::text::numeric AS seconds,
               CASE WHEN r.status = 'done' THEN hashtextextended(
                   r.annotator || '/' || r.document_id || '/' || r.revision || '/'
                   || r.text_sha256 || '/' || r.spans::text || '/' || r.meta::text, 0) END AS hash
          FROM (SELECT x.document_id, x.annotator FROM assignments x
                 WHERE x.project_id = p AND x.document_id = ANY(docs)) a
          FULL JOIN (SELECT y.document_id, y.annotator, y.status, y.seconds, y.revision,
                            y.text_sha256, y.spans, y.meta
                       FROM annotations y
                      WHERE y.project_id = p AND y.document_id = ANY(docs) AND NOT y.untouched) r
            ON r.document_id = a.document_id AND r.annotator = a.annotator
         WHERE EXISTS (SELECT 1 FROM documents d
                        WHERE d.project_id = p AND d.id = coalesce(a.document_id, r.document_id))
    ), now_docs AS (
        SELECT doc,
               array_agg(who ORDER BY who) AS who,
               array_agg(assigned ORDER BY who) AS assigned,
               array_agg(status ORDER BY who) AS status,
               array_agg(seconds ORDER BY who) AS seconds,
               array_agg(hash ORDER BY who) AS hash,
               coalesce(array_agg(who ORDER BY who) FILTER (WHERE assigned), '{}') AS team,
               coalesce(array_agg(who ORDER BY who) FILTER (WHERE status = 'done'), '{}') AS done
          FROM now_rows GROUP BY doc
    ), kept_docs AS (
        SELECT s.* FROM progress_docs s WHERE s.project_id = p AND s.document_id = ANY(docs)
    ), changes AS (
        SELECT 1 AS sign, who, assigned, status, seconds, hash FROM now_rows
        UNION ALL
        SELECT -1, u.who, u.assigned, u.status, u.seconds, u.hash
          FROM kept_docs s,
               unnest(s.who, s.assigned, s.status, s.seconds, s.hash)
                   AS u(who, assigned, status, seconds, hash)
    ), people AS (
        INSERT INTO progress_people (project_id, annotator, assigned, done, skipped, started,
                                     seconds, outside, all_done, all_skipped, all_started,
                                     all_seconds, done_hash)
        SELECT p, g.* FROM (
            SELECT who,
                   sum(CASE WHEN assigned THEN sign ELSE 0 END) AS assigned,
                   sum(CASE WHEN assigned AND status = 'done' THEN sign ELSE 0 END) AS done,
                   sum(CASE WHEN assigned AND status = 'skipped' THEN sign ELSE 0 END) AS skipped,
                   sum(CASE WHEN assigned AND status = 'in_progress' THEN sign ELSE 0 END) AS started,
                   sum(CASE WHEN assigned THEN sign * coalesce(seconds, 0) ELSE 0 END) AS seconds,
                   sum(CASE WHEN NOT assigned THEN sign ELSE 0 END) AS outside,
                   sum(CASE WHEN status = 'done' THEN sign ELSE 0 END) AS all_done,
                   sum(CASE WHEN status = 'skipped' THEN sign ELSE 0 END) AS all_skipped,
                   sum(CASE WHEN status = 'in_progress' THEN sign ELSE 0 END) AS all_started,
                   sum(sign * coalesce(seconds, 0)) AS all_seconds,
                   sum(CASE WHEN status = 'done' THEN sign * hash::numeric ELSE 0 END) AS done_hash
              FROM changes GROUP BY who) g
         WHERE (g.assigned, g.done, g.skipped, g.started, g.seconds, g.outside, g.all_done,
                g.all_skipped, g.all_started, g.all_seconds, g.done_hash)
               <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    ), combos AS (
        INSERT INTO progress_combos (project_id, team, done, n)
        SELECT p, c.team, c.done, sum(c.sign) FROM (
            SELECT 1 AS sign, team, done FROM now_docs
            UNION ALL
            SELECT -1, team, done FROM kept_docs
        ) c
         WHERE c.team <> '{}' OR c.done <> '{}'
         GROUP BY c.team, c.done HAVING sum(c.sign) <> 0
    ), gone AS (  -- documents deleted: their state goes with them
        DELETE FROM progress_docs s
         WHERE s.project_id = p AND s.document_id = ANY(docs)
           AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.project_id = p AND d.id = s.document_id)
    )
    UPDATE progress_docs s
       SET who = coalesce(n.who, '{}'), assigned = coalesce(n.assigned, '{}'),
           status = coalesce(n.status, '{}'), seconds = coalesce(n.seconds, '{}'),
           hash = coalesce(n.hash, '{}'), team = coalesce(n.team, '{}'),
           done = coalesce(n.done, '{}')
      FROM (SELECT DISTINCT d AS doc FROM unnest(docs) d) k
      LEFT JOIN now_docs n ON n.doc = k.doc
     WHERE s.project_id = p AND s.document_id = k.doc
       AND EXISTS (SELECT 1 FROM documents d WHERE d.project_id = p AND d.id = k.doc)
       AND (s.who, s.assigned, s.status, s.seconds, s.hash)
           IS DISTINCT FROM (coalesce(n.who, '{}'), coalesce(n.assigned, '{}'),
                             coalesce(n.status, '{}'), coalesce(n.seconds, '{}'),
                             coalesce(n.hash, '{}'));
END
$$;

-- Rows inserted or deleted (a statement's transition table `changed`): their documents
-- counted again, per project.
CREATE FUNCTION progress_rows_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = annotator, pg_catalog
AS $$
DECLARE
    p integer;
    docs text[];
BEGIN
    FOR p, docs IN
        SELECT c.project_id, array_agg(DISTINCT c.document_id) FROM changed c GROUP BY 1
    LOOP
        PERFORM progress_recount(p, docs);
    END LOOP;
    RETURN NULL;
END
$$;

-- One row updated in a way the counts see (the triggers' WHEN).
CREATE FUNCTION progress_row_updated() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = annotator, pg_catalog
AS $$
BEGIN
    PERFORM progress_recount(NEW.project_id, ARRAY[NEW.document_id]);
    IF OLD.project_id <> NEW.project_id OR OLD.document_id <> NEW.document_id THEN
        PERFORM progress_recount(OLD.project_id, ARRAY[OLD.document_id]);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION progress_documents_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = annotator, pg_catalog
AS $$
DECLARE
    p integer;
    docs text[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO progress_projects (project_id, documents, doc_hash)
        SELECT a.project_id, count(*), sum(document_hash(a.id, a.position, a.text_sha256, a.meta)) FROM added a GROUP BY 1;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO progress_projects (project_id, documents, doc_hash)
        SELECT r.project_id, -count(*), -sum(document_hash(r.id, r.position, r.text_sha256, r.meta)) FROM removed r GROUP BY 1;
        FOR p, docs IN
            SELECT r.project_id, array_agg(r.id) FROM removed r GROUP BY 1
        LOOP
            PERFORM progress_recount(p, docs);
        END LOOP;
    ELSE
        INSERT INTO progress_projects (project_id, documents, doc_hash)
        SELECT c.project_id, sum(c.n), sum(c.h) FROM (
            SELECT a.project_id, 1 AS n, document_hash(a.id, a.position, a.text_sha256, a.meta) AS h FROM added a
            UNION ALL
            SELECT r.project_id, -1, -document_hash(r.id, r.position, r.text_sha256, r.meta) FROM removed r
        ) c GROUP BY 1 HAVING (sum(c.n), sum(c.h)) <> (0, 0);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION progress_project_gone() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = annotator, pg_catalog
AS $$
BEGIN
    DELETE FROM progress_people WHERE project_id = OLD.id;
    DELETE FROM progress_combos WHERE project_id = OLD.id;
    DELETE FROM progress_projects WHERE project_id = OLD.id;
    DELETE FROM progress_docs WHERE project_id = OLD.id;
    RETURN NULL;
END
$$;

-- The differences of project `p` folded into one row per key (what a lead's read does first;
-- the sums stay the same). One at a time; none on a standby.
CREATE FUNCTION progress_fold(p integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = annotator, pg_catalog
AS $$
BEGIN
    IF pg_is_in_recovery() OR NOT pg_try_advisory_xact_lock(1886547815, p) THEN  -- "prog"
        RETURN;
    END IF;
    IF EXISTS (SELECT 1 FROM progress_people WHERE project_id = p AND NOT kept) THEN
        WITH gone AS (DELETE FROM progress_people WHERE project_id = p RETURNING *)
        INSERT INTO progress_people
        SELECT g.* FROM (
            SELECT p, annotator, sum(assigned) AS assigned, sum(done) AS done,
                   sum(skipped) AS skipped, sum(started) AS started, sum(seconds) AS seconds,
                   sum(outside) AS outside, sum(all_done) AS all_done,
                   sum(all_skipped) AS all_skipped, sum(all_started) AS all_started,
                   sum(all_seconds) AS all_seconds, sum(done_hash) AS done_hash, true
              FROM gone GROUP BY annotator) g
         WHERE (g.assigned, g.done, g.skipped, g.started, g.seconds, g.outside, g.all_done,
                g.all_skipped, g.all_started, g.all_seconds, g.done_hash)
               <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    END IF;
    IF EXISTS (SELECT 1 FROM progress_combos WHERE project_id = p AND NOT kept) THEN
        WITH gone AS (DELETE FROM progress_combos WHERE project_id = p RETURNING *)
        INSERT INTO progress_combos
        SELECT p, team, done, sum(n), true FROM gone GROUP BY team, done HAVING sum(n) <> 0;
    END IF;
    IF EXISTS (SELECT 1 FROM progress_projects WHERE project_id = p AND NOT kept) THEN
        WITH gone AS (DELETE FROM progress_projects WHERE project_id = p RETURNING *)
        INSERT INTO progress_projects
        SELECT p, sum(documents), sum(doc_hash), true FROM gone HAVING count(*) > 0;
    END IF;
END
$$;

-- What is there already, counted once.
INSERT INTO progress_projects (project_id, documents, doc_hash)
SELECT d.project_id, count(*), sum(document_hash(d.id, d.position, d.text_sha256, d.meta)) FROM documents d GROUP BY 1;
SELECT progress_recount(p.id, ARRAY(SELECT d.id FROM documents d WHERE d.project_id = p.id))
  FROM projects p;
SELECT progress_fold(p.id) FROM projects p;

CREATE TRIGGER annotations_progress_insert AFTER INSERT ON annotations
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION progress_rows_changed();
CREATE TRIGGER annotations_progress_delete AFTER DELETE ON annotations
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION progress_rows_changed();
-- not for a span edit of a document in progress: its counts stay the same
CREATE TRIGGER annotations_progress_update AFTER UPDATE ON annotations
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR NEW.status = 'done'
          OR OLD.untouched IS DISTINCT FROM NEW.untouched
          OR OLD.seconds IS DISTINCT FROM NEW.seconds
          OR OLD.annotator IS DISTINCT FROM NEW.annotator
          OR OLD.document_id IS DISTINCT FROM NEW.document_id
          OR OLD.project_id IS DISTINCT FROM NEW.project_id)
    EXECUTE FUNCTION progress_row_updated();
CREATE TRIGGER assignments_progress_insert AFTER INSERT ON assignments
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION progress_rows_changed();
CREATE TRIGGER assignments_progress_delete AFTER DELETE ON assignments
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION progress_rows_changed();
CREATE TRIGGER assignments_progress_update AFTER UPDATE ON assignments
    FOR EACH ROW
    WHEN (OLD.annotator IS DISTINCT FROM NEW.annotator
          OR OLD.document_id IS DISTINCT FROM NEW.document_id
          OR OLD.project_id IS DISTINCT FROM NEW.project_id)
    EXECUTE FUNCTION progress_row_updated();
CREATE TRIGGER documents_progress_insert AFTER INSERT ON documents
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION progress_documents_changed();
CREATE TRIGGER documents_progress_delete AFTER DELETE ON documents
    REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION progress_documents_changed();
CREATE TRIGGER documents_progress_update AFTER UPDATE ON documents
    REFERENCING OLD TABLE AS removed NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION progress_documents_changed();
CREATE TRIGGER projects_progress_gone AFTER DELETE ON projects
    FOR EACH ROW EXECUTE FUNCTION progress_project_gone();

-- The last edit of each annotator is read from an index instead of their records: the app's
-- own stamps (one width, UTC: text order is time order) the latest first, any other stamp
-- apart (usually none). They replace 0004's covering index, which only the old count read.
DROP INDEX annotations_progress;
CREATE INDEX annotations_last_own ON annotations (project_id, annotator, updated_at COLLATE "C")
    WHERE NOT untouched
      AND updated_at ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$';
CREATE INDEX annotations_last_other ON annotations (project_id, annotator, updated_at)
    WHERE NOT untouched
      AND updated_at !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$';

-- Only leads read the counts; nobody writes them but the triggers and the fold.
ALTER TABLE progress_docs ENABLE ROW LEVEL SECURITY;
ALTER TABLE progress_people ENABLE ROW LEVEL SECURITY;
ALTER TABLE progress_combos ENABLE ROW LEVEL SECURITY;
ALTER TABLE progress_projects ENABLE ROW LEVEL SECURITY;
CREATE POLICY progress_people_lead ON progress_people FOR SELECT USING ((SELECT is_lead()));
CREATE POLICY progress_combos_lead ON progress_combos FOR SELECT USING ((SELECT is_lead()));
CREATE POLICY progress_projects_lead ON progress_projects FOR SELECT USING ((SELECT is_lead()));

DO $$
DECLARE
    lead name := (SELECT role_name FROM team_roles WHERE kind = 'lead');
BEGIN
    EXECUTE 'REVOKE ALL ON FUNCTION progress_recount(integer, text[]), progress_rows_changed(),'
            ' progress_row_updated(), progress_documents_changed(), progress_project_gone(),'
            ' progress_fold(integer), document_hash(text, bigint, text, json) FROM PUBLIC';
    EXECUTE format('GRANT EXECUTE ON FUNCTION progress_fold(integer) TO %I', lead);
    EXECUTE format('GRANT SELECT ON progress_people, progress_combos, progress_projects TO %I',
                   lead);
END
$$;
