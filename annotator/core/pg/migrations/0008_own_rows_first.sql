-- 0008: the row-level policies ask "is it mine" before "is this a lead" (decision record 0099).
-- A policy `(SELECT is_lead()) OR annotator = (SELECT current_user::text)` runs is_lead()
-- (a function that asks the catalogue twice) in every statement that reads or writes a
-- row, and apply_edit runs six such statements per edit. Written the other way round, an
-- annotator's own row answers the policy at once and is_lead() is never run for it; a lead's
-- rows are not theirs, so a lead's statements still reach is_lead(), once per statement, as
-- before. Who may read and write what does not change: an OR is true or false whatever its
-- order. documents_read keeps its order: its per-row test of the assignments comes last, so
-- a lead's and a plan-less project's listing never runs it (decision record 0089).

ALTER POLICY annotations_own ON annotations
    USING (annotator = (SELECT current_user::text) OR (SELECT is_lead()))
    WITH CHECK (
        (annotator = (SELECT current_user::text)
         AND EXISTS (SELECT 1 FROM documents d
                      WHERE d.project_id = annotations.project_id
                        AND d.id = annotations.document_id))
        OR (SELECT is_lead())
    );

ALTER POLICY assignments_read ON assignments
    USING (annotator = (SELECT current_user::text) OR (SELECT is_lead()));

ALTER POLICY clients_own ON clients
    USING (owner = current_user OR (SELECT is_lead()))
    WITH CHECK (owner = current_user);

ALTER POLICY edits_own ON edits
    USING (owner = current_user OR (SELECT is_lead()))
    WITH CHECK (owner = current_user);
