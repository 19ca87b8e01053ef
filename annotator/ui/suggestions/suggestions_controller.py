"""Suggestions in the window: shown as outlines, accepted or rejected from the keyboard.

``install(window)`` adds the behaviour to a built window (its actions are declared in
``actions.ACTIONS``): a background worker computes the open document's suggestions once the
text has painted (rules, the project's model or both; decision 0053), the layer outlines
them, and the keys act on the suggestion under the caret, else the next one:

- accept (A) and accept all (Ctrl+Shift+A) are the core edit ``AcceptSuggestions``; reject
  (R) is ``RejectSuggestions``, remembered in the annotation's ``meta``. Each goes through
  ``AnnotatorWork.edit`` like every edit: one step on the window's one undo stack, journaled
  before it shows; what a rejection (or its undo) hides or brings back follows the
  ``AnnotatorWork.changed`` signal;
- next / previous suggestion (N, Shift+N) move the caret;
- View ▸ Show suggestions hides them, View ▸ Suggest from chooses the source (remembered per
  project), Review ▸ Train suggestion model trains the project's model in a worker thread.

Suggestions are never annotations (decision 0050): nothing here writes one until accepted.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel

from annotator.core.edit import AcceptSuggestions, Change, RejectSuggestions, rejected_keys
from annotator.core.errors import AnnotatorError
from annotator.core.suggest.model import model_info
from annotator.core.suggest.modes import MODES, configured_mode
from annotator.core.suggest.record import Suggestion
from annotator.core.suggest.shown import ShownSuggestions
from annotator.core.text import shorten
from annotator.ui.suggestions.suggestion_layer import SuggestionLayer
from annotator.ui.suggestions.suggestion_pane import SuggestionPane
from annotator.ui.suggestions.suggestion_worker import BackgroundSuggester
from annotator.ui.suggestions.training import TrainingRun, spacy_installed
from annotator.ui.window.i18n import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from annotator.core.suggest import TrainResult
    from annotator.ui.annotating.annotator_work import AnnotatorWork
    from annotator.ui.window.main_window import MainWindow

CONTEXT = "SuggestionsController"
REQUEST_LATEST_MS = 100  # ask for suggestions this long after a document opens, if not painted
MESSAGE_MS = 6000
EDITING = ("suggest.accept", "suggest.reject", "suggest.accept_all")
MODE_TEXTS = {
    "rules": QT_TRANSLATE_NOOP("SuggestionsController", "Suggestions from the rules"),
    "model": QT_TRANSLATE_NOOP("SuggestionsController", "Suggestions from the project's model"),
    "both": QT_TRANSLATE_NOOP("SuggestionsController", "Suggestions from the rules and the model"),
    "none": QT_TRANSLATE_NOOP("SuggestionsController", "No suggestions"),
}
SOURCE_TEXTS = {
    "gazetteer": QT_TRANSLATE_NOOP("SuggestionsController", "word list"),
    "abbreviation": QT_TRANSLATE_NOOP("SuggestionsController", "abbreviation in the text"),
    "date": QT_TRANSLATE_NOOP("SuggestionsController", "date rule"),
    "title": QT_TRANSLATE_NOOP("SuggestionsController", "title or cue before a name"),
    "context": QT_TRANSLATE_NOOP("SuggestionsController", "the words around a name"),
    "head": QT_TRANSLATE_NOOP("SuggestionsController", "head word"),
    "project": QT_TRANSLATE_NOOP("SuggestionsController", "the team's rules"),
    "model": QT_TRANSLATE_NOOP("SuggestionsController", "the project's model"),
}


def install(window: MainWindow) -> SuggestionsController:
    """Give ``window`` its suggestions (once, after its first paint: ``finish_start``)."""
    return SuggestionsController(window)


class SuggestionsController(QObject):
    """See the module docstring.

    Signals:
        suggestions_shown(str, int): a document's suggestions are drawn (id, how many).
        training_finished(object, str): a training run ended (TrainResult or None, error).
    """

    suggestions_shown = Signal(str, int)
    training_finished = Signal(object, str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.work: AnnotatorWork = window.work
        self.text = window.text
        self.project = window.work.project
        self.reg = window.registry
        self.shown = ShownSuggestions()
        self.ready = False  # the open document's suggestions have arrived
        self.request = 0
        self.training: TrainingRun | None = None
        self._want: str | None = None
        self._stopped = False
        self._note = ""
        self.info = model_info(self.project)
        self.mode = self._initial_mode()

        self.layer = SuggestionLayer(self.text, self.describe)
        self.layer.set_labels(window.labels)
        self.background = BackgroundSuggester(self.project, self.work.name, self)
        self.background.computed.connect(self._computed)
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(REQUEST_LATEST_MS)
        self._later.timeout.connect(self._ask)
        self._edits: list[tuple[Any, Any]] = []  # see _spans_changed

        # -- status bar, pane ------------------------------------------------------------
        self.count_label = QLabel(window)
        self.count_label.setObjectName("suggestion_count_label")
        window.statusBar().addPermanentWidget(self.count_label)
        self.pane = SuggestionPane(
            [self.reg["suggest.accept_all"], self.reg["suggest.train"]], window
        )
        dock = window.add_dock(
            self.pane,
            "suggestions_dock",
            QT_TRANSLATE_NOOP("MainWindow", "Suggestions"),
            Qt.DockWidgetArea.RightDockWidgetArea,
        )
        window.tabifyDockWidget(window.docks["guideline_dock"], dock)
        window.docks["guideline_dock"].raise_()
        if "panels" in self.reg.menus:
            toggle = dock.toggleViewAction()
            toggle.setObjectName("view.panel.suggestions_dock")
            self.reg.menu("panels").addAction(toggle)
        if "suggest_from" in self.reg.menus:
            for mode in MODES:
                self.reg.menu("suggest_from").addAction(self.reg[f"suggest.from.{mode}"])

        # -- actions ---------------------------------------------------------------------
        handlers: dict[str, Callable[[], object]] = {
            "suggest.accept": self.accept,
            "suggest.reject": self.reject,
            "suggest.accept_all": self.accept_all,
            "suggest.next": lambda: self.step(True),
            "suggest.previous": lambda: self.step(False),
            "suggest.train": self.train,
            "view.suggestions": self.visibility_toggled,
        }
        for mode in MODES:
            handlers[f"suggest.from.{mode}"] = partial(self.set_mode, mode)
        self.handlers: dict[str, Callable[[], object]] = handlers
        self.reg[f"suggest.from.{self.mode}"].setChecked(True)
        self.reg["view.suggestions"].setChecked(self._stored_visible())
        self.layer.set_visible(self._stored_visible())

        self.work.document_opened.connect(self._document_opened)
        self.work.spans_changed.connect(self._spans_changed)
        self.work.changed.connect(self._changed)
        # the current outline follows the caret after the text's paint (a key's paragraph first)
        caret = partial(window.annotating.later, "current suggestion", self._caret_moved)
        self.text.cursorPositionChanged.connect(caret)
        window.installEventFilter(self)
        window.closed.connect(self.shutdown)
        app = QCoreApplication.instance()
        if app is not None:  # a window never closed must not leave a running thread behind
            app.aboutToQuit.connect(self.shutdown)
        self._show_counts()
        self._show_source()
        self.pane.show_model(self.info)
        self._update_enabled()

    # -- preferences ---------------------------------------------------------------------

    def _key(self, what: str) -> str:
        root = str(self.project.root.resolve()).replace("/", "|").replace("\\", "|")
        return f"suggestions/{what}/{root}"

    def _initial_mode(self) -> str:
        stored = self.w.settings.q.value(self._key("mode"))
        if stored in MODES:
            return str(stored)
        try:
            return configured_mode(self.project)
        except AnnotatorError as exc:
            self._note = str(exc)
            return "rules"

    def _stored_visible(self) -> bool:
        return str(self.w.settings.q.value("suggestions/show", "true")).lower() == "true"

    # -- computing -----------------------------------------------------------------------

    @property
    def active(self) -> bool:
        """True when suggestions are shown and come from somewhere."""
        return self.layer.visible and self.mode != "none"

    def _document_opened(self, doc_id: str) -> None:
        self._edits.clear()  # of the document left
        self.request += 1
        self.ready = False
        self.shown = ShownSuggestions()
        self.layer.set_shown(self.shown)
        self._want = doc_id
        self.text.after_paint(self._ask)  # after the text's paint, not inside it
        self._later.start()
        self.w.annotating.later("suggestion counts", self._show_counts)  # after the text

    def _ask(self) -> None:
        self._later.stop()
        doc_id, self._want = self._want, None
        if doc_id is None or doc_id != self.work.doc_id:
            return
        if not self.active:
            self.ready = self.mode == "none"
            self._show_counts()
            return
        self.background.ask(self.request, doc_id, self.mode)

    def refresh_document(self) -> None:
        """Compute the open document's suggestions again (mode, model or visibility changed)."""
        if self.work.doc_id is not None:
            self._document_opened(self.work.doc_id)
            self._ask()

    def _computed(self, request: int, doc_id: str, found: list[Suggestion], error: str) -> None:
        if request != self.request or doc_id != self.work.doc_id:
            return
        self.shown = ShownSuggestions(found, self.work.annotation)
        self.ready = True
        self.layer.set_shown(self.shown)
        self._caret_moved()
        self._show_counts()
        if error:
            self._message(self.tr("Suggestions: %1").replace("%1", error))
        self.suggestions_shown.emit(doc_id, self.shown.count)

    def _spans_changed(self, doc_id: str, before: Any, after: Any) -> None:
        """The outlines a span edit covers hide (or come back) once the text has painted."""
        if doc_id != self.work.doc_id or not self.ready:
            return
        self._edits.append((before, after))
        self.w.annotating.later("suggestions", self._catch_up)

    def _catch_up(self) -> None:
        """Follow the span edits not followed yet, each from the annotation as it is now."""
        edits, self._edits = self._edits, []
        if not edits or not self.ready:
            return
        ann = self.work.annotation
        changed = [s for b, a in edits for s in self.shown.after_edit(ann, b, a)]
        if changed:
            self.layer.repaint(changed)
            self._show_counts()
        self._caret_moved()

    def _changed(self, change: Change) -> None:
        """A rejection (or its undo) hides or brings back the suggestions it names."""
        if change.doc_id != self.work.doc_id or not self.ready:
            return
        keys = rejected_keys(change.before) ^ rejected_keys(change.after)
        if keys:
            self.layer.repaint(self.shown.reject(self.work.annotation, keys))
            self._caret_moved()
            self._show_counts()

    def _caret_moved(self) -> None:
        if not self.ready or not self.layer.visible:
            return
        self.layer.set_current(self.shown.target(self.text.caret()))

    # -- intents ---------------------------------------------------------------------------

    def _target(self) -> Suggestion | None:
        if not self.active or self.work.doc is None:
            return None
        if not self.ready:
            self._message(self.tr("Suggestions are still being found."))
            return None
        self._catch_up()
        found = self.shown.target(self.text.caret())
        if found is None:
            self._message(self.tr("No suggestions left on this document."))
        return found

    def accept(self) -> None:
        """A: accept the suggestion under the caret, else the next one (one undo step)."""
        sug = self._target()
        if sug is None or self.work.read_only or self.work.doc is None:
            return
        doc = self.work.doc
        text = (
            self.tr("Accept “%1” as %2")
            .replace("%1", shorten(doc.text[sug.start : sug.end], 24))
            .replace("%2", sug.label)
        )
        self.work.edit(AcceptSuggestions(doc.id, (sug.key,)), text)
        self._move_on()

    def reject(self) -> None:
        """R: reject the suggestion under the caret, else the next one (remembered, undoable)."""
        sug = self._target()
        if sug is None or self.work.read_only or self.work.doc is None:
            return
        doc = self.work.doc
        text = (
            self.tr("Reject “%1” as %2")
            .replace("%1", shorten(doc.text[sug.start : sug.end], 24))
            .replace("%2", sug.label)
        )
        self.work.edit(RejectSuggestions(doc.id, (sug.key,)), text)
        self._move_on()

    def accept_all(self) -> None:
        """Ctrl+Shift+A: accept every suggestion shown on the document (one undo step)."""
        if not self.active or self.work.read_only or self.work.doc is None:
            return
        if not self.ready:
            self._message(self.tr("Suggestions are still being found."))
            return
        self._catch_up()
        items = self.shown.items
        if not items:
            self._message(self.tr("No suggestions left on this document."))
            return
        edit = AcceptSuggestions(self.work.doc.id, tuple(s.key for s in items))
        change = self.work.prepare(edit)
        if change is None:
            return
        added = len(change.spans_after) - len(change.spans_before)
        self.work.push(change, self.tr("Accept %n suggestion(s)", "", added))
        self._catch_up()
        text = self.tr("Accepted %n suggestion(s).", "", added)
        if change.skipped:  # as label all does: what was left alone, and why
            left = self.tr(
                "%n left alone: it overlaps a span already there.", "", len(change.skipped)
            )
            text = f"{text} {left}"
        self._message(text)

    def step(self, forward: bool) -> None:
        """N / Shift+N: move the caret to the next (previous) suggestion."""
        if not self.active or not self.ready:
            return
        self._catch_up()
        caret = self.text.caret()
        sug = self.shown.next_after(caret + 1) if forward else self.shown.previous_before(caret)
        if sug is None:
            self._message(self.tr("No suggestions left on this document."))
            return
        self._go_to(sug)

    def _move_on(self) -> None:
        """After A or R the caret stays: the suggestion it now targets (the next one) is
        current and the status bar describes it, never the one just decided; N goes to it."""
        self._catch_up()
        following = self.shown.target(self.text.caret())
        self.layer.set_current(following)
        text = (
            self.describe(following)
            if following is not None
            else self.tr("No suggestions left on this document.")
        )
        # in place of the selected span's description, which waits for the text's paint
        self.w.annotating.later("selection", partial(self.w.selection_label.setText, text))

    def _go_to(self, sug: Suggestion | None, quiet: bool = False) -> None:
        if sug is None:
            return
        cursor = self.text.cursor_at(sug.start)
        self.text.setTextCursor(cursor)
        self.text.ensureCursorVisible()
        if not quiet:
            self.w.selection_label.setText(self.describe(sug))

    # -- view ------------------------------------------------------------------------------

    def visibility_toggled(self) -> None:
        """View ▸ Show suggestions (remembered)."""
        visible = self.reg["view.suggestions"].isChecked()
        self.w.settings.q.setValue("suggestions/show", "true" if visible else "false")
        self.layer.set_visible(visible)
        if visible and not self.ready:
            self.refresh_document()
        self._show_counts()
        self._update_enabled()

    def set_mode(self, mode: str) -> None:
        """View ▸ Suggest from: rules, the model, both or none (remembered per project)."""
        self.mode = mode
        self.reg[f"suggest.from.{mode}"].setChecked(True)
        self.w.settings.q.setValue(self._key("mode"), mode)
        self._show_source()
        self.refresh_document()
        self._update_enabled()

    def _update_enabled(self) -> None:
        active = self.active
        for action_id in ("suggest.next", "suggest.previous"):
            self.reg[action_id].setEnabled(active)
        for action_id in EDITING:
            self.reg[action_id].setEnabled(active and not self.work.read_only)

    # -- training --------------------------------------------------------------------------

    def train(self) -> None:
        """Review ▸ Train suggestion model: in a worker thread, with progress and Cancel."""
        if self.training is not None and self.training.running:
            self.training.dialog.raise_()
            return
        if not spacy_installed():
            note = self.tr(
                "Training needs spaCy, an optional extra: pip install 'annotator[spacy]'"
            )
            self._note = note
            self.pane.show_model(self.info, note)
            self._message(note)
            return
        self.training = TrainingRun(self.project, self.w)
        self.training.finished.connect(self._trained)
        self.training.start()
        self._message(self.tr("Training the suggestion model…"))

    def _trained(self, result: TrainResult | None, error: str) -> None:
        if error:
            self._note = self.tr("Training failed: %1").replace("%1", error)
        elif result is None or result.cancelled:
            self._note = self.tr("Training cancelled; the previous model is kept.")
        else:
            self._note = ""
            self.info = result.info
            if self.mode == "rules":  # the annotator asked for a model: show what it finds
                self.set_mode("both")
            else:
                self.refresh_document()
        self.pane.show_model(self.info, self._note)
        self._show_counts()
        self._message(self._note or self._model_text())
        self.training_finished.emit(result, error)

    def _model_text(self) -> str:
        info = self.info
        if info is None:
            return ""
        f1 = "n/a" if info.f1 is None else f"{info.f1:.2f}"
        return (
            self.tr("Model F1 %1 on %2 held-out documents")
            .replace("%1", f1)
            .replace("%2", str(info.held_out))
        )

    # -- texts -----------------------------------------------------------------------------

    def describe(self, sug: Suggestion) -> str:
        """A suggestion in words, with the keys that act on it (its tooltip)."""
        doc = self.work.doc
        words = " ".join(doc.text[sug.start : sug.end].split()) if doc is not None else ""
        source = SOURCE_TEXTS.get(sug.source)
        return (
            self.tr("Suggestion: %1 “%2” (%3, score %4). %5 accepts, %6 rejects.")
            .replace("%1", sug.label)
            .replace("%2", shorten(words, 60))
            .replace("%3", QCoreApplication.translate(CONTEXT, source) if source else sug.source)
            .replace("%4", f"{sug.score:.2f}")
            .replace("%5", self.reg.key_text("suggest.accept") or "-")
            .replace("%6", self.reg.key_text("suggest.reject") or "-")
        )

    def _show_counts(self) -> None:
        pending = self.active and not self.ready
        count = self.shown.count if self.active else 0
        self.pane.show_count(count, pending)
        if not self.active:
            text = ""
        elif pending:
            text = self.tr("Finding suggestions…")
        else:
            text = self.tr("%n suggestion(s) left", "", count)
        if self.mode in ("model", "both") and self.info is not None and text:
            text = f"{text} · {self._model_text()}"
        self.count_label.setText(text)

    def _show_source(self) -> None:
        self.pane.show_source(QCoreApplication.translate(CONTEXT, MODE_TEXTS[self.mode]))

    def _message(self, text: str) -> None:
        self.w.statusBar().showMessage(text, MESSAGE_MS)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.w and event.type() == QEvent.Type.LanguageChange:
            self._show_counts()
            self._show_source()
        return False

    def shutdown(self) -> None:
        """The window closed (or the application quits): stop the worker and any training run."""
        if self._stopped:
            return
        self._stopped = True
        if self.training is not None:
            self.training.wait()
        self.background.stop()
