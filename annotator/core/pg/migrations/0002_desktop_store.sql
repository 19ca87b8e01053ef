-- 0002: what the desktop store needs beyond 0001 (decision records 0081-0083).
-- * An undo back to untouched is a tombstone, never a DELETE (annotators have none):
--   annotations.untouched / gold.untouched, written by apply_edit for {"untouched": true}.
-- * A conflict kept in the edit log is resolved by the person's choice: edits.resolved_at.
-- * The plan keeps each document's annotators in order (assignments.place) and "since when
--   unknown" as NULL, as a folder's plan line without assigned_at does.

ALTER TABLE annotations ADD COLUMN untouched boolean NOT NULL DEFAULT false;
ALTER TABLE gold ADD COLUMN untouched boolean NOT NULL DEFAULT false;
ALTER TABLE edits ADD COLUMN resolved_at timestamptz;
ALTER TABLE assignments ADD COLUMN place smallint NOT NULL DEFAULT 0;
ALTER TABLE assignments ALTER COLUMN assigned_at DROP NOT NULL;

-- Same signature as in 0001: CREATE OR REPLACE keeps its grants.
CREATE OR REPLACE FUNCTION apply_edit(
    p_project integer, p_client uuid, p_seq bigint, p_annotator text, p_document text,
    p_base bigint, p_prev bigint, p_record json,
    OUT outcome text, OUT revision bigint
)
LANGUAGE plpgsql
SET search_path = annotator, pg_catalog
AS $$
DECLARE
    last bigint;
    cur_rev bigint;
    cur_client uuid;
    cur_seq bigint;
    clean boolean;
    gone boolean := coalesce((p_record->>'untouched')::boolean, false);
    n integer;
BEGIN
    INSERT INTO clients (project_id, client_id) VALUES (p_project, p_client)
        ON CONFLICT DO NOTHING;
    SELECT c.last_seq INTO last FROM clients c
     WHERE c.project_id = p_project AND c.client_id = p_client FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'desktop % belongs to someone else', p_client
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF p_seq <= last THEN
        SELECT e.outcome, e.revision INTO outcome, revision FROM edits e
         WHERE e.project_id = p_project AND e.client_id = p_client AND e.seq = p_seq;
        IF NOT FOUND THEN
            outcome := 'applied';
            revision := NULL;
        END IF;
        RETURN;
    END IF;
    IF p_seq <> last + 1 THEN
        RAISE EXCEPTION 'edit % of desktop % arrived before edit %', p_seq, p_client, last + 1
            USING ERRCODE = 'AN001', HINT = 'send the edits after ' || last;
    END IF;

    IF p_annotator = 'gold' THEN
        SELECT g.revision, g.client_id, g.client_seq INTO cur_rev, cur_client, cur_seq
          FROM gold g
         WHERE g.project_id = p_project AND g.document_id = p_document FOR UPDATE;
    ELSE
        SELECT a.revision, a.client_id, a.client_seq INTO cur_rev, cur_client, cur_seq
          FROM annotations a
         WHERE a.project_id = p_project AND a.document_id = p_document
           AND a.annotator = p_annotator FOR UPDATE;
    END IF;
    clean := cur_rev IS NULL OR cur_rev = p_base
             OR (cur_client = p_client AND cur_seq IS NOT DISTINCT FROM p_prev);
    IF NOT clean THEN
        outcome := 'conflict';
        revision := cur_rev;
    ELSIF gone AND cur_rev IS NULL THEN
        -- back to untouched where nothing is stored (or nothing this role may see)
        IF p_annotator <> current_user AND NOT is_lead() THEN
            RAISE EXCEPTION 'new row violates row-level security policy for table "%"',
                CASE WHEN p_annotator = 'gold' THEN 'gold' ELSE 'annotations' END
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        outcome := 'applied';
        revision := 0;
    ELSIF gone THEN
        outcome := 'applied';
        revision := cur_rev + 1;
        IF p_annotator = 'gold' THEN
            UPDATE gold g SET untouched = true, spans = '[]', revision = cur_rev + 1,
                   client_id = p_client, client_seq = p_seq, written_by = current_user,
                   written_at = now()
             WHERE g.project_id = p_project AND g.document_id = p_document;
        ELSE
            UPDATE annotations a SET untouched = true, spans = '[]', revision = cur_rev + 1,
                   client_id = p_client, client_seq = p_seq, written_at = now()
             WHERE a.project_id = p_project AND a.document_id = p_document
               AND a.annotator = p_annotator;
        END IF;
        GET DIAGNOSTICS n = ROW_COUNT;
        IF n <> 1 THEN  -- row-level security hid the row: never report a write that was not
            RAISE EXCEPTION 'new row violates row-level security policy for table "%"',
                CASE WHEN p_annotator = 'gold' THEN 'gold' ELSE 'annotations' END
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    ELSE
        outcome := 'applied';
        revision := coalesce(cur_rev, 0) + 1;
        IF p_annotator = 'gold' THEN
            INSERT INTO gold AS g (project_id, document_id, text_sha256, spans, status,
                                   updated_at, seconds, meta, revision, client_id, client_seq,
                                   untouched)
            VALUES (p_project, p_document, p_record->>'text_sha256',
                    coalesce((p_record->'spans')::jsonb, '[]'),
                    coalesce(p_record->>'status', 'in_progress'), p_record->>'updated_at',
                    coalesce((p_record->>'seconds')::double precision, 0),
                    coalesce(p_record->'meta', '{}'), revision, p_client, p_seq, false)
            ON CONFLICT (project_id, document_id) DO UPDATE SET
                text_sha256 = excluded.text_sha256, spans = excluded.spans,
                status = excluded.status, updated_at = excluded.updated_at,
                seconds = excluded.seconds, meta = excluded.meta,
                revision = excluded.revision, client_id = excluded.client_id,
                client_seq = excluded.client_seq, untouched = false,
                written_by = current_user, written_at = now();
        ELSE
            INSERT INTO annotations AS a (project_id, document_id, annotator, text_sha256, spans,
                                          status, updated_at, seconds, meta, revision,
                                          client_id, client_seq, untouched)
            VALUES (p_project, p_document, p_annotator, p_record->>'text_sha256',
                    coalesce((p_record->'spans')::jsonb, '[]'),
                    coalesce(p_record->>'status', 'in_progress'), p_record->>'updated_at',
                    coalesce((p_record->>'seconds')::double precision, 0),
                    coalesce(p_record->'meta', '{}'), revision, p_client, p_seq, false)
            ON CONFLICT (project_id, document_id, annotator) DO UPDATE SET
                text_sha256 = excluded.text_sha256, spans = excluded.spans,
                status = excluded.status, updated_at = excluded.updated_at,
                seconds = excluded.seconds, meta = excluded.meta,
                revision = excluded.revision, client_id = excluded.client_id,
                client_seq = excluded.client_seq, untouched = false, written_at = now();
        END IF;
    END IF;

    INSERT INTO edits (project_id, client_id, seq, annotator, document_id, base_revision,
                       prev_seq, record, outcome, revision)
    VALUES (p_project, p_client, p_seq, p_annotator, p_document, p_base, p_prev, p_record,
            outcome, revision);
    UPDATE clients c SET last_seq = p_seq, last_seen = now()
     WHERE c.project_id = p_project AND c.client_id = p_client;
END
$$;

-- An edit the server's rules refused can never be applied; the desktop keeps it aside and
-- steps over its number so the edits after it are not held up. Only the desktop's owner may,
-- and only from the number it is at.
CREATE FUNCTION skip_edit(p_project integer, p_client uuid, p_seq bigint)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = annotator, pg_catalog
AS $$
DECLARE
    n integer;
BEGIN
    INSERT INTO clients (project_id, client_id) VALUES (p_project, p_client)
        ON CONFLICT DO NOTHING;
    UPDATE clients c SET last_seq = p_seq, last_seen = now()
     WHERE c.project_id = p_project AND c.client_id = p_client AND c.last_seq = p_seq - 1
       AND c.owner = current_user;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n = 1;
END
$$;

DO $$
DECLARE
    lead name := (SELECT role_name FROM team_roles WHERE kind = 'lead');
    ann name := (SELECT role_name FROM team_roles WHERE kind = 'annotator');
BEGIN
    EXECUTE 'REVOKE ALL ON FUNCTION skip_edit(integer, uuid, bigint) FROM PUBLIC';
    EXECUTE format('GRANT EXECUTE ON FUNCTION skip_edit(integer, uuid, bigint) TO %I, %I',
                   lead, ann);
END
$$;
