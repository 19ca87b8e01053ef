"""The lead's last agreement report, kept on the desktop under a digest of what it is made of
(decision 0093).

A report over 3 x 100,000 documents reads every submitted annotation's version, every kept
part and the document list, and assembles 100,000 documents' rows: seconds, even when none
of it changed since the last report, which is the usual case (a lead looks again while the
team works on other documents). So the server first gives a digest of everything the report
is made from: per compared annotator their done records (the report reads no other), each
by its content (document, revision, text hash, spans, meta), and every document's id,
position, text hash and meta; with the labels, the settings and the store's warnings. When
that digest is the one the report kept here was made under, that report is the answer;
otherwise it is made as before and kept.

The digest is a sum of 64-bit hashes of each row (``hashtextextended``), kept by the server as
rows change (schema step 0007, decision 0097), so asking for it reads a few rows whatever the
size of the project; any change of a row the report reads changes it unless the hashes
collide (about one in 2^64). The file is this desktop's own
(``report-<annotators>.pickle`` in its folder for the project); one that cannot be read, or
was written by another version of annotator, is made again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import pickle
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import psycopg

from annotator import __version__
from annotator.core.agreement import intervals as iv
from annotator.core.agreement.corpus import gc_paused
from annotator.core.agreement.report import AgreementReport
from annotator.core.jsonl import atomic_write_with
from annotator.core.pg.errors import server_error

if TYPE_CHECKING:
    from annotator.core.pg.store import PgProject

LAYOUT = 3  # of what is kept and of the digest

# The sums the server keeps as rows change (schema step 0007, decision 0097): per compared
# annotator their done records and the sum of those records' content hashes; the project's
# documents and the sum of theirs. Folded first, so the read is a few rows.
_DIGEST = """
SELECT (SELECT coalesce(json_agg(x ORDER BY x.annotator), '[]')::text FROM (
          SELECT annotator, sum(all_done)::text AS n, sum(done_hash)::text AS h
            FROM progress_people WHERE project_id = %(p)s AND annotator = ANY(%(names)s)
           GROUP BY annotator) x),
       (SELECT coalesce(sum(documents), 0)::text || '/' || coalesce(sum(doc_hash), 0)::text
          FROM progress_projects WHERE project_id = %(p)s)
"""


class ReportMemo:
    """The kept report of one set of annotators on this desktop (see the module)."""

    def __init__(self, store: PgProject, names: list[str], settings: iv.Bootstrap) -> None:
        self.store = store
        self.names = names
        self.settings = settings
        key = hashlib.sha256("\0".join(names).encode("utf-8")).hexdigest()[:16]
        self.path: Path = store.cache_dir / f"report-{key}.pickle"
        self.documents = ""  # the project's documents in the digest: their count and hashes
        self.people: dict[str, str] = {}  # per compared annotator, their done records' part

    def digest(self, basis: str) -> str:
        """Everything the report of these annotators is made from, as one digest."""
        store = self.store
        try:
            conn = store.connection()
            conn.execute("SELECT progress_fold(%s)", (store.project_id,))
            row = conn.execute(_DIGEST, {"p": store.project_id, "names": self.names}).fetchone()
        except psycopg.Error as exc:
            raise server_error(exc, who=store.who, doing="read") from None
        self.documents = str(row[1]) if row is not None else ""
        self.people = {
            str(x["annotator"]): f"{x['n']}/{x['h']}"
            for x in (json.loads(row[0]) if row is not None else [])
        }
        made_of: tuple[Any, ...] = (
            LAYOUT, __version__, store.project_id, self.names, basis, self.settings,
            list(store.warnings), row,
        )  # fmt: skip
        return hashlib.sha256(repr(made_of).encode("utf-8")).hexdigest()

    def recall(self, digest: str) -> AgreementReport | None:
        """The report kept under ``digest``, or None."""
        try:
            with open(self.path, "rb") as kept, gc_paused():
                if pickle.load(kept) != digest:  # the digest first: no report read for nothing
                    return None
                report = pickle.load(kept)  # 100,000 documents' rows: no collection meanwhile
        except Exception:  # missing, damaged or of another version: made again
            return None
        return report if isinstance(report, AgreementReport) else None

    def keep(self, digest: str, report: AgreementReport) -> None:
        """Keep ``report`` under ``digest`` (written whole, then put in place)."""

        def write(out: IO[bytes]) -> None:
            pickle.dump(digest, out, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(report, out, protocol=pickle.HIGHEST_PROTOCOL)

        with contextlib.suppress(OSError):
            atomic_write_with(self.path, write, durable=False)
