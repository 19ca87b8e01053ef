-- 0006: what a lead's agreement report was made of, kept for every lead (decision record 0098).
-- Per project and set of compared annotators, one file: the version of every submitted
-- annotation, the compared documents, each pair's per-document parts and the bootstrap's
-- replicate sums, as the desktop keeps it (compressed). A lead's desktop that has no copy of
-- its own (a new desktop, another lead) starts from this one and reads or computes only what
-- changed since, instead of every part of the project. Leads read and write it; annotators
-- see nothing of it (it holds every annotator's agreement).

CREATE TABLE agreement_states (
    project_id integer NOT NULL REFERENCES projects ON DELETE CASCADE,
    annotators text NOT NULL,
    made_under text NOT NULL,
    state bytea NOT NULL,
    documents integer NOT NULL,
    computed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, annotators)
);
-- compressed already: stored out of line as it is
ALTER TABLE agreement_states ALTER COLUMN state SET STORAGE EXTERNAL;

ALTER TABLE agreement_states ENABLE ROW LEVEL SECURITY;
CREATE POLICY agreement_states_lead ON agreement_states FOR ALL
    USING ((SELECT is_lead())) WITH CHECK ((SELECT is_lead()));

DO $$
DECLARE
    lead name := (SELECT role_name FROM team_roles WHERE kind = 'lead');
BEGIN
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON agreement_states TO %I', lead);
END
$$;
