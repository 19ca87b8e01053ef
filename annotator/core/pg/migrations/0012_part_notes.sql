-- 0012: a kept agreement part may carry notes (decision record 0116): the warnings of each
-- of its two annotations' spans that the report leaves out (a label the project no longer
-- has, a span outside the text, a duplicate), without where they came from. A part used to
-- be kept only where no span had a warning, and one such span anywhere made every report
-- compute every document again from the annotations; now the part is kept as the report
-- computes it (without those spans), and the report makes its warnings from the notes of the
-- parts it uses. Most projects have no notes at all: the index holds the noted parts alone.

ALTER TABLE agreement_parts ADD COLUMN notes jsonb;

CREATE INDEX agreement_parts_noted ON agreement_parts (project_id, basis)
    WHERE notes IS NOT NULL;
