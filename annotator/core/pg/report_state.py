"""What the lead's last agreement report was made of, kept on the desktop so the next one
reads and computes only what changed (decision 0098).

Per set of compared annotators: the version of every submitted annotation (as the server gave
it), the compared documents, every pair's per-document parts (decision 0089) and the
bootstrap's replicate sums with the contributions they were summed from
(``replicate_sums.Kept``). The next report reads the versions from the server, takes each
pair's parts of the documents whose two annotations are at the same versions from here, asks
the server for the rest (kept there by any lead, or computed and kept), and updates the
replicate sums by the difference of the contributions when the compared documents are the
same; so after an edit of a hundred documents it neither reads every kept part again nor
draws every replicate again.

The file (``state-<annotators>.npz``, no pickles) is this desktop's own; one that cannot be
read, or was made under other labels, settings or version of annotator, is not used.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from annotator import __version__
from annotator.core.agreement import intervals as iv
from annotator.core.agreement.replicate_sums import Kept

IntArray = npt.NDArray[np.int64]
LAYOUT = 1  # of the file


@dataclass
class ReportState:
    """What one report of ``names`` was made of (see the module)."""

    versions: dict[str, dict[str, str]]  # annotator -> submitted document -> version
    doc_ids: list[str]  # the compared documents, in the report's order
    rows: list[IntArray]  # per pair (in pair order): one row of parts per compared document
    sums: Kept | None  # the replicate sums, when exact


class StateFile:
    """The kept ``ReportState`` of one set of annotators under one basis and settings."""

    def __init__(self, folder: Path, names: list[str], basis: str, settings: iv.Bootstrap):
        key = hashlib.sha256("\0".join(names).encode("utf-8")).hexdigest()[:16]
        self.path = folder / f"state-{key}.npz"
        self.names = names
        self.made_under = json.dumps([LAYOUT, __version__, names, basis, repr(settings)])

    def read(self) -> ReportState | None:
        """The kept state, or None (missing, damaged, made under anything else)."""
        try:
            with np.load(self.path, allow_pickle=False) as data:
                if str(data["made_under"]) != self.made_under:
                    return None
                return self._state(data)
        except (OSError, ValueError, KeyError, IndexError):
            return None

    def _state(self, data: Any) -> ReportState:
        versions = {
            name: dict(zip(_lines(data[f"docs{i}"]), _lines(data[f"versions{i}"]), strict=True))
            for i, name in enumerate(self.names)
        }
        doc_ids = _lines(data["doc_ids"])
        pairs = len(self.names) * (len(self.names) - 1) // 2
        rows = [data[f"rows{p}"].astype(np.int64) for p in range(pairs)]
        sums = Kept(data["twice"].astype(np.int64), data["sums"]) if "sums" in data else None
        if any(len(r) != len(doc_ids) for r in rows) or (sums and len(sums.twice) != len(doc_ids)):
            raise ValueError("a kept state of other documents")
        return ReportState(versions, doc_ids, rows, sums)

    def write(self, state: ReportState) -> None:
        """Keep ``state`` (written whole, then put in place); parts beyond 32 bits are not
        kept (the next report reads them from the server)."""
        arrays: dict[str, Any] = {
            "made_under": np.array(self.made_under),
            "doc_ids": _joined(state.doc_ids),
        }
        for i, name in enumerate(self.names):
            mine = state.versions.get(name, {})
            arrays[f"docs{i}"] = _joined(mine)
            arrays[f"versions{i}"] = _joined(mine.values())
        for p, rows in enumerate(state.rows):
            if rows.size and (rows.max() >= 2**31 or rows.min() < -(2**31)):
                return
            arrays[f"rows{p}"] = rows.astype(np.int32)
        if state.sums is not None:
            arrays["twice"] = state.sums.twice.astype(np.int32)
            arrays["sums"] = state.sums.sums
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_suffix(".partial")
            with open(partial, "wb") as out:
                np.savez(out, **arrays)
            os.replace(partial, self.path)


def _joined(strings: Iterable[str]) -> npt.NDArray[np.uint8]:
    """Non-empty strings as UTF-8 bytes, each after the one before and a NUL (which no text
    on the server holds)."""
    return np.frombuffer("\0".join(strings).encode("utf-8"), np.uint8)


def _lines(data: npt.NDArray[np.uint8]) -> list[str]:
    text = data.tobytes().decode("utf-8")
    return text.split("\0") if text else []
