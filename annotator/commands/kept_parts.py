"""After a bulk write into a server project (``push``, ``import``), the agreement parts of what
it brought are computed and kept (decision 0101), so the lead's first report reads them
instead of computing them. The time it took is printed beside it: it is part of the command.

Only a lead keeps parts (the server lets nobody else write them): for anybody else, and for a
folder project, nothing is done. A failure here harms nothing written: it is one line on
standard error, and the lead's report computes what is missing.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from annotator.commands.output import warn
from annotator.core.errors import AnnotatorError
from annotator.core.project import Project
from annotator.core.storage import ProjectStore


def keep_agreement_parts(store: ProjectStore, annotators: Sequence[str] | None = None) -> None:
    """Compute the parts of the server project ``store`` not kept yet (``annotators``: only
    the pairs with one of them), and say so."""
    if isinstance(store, Project):
        return
    from annotator.core.pg.compute import keep_parts
    from annotator.core.pg.store import PgProject

    if not isinstance(store, PgProject) or not store.is_lead:
        return
    started = time.perf_counter()
    try:
        computed = keep_parts(store, None, annotators)
    except AnnotatorError as exc:
        warn(f"annotator: agreement parts not computed ({exc}); the first report computes them")
        return
    seconds = time.perf_counter() - started
    if computed is None:
        warn(
            "annotator: agreement parts not computed: a span would be left out with a warning"
            " (annotator validate names it); reports compute agreement the usual way"
        )
        return
    print(
        f"agreement parts: {computed:,} computed and kept for the lead's reports in {seconds:.1f} s"
    )
