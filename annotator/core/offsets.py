"""Code points (Python) <-> UTF-16 code units (Qt): the one place offsets are converted."""

from __future__ import annotations

from bisect import bisect_left, bisect_right


class Utf16Map:
    """Convert positions in one text between code points and UTF-16 code units.

    Keeps the sorted code-point indices of the text's non-BMP characters (each takes two
    UTF-16 units); a conversion is a bisect. Identity, at no cost, for texts without any.
    """

    __slots__ = ("_astral", "_astral16", "length", "length16")

    def __init__(self, text: str) -> None:
        if text.isascii():
            self._astral: list[int] = []
        else:
            self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        # UTF-16 index of each non-BMP character: its code-point index plus the ones before it.
        self._astral16 = [cp + k for k, cp in enumerate(self._astral)]
        self.length = len(text)
        self.length16 = len(text) + len(self._astral)

    def to_utf16(self, pos: int) -> int:
        """UTF-16 position of code-point position ``pos`` (0 <= pos <= len(text))."""
        if not self._astral:
            return pos
        return pos + bisect_left(self._astral, pos)

    def to_code_point(self, pos16: int) -> int:
        """Code-point position of UTF-16 position ``pos16``.

        A position inside a surrogate pair (Qt accepts those) rounds down to the start of
        the character, so a span never splits an emoji.
        """
        if not self._astral:
            return pos16
        k = bisect_right(self._astral16, pos16 - 1)  # astral chars starting before pos16
        if k and self._astral16[k - 1] == pos16 - 1:  # pos16 falls between the two halves
            return pos16 - 1 - (k - 1)
        return pos16 - k
