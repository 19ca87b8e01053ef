-- 0010: a kept agreement part no longer checks its document with a foreign key (decision
-- record 0107). The key made every part written lock its document's row (FOR KEY SHARE, a
-- write to the documents table per part): a quarter to a third of the server's time keeping
-- a project's parts from nothing (282,392 parts at 3 x 100,000). Parts are a cache of what
-- the desktop computed from two annotations, each named with the versions it was made from;
-- a part whose document is gone is never read (a report asks for the documents it compares),
-- and one whose document comes back under the same id does not match the new annotations'
-- versions. What the key also did is kept: deleting documents (or their project) deletes
-- their parts, once per statement.

ALTER TABLE agreement_parts DROP CONSTRAINT agreement_parts_project_id_document_id_fkey;

CREATE FUNCTION parts_of_removed_documents() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = annotator, pg_catalog
AS $$
BEGIN
    DELETE FROM agreement_parts p USING removed r
     WHERE p.project_id = r.project_id AND p.document_id = r.id;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION parts_of_removed_documents() FROM PUBLIC;

CREATE TRIGGER documents_parts_delete AFTER DELETE ON documents
    REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION parts_of_removed_documents();
