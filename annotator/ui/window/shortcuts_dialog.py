"""Small dialogs: the keyboard cheat-sheet (F1), where keys can also be rebound.

The cheat-sheet lists every action with its current keys, built from the action registry, so
it never goes stale. A key typed into a row rebinds that action (stored in settings); a key
used by two actions is flagged before it is saved.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.ui.window.actions import MENUS, ActionRegistry
from annotator.ui.window.settings import Settings


def cheat_sheet_rows(registry: ActionRegistry) -> list[tuple[str, str]]:
    """``(action id, command text)`` in menu order, then the label keys."""
    ids: list[str] = []
    for _menu, _title, items in MENUS:
        ids += [i for i in items if i in registry.actions and i not in ids]
    ids += [i for i in registry.specs if i.startswith("label.") and i not in ids]
    ids = [i for i in ids if not i.startswith(("view.language.", "view.theme."))]
    rows = []
    for action_id in ids:
        spec = registry.specs[action_id]
        text = QCoreApplication.translate("actions", spec.text) if spec.translate else spec.text
        rows.append((action_id, text.replace("&", "")))
    return rows


class ShortcutsDialog(QDialog):
    """Every command and its keys; click a key cell and press new keys to rebind."""

    def __init__(
        self, registry: ActionRegistry, settings: Settings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("shortcuts_dialog")
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.registry = registry
        self.settings = settings
        self.rows = cheat_sheet_rows(registry)
        self.table = QTableWidget(len(self.rows), 2, self)
        self.table.setObjectName("shortcuts_table")
        self.table.setHorizontalHeaderLabels([self.tr("Command"), self.tr("Keys")])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents
        )
        self.edits: dict[str, QKeySequenceEdit] = {}
        for row, (action_id, text) in enumerate(self.rows):
            item = QTableWidgetItem(text)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            item.setToolTip(action_id)
            self.table.setItem(row, 0, item)
            keys = registry[action_id].shortcuts()
            edit = QKeySequenceEdit(keys[0] if keys else QKeySequence(), self.table)
            edit.setObjectName(f"keys.{action_id}")
            edit.setToolTip(registry.key_text(action_id))
            edit.editingFinished.connect(self._check)
            self.table.setCellWidget(row, 1, edit)
            self.edits[action_id] = edit
        self.warning = QLabel(self)
        self.warning.setObjectName("shortcut_conflicts")
        self.warning.setWordWrap(True)
        hint = QLabel(self.tr("Click a key and press the new one to rebind a command."), self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults,
            self,
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        restore = buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        restore.clicked.connect(self.restore_defaults)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.warning)
        layout.addWidget(buttons)
        self.resize(640, 720)

    def conflicts(self) -> list[str]:
        """Keys bound to more than one command (as text)."""
        seen: dict[str, str] = {}
        clashes: list[str] = []
        for action_id, edit in self.edits.items():
            key = edit.keySequence().toString(QKeySequence.SequenceFormat.NativeText)
            if key and key in seen:
                clashes.append(
                    QCoreApplication.translate("ShortcutsDialog", "%1 is used by %2 and %3")
                    .replace("%1", key)
                    .replace("%2", seen[key])
                    .replace("%3", action_id)
                )
            seen.setdefault(key, action_id)
        return clashes

    def _check(self) -> None:
        self.warning.setText("\n".join(self.conflicts()))

    def restore_defaults(self) -> None:
        """Forget every rebinding."""
        for action_id in self.edits:
            self.settings.set_shortcuts(action_id, None)
        self.registry.reload_shortcuts()
        for action_id, edit in self.edits.items():
            keys = self.registry[action_id].shortcuts()
            edit.setKeySequence(keys[0] if keys else QKeySequence())
        self._check()

    def accept(self) -> None:
        """Store the keys that changed and apply them."""
        if self.conflicts():
            self._check()
            return
        for action_id, edit in self.edits.items():
            current = self.registry[action_id].shortcuts()
            new = edit.keySequence()
            if (current[0] if current else QKeySequence()) != new:
                self.settings.set_shortcuts(action_id, [new] if not new.isEmpty() else [])
        self.registry.reload_shortcuts()
        super().accept()
