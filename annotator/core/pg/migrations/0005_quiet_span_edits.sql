-- 0005: a notice only for the changes a view shows (decision record 0094).
-- A transaction that notifies takes one lock for the whole database at commit and keeps it
-- until its commit is on disk, so every commit that notifies waits for the one before it: no
-- two share a flush. Each annotation write notified, so 50 desktops' edits queued behind one
-- another's fsyncs (in the team benchmark, most of the server's time per edit).
-- What listeners use of an annotation: whether it exists, its status and time spent
-- (progress, the queues), and the spans of a finished document (agreement and review count
-- `done` only). A span edit of a document still in progress changes none of these, so it no
-- longer notifies; every other change of an annotation still does, as before.

DROP TRIGGER annotations_notify ON annotations;
CREATE TRIGGER annotations_notify AFTER INSERT OR DELETE ON annotations
    FOR EACH ROW EXECUTE FUNCTION notify_change();
CREATE TRIGGER annotations_notify_update AFTER UPDATE ON annotations
    FOR EACH ROW
    WHEN (OLD.status <> 'in_progress' OR NEW.status <> 'in_progress'
          OR OLD.untouched IS DISTINCT FROM NEW.untouched
          OR OLD.seconds IS DISTINCT FROM NEW.seconds
          OR OLD.text_sha256 IS DISTINCT FROM NEW.text_sha256)
    EXECUTE FUNCTION notify_change();
