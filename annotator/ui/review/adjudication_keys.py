"""The review page's keys: its actions, their texts, and the legend that lists them.

Tab / Shift+Tab: next / previous disagreement; Alt+1..Alt+9 take that annotator's version and
Alt+0 neither; in the gold panel the main view's label keys, Delete and Esc (``SpanKeys``);
Ctrl+Z / Ctrl+Shift+Z undo and redo gold; Ctrl+S compacts gold's journal; Ctrl+Enter:
adjudicated, next. The actions live on the page (``WidgetWithChildrenShortcut``), so they
never fire while the annotating view is shown. ``AdjudicationMode`` gives the handlers of
what is not the document's own (back, undo, redo, save, done).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from annotator.ui.review.adjudication_page import AdjudicationPage
from annotator.ui.review.adjudicator import MAX_TAKE, Adjudicator

if TYPE_CHECKING:
    from annotator.ui.window.main_window import MainWindow

ACTION = "review.adjudicate"
TOOLBAR = ("back", "previous", "next", "neither", "undo", "redo", "done")
SEPARATED = ("back", "neither", "redo")  # a separator follows these on the page's toolbar
# the actions that edit gold: off when gold is read-only (another lead holds it)
EDITING = ("neither", "delete", "done", "save")


class AdjudicationKeys(QObject):
    """The page's actions by name (``actions``), built once; see the module docstring."""

    def __init__(
        self,
        window: MainWindow,
        page: AdjudicationPage,
        doc: Adjudicator,
        handlers: Mapping[str, Callable[[], object]],
    ) -> None:
        super().__init__(window)
        self.w = window
        self.page = page
        self.doc = doc
        self.actions: dict[str, QAction] = {}
        specs: list[tuple[str, tuple[str, ...], Callable[[], object]]] = [
            ("back", (), handlers["back"]),
            ("previous", ("Shift+Tab",), lambda: doc.step(-1)),
            ("next", ("Tab",), lambda: doc.step(1)),
            ("neither", ("Alt+0",), lambda: doc.take(None)),
            ("delete", ("Del", "Backspace"), doc.keys.delete_span),
            ("clear", ("Esc",), doc.keys.clear_selection),
            ("undo", ("Ctrl+Z",), handlers["undo"]),
            ("redo", ("Ctrl+Shift+Z", "Ctrl+Y"), handlers["redo"]),
            ("save", ("Ctrl+S",), handlers["save"]),
            ("done", ("Ctrl+Return", "Ctrl+Enter"), handlers["done"]),
        ]
        specs += [
            (f"take.{n}", (f"Alt+{n}",), partial(doc.take, n - 1)) for n in range(1, MAX_TAKE + 1)
        ]
        for name, keys, handler in specs:
            action = QAction(page)
            action.setObjectName(f"adjudicate.{name}")
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _checked=False, h=handler: h())
            page.addAction(action)
            self.actions[name] = action
        for name in TOOLBAR:
            page.toolbar.addAction(self.actions[name])
            if name in SEPARATED:
                page.toolbar.addSeparator()

    def sync_label_keys(self, editable: bool) -> None:
        """Label keys on the page: the same keys as the main view's label actions."""
        for label in self.w.labels:
            name = f"label.{label.name}"
            action = self.actions.get(name)
            if action is None:
                action = QAction(label.name, self.page)
                action.setObjectName(f"adjudicate.{name}")
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                action.triggered.connect(partial(self._label_key, label.name))
                self.page.addAction(action)
                self.actions[name] = action
            action.setShortcuts(self.w.registry[name].shortcuts())
            action.setEnabled(editable)

    def _label_key(self, name: str, _checked: bool = False) -> None:
        self.doc.keys.label_key(name)

    def set_editable(self, editable: bool) -> None:
        """Gold was opened: its edits on or off; undo and redo wait for a step."""
        for name, action in self.actions.items():
            if name.startswith(("take.", "label.")) or name in EDITING:
                action.setEnabled(editable)
        self.actions["undo"].setEnabled(False)
        self.actions["redo"].setEnabled(False)

    def key(self, name: str) -> str:
        """The key of action ``name`` as the user reads it ("" when it has none)."""
        action = self.actions.get(name)
        if action is None or action.shortcut().isEmpty():
            return ""
        return action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)

    def retranslate(self) -> None:
        """The actions' texts in the current language, and the legend."""
        texts = {
            "back": self.tr("◀ Back to annotating"),
            "previous": self.tr("◀ Previous disagreement"),
            "next": self.tr("Next disagreement ▶"),
            "neither": self.tr("Take neither"),
            "delete": self.tr("Delete gold span"),
            "clear": self.tr("Clear selection"),
            "undo": self.tr("Undo"),
            "redo": self.tr("Redo"),
            "save": self.tr("Save gold"),
            "done": self.tr("✓ Adjudicated, next"),
        }
        for name, text in texts.items():
            self.actions[name].setText(text)
        for n in range(1, MAX_TAKE + 1):
            self.actions[f"take.{n}"].setText(
                self.tr("Take annotator %1's version").replace("%1", str(n))
            )
        self.actions["back"].setToolTip(self.w.registry.key_text(ACTION))
        self.update_legend()

    def update_legend(self) -> None:
        """The keys of the page, as they are bound, for this document's annotators."""
        labels = [self.w.registry.key_text(f"label.{lab.name}") for lab in self.w.labels]
        label_keys = "/".join(k for k in labels if k)
        last_take = f"take.{max(2, min(MAX_TAKE, len(self.doc.adj.annotators)))}"
        self.page.keys.setText(
            self.tr(
                "%1 / %2: next / previous disagreement · %3…%4: take that annotator's version · "
                "%5: neither · in gold: select text and press %6 to label, click a span and "
                "press %7 to delete it · %8 undo · %9 adjudicated, next · %10 back to annotating"
            )
            .replace("%10", self.w.registry.key_text(ACTION))
            .replace("%1", self.key("next"))
            .replace("%2", self.key("previous"))
            .replace("%3", self.key("take.1"))
            .replace("%4", self.key(last_take))
            .replace("%5", self.key("neither"))
            .replace("%6", label_keys)
            .replace("%7", self.key("delete"))
            .replace("%8", self.key("undo"))
            .replace("%9", self.key("done"))
        )
