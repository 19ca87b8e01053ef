"""The Review menu's actions, bound as the window opens; what they show is built on first use.

The dashboard, the against-gold view and adjudication need the agreement engine (numpy among
it: about 0.1 s to import) and most windows are an annotator's, who never opens Review. So
the window binds the actions here and imports ``review_docks`` / ``adjudication_mode`` only when one
is first triggered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from annotator.ui.window.i18n import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from annotator.ui.review.review_docks import ReviewDocks
    from annotator.ui.window.main_window import MainWindow


BLIND_TIP = QT_TRANSLATE_NOOP(
    "review",
    "A lead's view: it shows other annotators' work. Annotation in this project is blind; "
    "start the window with --lead to review.",
)


def install(window: MainWindow) -> None:
    """Enable Review > Agreement dashboard (F6), Annotators against gold, Adjudicate (F7)
    and Reload (F5) in ``window``; for an annotator of a planned project they stay disabled
    (blind annotation, decision 0073)."""
    if window.scope.blind:
        tip = QCoreApplication.translate("review", BLIND_TIP)
        for action_id in ("review.agreement", "review.gold", "review.reload", "review.adjudicate"):
            window.registry[action_id].setEnabled(False)
            window.registry[action_id].setToolTip(tip)
        return

    def panes(act: Callable[[ReviewDocks], object]) -> Callable[[], None]:
        def run() -> None:
            from annotator.ui.review.review_docks import ReviewDocks

            act(ReviewDocks.of(window))

        return run

    def adjudicate() -> None:
        from annotator.ui.review.adjudication_mode import AdjudicationMode

        AdjudicationMode.of(window).toggle()

    for action_id, handler in (
        ("review.agreement", panes(lambda r: r.open(r.dock))),
        ("review.gold", panes(lambda r: r.open(r.gold_dock))),
        ("review.reload", panes(lambda r: r.reload())),
        ("review.adjudicate", adjudicate),
    ):
        window.registry[action_id].setEnabled(True)
        window.registry.bind(action_id, handler)
