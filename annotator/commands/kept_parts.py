"""After a bulk write into a server project (``push``, ``import``), what the lead's reports
are made of is kept for them, so that the first report after it is quick on any lead's
desktop: the agreement parts of what the write brought (decision 0101), then the report's
state, made by the lead's report itself and kept on the server for every lead (decision
0106). The time each took is printed beside it: it is part of the command.

Only a lead keeps either (the server lets nobody else write them): for anybody else, and for
a folder project, nothing is done. A failure here harms nothing written: it is one line on
standard error, and the lead's report computes what is missing.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from annotator.commands.output import warn
from annotator.core.errors import AnnotatorError
from annotator.core.printable import counted
from annotator.core.project import Project
from annotator.core.storage import ProjectStore

if TYPE_CHECKING:
    from annotator.core.pg.parts_server import Written
    from annotator.core.pg.store import PgProject


def keep_for_reports(store: ProjectStore, annotators: Sequence[str] | None = None) -> None:
    """Compute the parts of the server project ``store`` not kept yet (``annotators``: only
    the pairs with one of them; empty: none, the write brought documents only), then keep
    the state of the lead's report for every lead, and say so."""
    if isinstance(store, Project):
        return
    from annotator.core.pg.store import PgProject

    if not isinstance(store, PgProject) or not store.is_lead:
        return
    from annotator.core.pg.parts_server import Written

    written = Written()  # the parts kept, for the report made next: not read back
    if (annotators is None or annotators) and not _keep_parts(store, annotators, written):
        return
    _keep_state(store, written)


def _keep_parts(store: PgProject, annotators: Sequence[str] | None, written: Written) -> bool:
    from annotator.core.pg.compute import Server, keep_parts

    started = time.perf_counter()
    try:
        computed = keep_parts(store, None, annotators, Server(store, written=written))
    except AnnotatorError as exc:
        warn(f"annotator: agreement parts not computed ({exc}); the first report computes them")
        return False
    seconds = time.perf_counter() - started
    if computed is None:
        warn(
            "annotator: agreement parts not computed: a span would be left out with a warning"
            " (annotator validate names it); reports compute agreement the usual way"
        )
        return False
    print(
        f"agreement parts: {computed:,} computed and kept for the lead's reports in {seconds:.1f} s"
    )
    return True


def _keep_state(store: PgProject, written: Written) -> None:
    """The report ``annotator agreement`` makes by default (every annotator but gold), made
    here by the same code and its state kept on the server whatever it cost to make, so any
    lead's first report starts from it. Nothing when that report is not made from kept parts
    (gold to score, fewer than two annotators, edits of theirs not yet sent from here)."""
    from annotator.commands.agreement_cmd import kept_report
    from annotator.core.agreement.loading import choose_annotators

    started = time.perf_counter()
    try:
        names = choose_annotators(store, None)
        report = kept_report(store, names, share=True, written=written) if len(names) >= 2 else None
    except AnnotatorError as exc:
        warn(f"annotator: agreement report state not kept ({exc}); the first report makes it")
        return
    if report is None:
        return
    seconds = time.perf_counter() - started
    print(
        f"agreement report state: {counted(report.documents_compared, 'document')} compared,"
        f" kept for every lead's first report in {seconds:.1f} s"
    )
