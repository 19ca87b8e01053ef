-- 0004: the lead's reports at scale (decision record 0093). The progress table is counted by
-- the server in one query (`annotator/core/pg/progress.py`) over every assignment and every
-- annotation of the project. These two indexes hold everything that query reads, so it scans
-- them instead of the tables (an annotation row carries its spans: 300,000 of them are
-- 380 MB of table, 26 MB of this index; a document row carries its text and head).

CREATE INDEX annotations_progress ON annotations (project_id, document_id, annotator)
    INCLUDE (status, seconds, updated_at) WHERE NOT untouched;

CREATE INDEX documents_position ON documents (project_id, id) INCLUDE (position);
