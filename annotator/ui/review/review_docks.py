"""The Review docks of one window: the agreement dashboard and the against-gold view.

``ReviewDocks.of(window)`` adds the dashboard (``dashboard``) and the against-gold view
(``gold_view``) as docks the first time Review > Agreement dashboard (F6), Annotators against
gold or Reload (F5) is used (``review_menu`` binds those actions), so annotators who never
open one pay nothing. It also decides when the window's one ``ReviewData`` counts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDockWidget

from annotator.ui.review.dashboard import AgreementDashboard
from annotator.ui.review.gold_view import GoldView
from annotator.ui.review.review_data import ReviewData, review_data_of
from annotator.ui.window.i18n import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from annotator.ui.window.main_window import MainWindow


TEXT_LINES = 20  # the text keeps this many lines when a review pane opens under it
MIN_DOCK_HEIGHT = 200


class ReviewDocks(QObject):
    """Review mode's panes in one window: the docks, the actions and when to count."""

    @classmethod
    def of(cls, window: MainWindow) -> ReviewDocks:
        """The window's Review panes (made on first use)."""
        found = window.findChild(ReviewDocks, "review_panes")
        return found if isinstance(found, ReviewDocks) else cls(window)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("review_panes")
        self.window = window
        self.data: ReviewData | None = None
        self.dashboard = AgreementDashboard(window)
        self.gold_view = GoldView(window)
        registry = window.registry
        reload = registry["review.reload"]
        self.dashboard.status.set_reload_action(reload)
        self.gold_view.status.set_reload_action(reload)
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        self.dock = window.add_dock(
            self.dashboard,
            "agreement_dock",
            QT_TRANSLATE_NOOP("MainWindow", "Agreement"),
            bottom,
        )
        self.gold_dock = window.add_dock(
            self.gold_view,
            "gold_dock",
            QT_TRANSLATE_NOOP("MainWindow", "Against gold"),
            bottom,
        )
        # tabified only when first shown: two hidden tabified docks leave an empty tab bar
        self._tabified = False
        for dock in (self.dock, self.gold_dock):
            dock.hide()  # annotators never see them unless asked; a saved layout may show them
            dock.visibilityChanged.connect(self._shown)

    def ensure_data(self, count: bool = True) -> ReviewData:
        """The window's ReviewData, made (and counted, with ``count``) the first time."""
        if self.data is None:
            data = review_data_of(self.window, self.window.work.project)
            self.data = data
            self.dashboard.attach(data)
            self.gold_view.attach(data)
            if count and data.numbers is None and not data.busy:
                data.refresh()
        return self.data

    def open(self, dock: QDockWidget) -> None:
        """Show ``dock`` in front, counting first if nothing was counted yet."""
        was_shown = self.dock.isVisible() or self.gold_dock.isVisible()
        if not self._tabified and not was_shown:
            self._tabified = True
            self.window.tabifyDockWidget(self.dock, self.gold_dock)
            other = self.gold_dock if dock is self.dock else self.dock
            other.show()
        dock.show()
        dock.raise_()
        if not was_shown and not dock.isFloating():
            # a dashboard needs room: about half the window, but the text keeps at least
            # TEXT_LINES lines (a small laptop screen: 1280x800)
            text = self.window.text
            keep = text.fontMetrics().lineSpacing() * TEXT_LINES + 80
            centre = self.window.centralWidget()
            room = (centre.height() if centre is not None else self.window.height()) - keep
            height = max(MIN_DOCK_HEIGHT, min(self.window.height() * 11 // 20, room))
            self.window.resizeDocks([dock], [height], Qt.Orientation.Vertical)
        self.ensure_data()

    def reload(self) -> None:
        """Count again now (F5), whether or not a pane is open."""
        self.ensure_data(count=False).refresh()

    def _shown(self, visible: bool) -> None:
        if visible:
            self.ensure_data()
