"""What the window's item models share: every one is read-only, flat and selectable."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

READ_ONLY = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
)


def read_only_flags(index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
    """``flags()`` of a read-only flat model: selectable items, no children, none invalid."""
    return READ_ONLY if index.isValid() else Qt.ItemFlag.NoItemFlags
