-- 0003: the reads of a team at scale (decision record 0089). With 100,000 documents and 50
-- annotators, opening a desktop listed the documents through a policy that asked "does this
-- project have a plan" once per document row (a function call and a query each) and found
-- "is it assigned to me" by scanning every assignment of the project. Here:
-- * "which projects have a plan" is answered once per query (an initplan over a
--   SECURITY DEFINER function), never per row;
-- * an annotator's own assignments are an index range, (annotator, project, document);
-- * policies compare `annotator` with the caller's name through an initplan, so that an
--   index can answer it;
-- * the listing queries of the client go through that index (docs/postgres.md);
-- * a document's first 300 characters and length are kept, so listing needs no text.

-- A document's head and length, kept beside its text: listing 100,000 documents with their
-- titles read and decompressed every whole text (2-3 s) to cut its first 300 characters.
ALTER TABLE documents
    ADD COLUMN head text GENERATED ALWAYS AS (left(text, 300)) STORED,
    ADD COLUMN chars integer GENERATED ALWAYS AS (length(text)) STORED;

-- The projects that have a plan, whoever asks: an annotator's own view of `assignments`
-- holds only their rows, so "no row visible" must not be mistaken for "no plan".
CREATE FUNCTION planned_projects() RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = annotator, pg_catalog
AS $$
    SELECT coalesce(array_agg(p.id), '{}')
      FROM projects p
     WHERE EXISTS (SELECT 1 FROM assignments a WHERE a.project_id = p.id)
$$;

CREATE INDEX assignments_mine ON assignments (annotator, project_id, document_id);

-- `current_user` is compared through an initplan, `(SELECT current_user::text)`: a plain
-- `annotator = current_user` compares text with name under two collations, which no index
-- on `annotator` can answer, so every row of the project was filtered instead.
DROP POLICY documents_read ON documents;
CREATE POLICY documents_read ON documents FOR SELECT USING (
    (SELECT is_lead())
    OR project_id <> ALL ((SELECT planned_projects())::integer[])
    OR EXISTS (SELECT 1 FROM assignments a
                WHERE a.project_id = documents.project_id AND a.document_id = documents.id
                  AND a.annotator = (SELECT current_user::text))
);

DROP POLICY assignments_read ON assignments;
CREATE POLICY assignments_read ON assignments FOR SELECT
    USING ((SELECT is_lead()) OR annotator = (SELECT current_user::text));

DROP POLICY annotations_own ON annotations;
CREATE POLICY annotations_own ON annotations FOR ALL
    USING ((SELECT is_lead()) OR annotator = (SELECT current_user::text))
    WITH CHECK (
        (SELECT is_lead())
        OR (annotator = (SELECT current_user::text)
            AND EXISTS (SELECT 1 FROM documents d
                         WHERE d.project_id = annotations.project_id
                           AND d.id = annotations.document_id))
    );

DO $$
DECLARE
    lead name := (SELECT role_name FROM team_roles WHERE kind = 'lead');
    ann name := (SELECT role_name FROM team_roles WHERE kind = 'annotator');
BEGIN
    EXECUTE 'REVOKE ALL ON FUNCTION planned_projects() FROM PUBLIC';
    EXECUTE format('GRANT EXECUTE ON FUNCTION planned_projects() TO %I, %I', lead, ann);
END
$$;

-- The lead's agreement report, kept incrementally (decision record 0089): each pair of
-- annotators' contribution to every agreement figure, per document both submitted, computed
-- by a lead's report from the two annotations and kept with what it was computed from (each
-- side's spans digest and the project's labels, `basis`). A later report recomputes only the
-- documents whose annotations changed since, and sums. Annotators' desktops cannot compute
-- these (blind annotation: neither sees the other's spans), and neither can SQL (the tokens
-- and the span matching are the core's), so a lead writes them and only leads read them.
CREATE TABLE agreement_parts (
    project_id integer NOT NULL,
    a text NOT NULL,
    b text NOT NULL,
    document_id text NOT NULL,
    digest_a text NOT NULL,
    digest_b text NOT NULL,
    basis text NOT NULL,
    parts bytea NOT NULL,
    computed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, a, b, document_id),
    CHECK (a < b),
    FOREIGN KEY (project_id, document_id) REFERENCES documents ON DELETE CASCADE
);

ALTER TABLE agreement_parts ENABLE ROW LEVEL SECURITY;
CREATE POLICY agreement_parts_lead ON agreement_parts FOR ALL
    USING ((SELECT is_lead())) WITH CHECK ((SELECT is_lead()));

DO $$
DECLARE
    lead name := (SELECT role_name FROM team_roles WHERE kind = 'lead');
BEGIN
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON agreement_parts TO %I', lead);
END
$$;
