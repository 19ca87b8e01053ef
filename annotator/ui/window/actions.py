"""Every command of the window, declared once as data and built by one factory.

An ``ActionSpec`` names an action (its id is the QAction's ``objectName``, the settings key of
its shortcuts and what tests ``findChild``), its text, default keys and scope. ``MENUS`` lays
the menus out by id. ``ActionRegistry`` builds the QActions, applies the user's shortcuts from
settings, binds handlers, retranslates on a language change and makes the menus.

Extension points for later features: the Review menu (id ``review``) holds a disabled
placeholder ``review.agreement`` and File holds ``file.export``; a feature enables the
placeholder and binds a handler with ``registry.bind(id, handler)``, or adds its own spec with
``registry.add(spec, handler)`` and inserts it with ``registry.menu(menu_id).addAction``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

from annotator.ui.window.i18n import QT_TRANSLATE_NOOP
from annotator.ui.window.settings import Settings

CONTEXT = "actions"


@dataclass(frozen=True)
class ActionSpec:
    """One command: id, text (translated in context "actions"), default keys, scope."""

    id: str
    text: str
    keys: tuple[str, ...] = ()
    tip: str = ""
    checkable: bool = False
    enabled: bool = True
    scope: str = "window"  # "window": anywhere in the window; "text": only in the text view
    group: str | None = None  # exclusive choice among the actions of one group
    translate: bool = True  # label names are data, not interface text
    short: str = ""  # the toolbar's text, when the menu's is too long


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("file.open", QT_TRANSLATE_NOOP("actions", "&Open project…"), ("Ctrl+O",)),
    ActionSpec(
        "file.open_server",
        QT_TRANSLATE_NOOP("actions", "Open &server project…"),
        ("Ctrl+Shift+O",),
        QT_TRANSLATE_NOOP("actions", "Open a project on a PostgreSQL server (a postgresql:// URL)"),
    ),
    ActionSpec(
        "file.conflicts",
        QT_TRANSLATE_NOOP("actions", "Resolve &conflicts…"),
        (),
        QT_TRANSLATE_NOOP(
            "actions", "Documents you changed on two computers: see both versions and choose"
        ),
        enabled=False,  # enabled on a server project with conflicts
    ),
    ActionSpec(
        "file.save",
        QT_TRANSLATE_NOOP("actions", "&Save"),
        ("Ctrl+S",),
        QT_TRANSLATE_NOOP("actions", "Write every journaled edit into the annotation file"),
    ),
    ActionSpec(
        "file.export",
        QT_TRANSLATE_NOOP("actions", "&Export…"),
        ("Ctrl+Shift+E",),
        QT_TRANSLATE_NOOP("actions", "Export the done annotations as training data"),
        enabled=False,  # enabled by export.install
    ),
    ActionSpec("file.quit", QT_TRANSLATE_NOOP("actions", "&Quit"), ("Ctrl+Q",)),
    ActionSpec("edit.undo", QT_TRANSLATE_NOOP("actions", "&Undo"), ("Ctrl+Z",)),
    ActionSpec("edit.redo", QT_TRANSLATE_NOOP("actions", "&Redo"), ("Ctrl+Shift+Z", "Ctrl+Y")),
    ActionSpec(
        "edit.label_all",
        QT_TRANSLATE_NOOP("actions", "Label &all occurrences"),
        ("Ctrl+L",),
        QT_TRANSLATE_NOOP(
            "actions", "Give every unlabelled occurrence of the selected span's text the same label"
        ),
        short=QT_TRANSLATE_NOOP("actions", "Label all"),
    ),
    ActionSpec(
        "edit.delete_span",
        QT_TRANSLATE_NOOP("actions", "&Delete span"),
        ("Del", "Backspace"),
        short=QT_TRANSLATE_NOOP("actions", "Delete"),
    ),
    ActionSpec(
        "edit.next_span", QT_TRANSLATE_NOOP("actions", "Select &next span"), ("Tab",), scope="text"
    ),
    ActionSpec(
        "edit.previous_span",
        QT_TRANSLATE_NOOP("actions", "Select &previous span"),
        ("Shift+Tab",),
        scope="text",
    ),
    ActionSpec(
        "edit.clear_selection",
        QT_TRANSLATE_NOOP("actions", "C&lear selection"),
        ("Esc",),
        scope="text",
    ),
    ActionSpec(
        "edit.exact",
        QT_TRANSLATE_NOOP("actions", "E&xact spans (no snapping)"),
        ("Ctrl+E",),
        QT_TRANSLATE_NOOP(
            "actions", "Keep selections as selected instead of widening them to whole tokens"
        ),
        checkable=True,
        short=QT_TRANSLATE_NOOP("actions", "Exact spans"),
    ),
    ActionSpec(
        "doc.done_next",
        QT_TRANSLATE_NOOP("actions", "&Done, next unfinished"),
        ("Ctrl+Return", "Ctrl+Enter"),
        short=QT_TRANSLATE_NOOP("actions", "✓ Done, next"),
    ),
    ActionSpec(
        "doc.skip",
        QT_TRANSLATE_NOOP("actions", "&Skip, next unfinished"),
        ("Ctrl+Shift+Return", "Ctrl+Shift+Enter"),
        short=QT_TRANSLATE_NOOP("actions", "Skip"),
    ),
    ActionSpec(
        "doc.next",
        QT_TRANSLATE_NOOP("actions", "&Next document"),
        ("Alt+Right",),
        short=QT_TRANSLATE_NOOP("actions", "Next ▶"),
    ),
    ActionSpec(
        "doc.previous",
        QT_TRANSLATE_NOOP("actions", "&Previous document"),
        ("Alt+Left",),
        short=QT_TRANSLATE_NOOP("actions", "◀ Previous"),
    ),
    ActionSpec("doc.find", QT_TRANSLATE_NOOP("actions", "&Find document…"), ("Ctrl+F",)),
    ActionSpec("view.zoom_in", QT_TRANSLATE_NOOP("actions", "Zoom &in"), ("Ctrl+=", "Ctrl++")),
    ActionSpec("view.zoom_out", QT_TRANSLATE_NOOP("actions", "Zoom &out"), ("Ctrl+-",)),
    ActionSpec("view.zoom_reset", QT_TRANSLATE_NOOP("actions", "&Actual size"), ("Ctrl+0",)),
    ActionSpec(
        "view.theme.system",
        QT_TRANSLATE_NOOP("actions", "&System theme"),
        checkable=True,
        group="theme",
    ),
    ActionSpec(
        "view.theme.light",
        QT_TRANSLATE_NOOP("actions", "&Light theme"),
        checkable=True,
        group="theme",
    ),
    ActionSpec(
        "view.theme.dark",
        QT_TRANSLATE_NOOP("actions", "&Dark theme"),
        checkable=True,
        group="theme",
    ),
    # language names are shown in their own language, so they are not translated
    ActionSpec("view.language.en", "English", checkable=True, group="language", translate=False),
    ActionSpec(
        "view.language.id", "Bahasa Indonesia", checkable=True, group="language", translate=False
    ),
    ActionSpec(
        "review.agreement",
        QT_TRANSLATE_NOOP("actions", "&Agreement dashboard"),
        ("F6",),
        enabled=False,
    ),
    ActionSpec(
        "review.gold",
        QT_TRANSLATE_NOOP("actions", "Annotators against &gold"),
        enabled=False,
    ),
    ActionSpec(
        "review.adjudicate",
        QT_TRANSLATE_NOOP("actions", "A&djudicate"),
        ("F7",),
        QT_TRANSLATE_NOOP("actions", "Compare every annotator's spans and build the gold set"),
        enabled=False,
    ),
    ActionSpec(
        "review.progress",
        QT_TRANSLATE_NOOP("actions", "&Progress"),
        ("F8",),
        QT_TRANSLATE_NOOP("actions", "Each annotator's assigned, done and skipped documents"),
        enabled=False,
    ),
    ActionSpec(
        "review.assign",
        QT_TRANSLATE_NOOP("actions", "A&ssign documents…"),
        (),
        QT_TRANSLATE_NOOP("actions", "Give documents to annotators, with overlap for agreement"),
        enabled=False,
    ),
    ActionSpec(
        "review.reload",
        QT_TRANSLATE_NOOP("actions", "&Reload annotators' files"),
        ("F5",),
        enabled=False,
    ),
    # suggestions (the window binds them, suggestions_controller handles them)
    ActionSpec(
        "suggest.accept",
        QT_TRANSLATE_NOOP("actions", "A&ccept suggestion"),
        ("A",),
        QT_TRANSLATE_NOOP("actions", "Accept the suggestion under the caret, else the next one"),
    ),
    ActionSpec(
        "suggest.reject",
        QT_TRANSLATE_NOOP("actions", "Re&ject suggestion"),
        ("R",),
        QT_TRANSLATE_NOOP(
            "actions", "Reject the suggestion under the caret, else the next one; it stays gone"
        ),
    ),
    ActionSpec(
        "suggest.accept_all",
        QT_TRANSLATE_NOOP("actions", "Accept all su&ggestions"),
        ("Ctrl+Shift+A",),
        short=QT_TRANSLATE_NOOP("actions", "Accept all"),
    ),
    ActionSpec("suggest.next", QT_TRANSLATE_NOOP("actions", "Nex&t suggestion"), ("N",)),
    ActionSpec(
        "suggest.previous", QT_TRANSLATE_NOOP("actions", "Pre&vious suggestion"), ("Shift+N",)
    ),
    ActionSpec(
        "view.suggestions",
        QT_TRANSLATE_NOOP("actions", "Show &suggestions"),
        ("Ctrl+Shift+H",),
        checkable=True,
    ),
    ActionSpec(
        "suggest.from.rules",
        QT_TRANSLATE_NOOP("actions", "&Rules"),
        checkable=True,
        group="suggest",
    ),
    ActionSpec(
        "suggest.from.model",
        QT_TRANSLATE_NOOP("actions", "The project's &model"),
        checkable=True,
        group="suggest",
    ),
    ActionSpec(
        "suggest.from.both",
        QT_TRANSLATE_NOOP("actions", "Rules &and model"),
        checkable=True,
        group="suggest",
    ),
    ActionSpec(
        "suggest.from.none",
        QT_TRANSLATE_NOOP("actions", "&Nothing"),
        checkable=True,
        group="suggest",
    ),
    ActionSpec(
        "suggest.train",
        QT_TRANSLATE_NOOP("actions", "&Train suggestion model…"),
        tip=QT_TRANSLATE_NOOP(
            "actions", "Train the project's model on the done annotations, in the background"
        ),
        short=QT_TRANSLATE_NOOP("actions", "Train model"),
    ),
    ActionSpec("help.shortcuts", QT_TRANSLATE_NOOP("actions", "&Keyboard shortcuts"), ("F1",)),
    ActionSpec("help.guidelines", QT_TRANSLATE_NOOP("actions", "&General guidelines")),
    ActionSpec("help.about", QT_TRANSLATE_NOOP("actions", "&About annotator")),
)

# "-" is a separator; "@name" a sub-menu filled by the window (see MainWindow._submenus).
MENUS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "file",
        QT_TRANSLATE_NOOP("menus", "&File"),
        (
            "file.open",
            "file.open_server",
            "@recent",
            "-",
            "file.save",
            "file.export",
            "file.conflicts",
            "-",
            "file.quit",
        ),
    ),
    (
        "edit",
        QT_TRANSLATE_NOOP("menus", "&Edit"),
        (
            "edit.undo",
            "edit.redo",
            "-",
            "@labels",
            "edit.label_all",
            "edit.delete_span",
            "-",
            "edit.next_span",
            "edit.previous_span",
            "edit.clear_selection",
            "-",
            "edit.exact",
            "-",
            "suggest.accept",
            "suggest.reject",
            "suggest.accept_all",
            "suggest.next",
            "suggest.previous",
        ),
    ),
    (
        "document",
        QT_TRANSLATE_NOOP("menus", "&Document"),
        ("doc.done_next", "doc.skip", "-", "doc.next", "doc.previous", "-", "doc.find"),
    ),
    (
        "view",
        QT_TRANSLATE_NOOP("menus", "&View"),
        (
            "view.zoom_in",
            "view.zoom_out",
            "view.zoom_reset",
            "-",
            "@theme",
            "@language",
            "-",
            "view.suggestions",
            "@suggest_from",
            "-",
            "@panels",
        ),
    ),
    (
        "review",
        QT_TRANSLATE_NOOP("menus", "&Review"),
        (
            "review.agreement",
            "review.gold",
            "-",
            "review.adjudicate",
            "-",
            "review.progress",
            "review.assign",
            "-",
            "review.reload",
            "-",
            "suggest.train",
        ),
    ),
    (
        "help",
        QT_TRANSLATE_NOOP("menus", "&Help"),
        ("help.shortcuts", "help.guidelines", "-", "help.about"),
    ),
)
SUBMENUS: dict[str, str] = {
    "@recent": QT_TRANSLATE_NOOP("menus", "Open &recent"),
    "@labels": QT_TRANSLATE_NOOP("menus", "&Label selection as"),
    "@theme": QT_TRANSLATE_NOOP("menus", "&Theme"),
    "@language": QT_TRANSLATE_NOOP("menus", "&Language"),
    "@panels": QT_TRANSLATE_NOOP("menus", "&Panels"),
    "@suggest_from": QT_TRANSLATE_NOOP("menus", "Suggest &from"),
}


def label_spec(name: str, key: str) -> ActionSpec:
    """The action that labels the selection (or relabels the selected span) as ``name``."""
    return ActionSpec(f"label.{name}", name, (key,) if key else (), translate=False)


class ActionRegistry(QObject):
    """The window's QActions by id, built from specs; see the module docstring."""

    def __init__(self, window: QWidget, text_widget: QWidget, settings: Settings) -> None:
        super().__init__(window)
        self.window = window
        self.text_widget = text_widget
        self.settings = settings
        self.specs: dict[str, ActionSpec] = {}
        self.actions: dict[str, QAction] = {}
        self.groups: dict[str, QActionGroup] = {}
        self.menus: dict[str, QMenu] = {}

    def __getitem__(self, action_id: str) -> QAction:
        return self.actions[action_id]

    def add(self, spec: ActionSpec, handler: Callable[[], object] | None = None) -> QAction:
        """Build the QAction of ``spec`` (or adopt an existing one) and bind ``handler``."""
        action = self.actions.get(spec.id) or QAction(self.window)
        action.setObjectName(spec.id)
        action.setCheckable(spec.checkable)
        action.setEnabled(spec.enabled)
        if spec.group:
            group = self.groups.get(spec.group)
            if group is None:
                group = self.groups[spec.group] = QActionGroup(self.window)
                group.setExclusive(True)
            group.addAction(action)
        if spec.scope == "text":
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.text_widget.addAction(action)
        else:
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.window.addAction(action)
        self.specs[spec.id] = spec
        self.actions[spec.id] = action
        self._apply_texts(spec, action)
        action.setShortcuts(self.settings.shortcuts(spec.id, spec.keys))
        if handler is not None:
            self.bind(spec.id, handler)
        return action

    def add_all(self, specs: Iterable[ActionSpec]) -> None:
        """Build every spec not built yet."""
        for spec in specs:
            if spec.id not in self.actions:
                self.add(spec)

    def remove(self, action_id: str) -> None:
        """Drop an action (the project's labels changed)."""
        action = self.actions.pop(action_id, None)
        self.specs.pop(action_id, None)
        if action is not None:
            self.window.removeAction(action)
            self.text_widget.removeAction(action)
            action.deleteLater()

    def bind(self, action_id: str, handler: Callable[[], object]) -> None:
        """Run ``handler`` when the action is triggered (checkable: after it toggles)."""
        self.actions[action_id].triggered.connect(lambda _checked=False: handler())

    def reload_shortcuts(self) -> None:
        """Apply the shortcuts stored in settings (after the user rebinds one)."""
        for action_id, spec in self.specs.items():
            self.actions[action_id].setShortcuts(self.settings.shortcuts(action_id, spec.keys))

    def retranslate(self) -> None:
        """Re-read every text in the current language."""
        for action_id, spec in self.specs.items():
            self._apply_texts(spec, self.actions[action_id])
        for menu_id, menu in self.menus.items():
            menu.setTitle(QCoreApplication.translate("menus", _menu_title(menu_id)))

    def _apply_texts(self, spec: ActionSpec, action: QAction) -> None:
        text = QCoreApplication.translate(CONTEXT, spec.text) if spec.translate else spec.text
        action.setText(text)
        if spec.short:
            action.setIconText(QCoreApplication.translate(CONTEXT, spec.short))
        if spec.tip:
            tip = QCoreApplication.translate(CONTEXT, spec.tip)
            action.setToolTip(tip)
            action.setStatusTip(tip)

    def build_menus(self, bar: QMenuBar, fill: Callable[[str, QMenu], None]) -> dict[str, QMenu]:
        """Lay out MENUS in ``bar``; ``fill(name, menu)`` fills each ``@name`` sub-menu."""
        for menu_id, title, items in MENUS:
            menu = bar.addMenu(QCoreApplication.translate("menus", title))
            menu.setObjectName(f"menu.{menu_id}")
            self.menus[menu_id] = menu
            for item in items:
                if item == "-":
                    menu.addSeparator()
                elif item.startswith("@"):
                    sub = menu.addMenu(QCoreApplication.translate("menus", SUBMENUS[item]))
                    sub.setObjectName(f"menu.{item[1:]}")
                    self.menus[item[1:]] = sub
                    fill(item[1:], sub)
                else:
                    menu.addAction(self.actions[item])
        return self.menus

    def menu(self, menu_id: str) -> QMenu:
        """A menu by id (``file``, ``edit``, ``review``, ...), for features to extend."""
        return self.menus[menu_id]

    def key_text(self, action_id: str) -> str:
        """The action's keys as the user sees them (``Ctrl+Return``)."""
        keys = self.actions[action_id].shortcuts()
        return ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)


def _menu_title(menu_id: str) -> str:
    for mid, title, _ in MENUS:
        if mid == menu_id:
            return title
    return SUBMENUS[f"@{menu_id}"]
