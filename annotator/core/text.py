"""Text as stored (docs/design.md 4): no leading BOM, ``\\n`` line endings, offsets remapped."""

from __future__ import annotations

from bisect import bisect_right


def normalise_text(raw: str) -> str:
    """Text as stored: a leading BOM dropped and line endings made ``\\n`` (docs/design.md 4)."""
    return raw.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


class Normalised:
    """A text normalised as stored, with the map from raw positions to stored positions.

    Only two things change the length of a text: a leading BOM and the ``\\r`` of each
    ``\\r\\n``. The positions of the removed characters are kept sorted; a raw position moves
    left by the number of them before it (a bisect). A lone ``\\r`` becomes ``\\n`` in place.
    """

    __slots__ = ("_removed", "raw", "text")

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.text = normalise_text(raw)
        removed: list[int] = []
        if len(self.text) != len(raw):
            if raw.startswith("\ufeff"):
                removed.append(0)
            pos = raw.find("\r\n")
            while pos != -1:
                removed.append(pos)
                pos = raw.find("\r\n", pos + 2)
        self._removed = removed

    def position(self, raw_pos: int) -> int:
        """Stored position of raw code-point position ``raw_pos`` (0 <= raw_pos <= len(raw)).

        A position between ``\\r`` and ``\\n`` maps to the ``\\n``, so a span keeps every
        character it covered except the dropped ``\\r``.
        """
        if not self._removed:
            return raw_pos
        return raw_pos - bisect_right(self._removed, raw_pos - 1)


def shorten(text: str, limit: int) -> str:
    """``text`` on one line (runs of whitespace as one space), cut to ``limit`` with "…"."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
