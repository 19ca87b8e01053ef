"""Short one-line forms of texts, as messages and tooltips quote them."""

from __future__ import annotations

from annotator.core.text import shorten


def test_shorten_keeps_one_line_and_the_limit() -> None:
    assert shorten("Kementerian\n  Dalam Negeri", 40) == "Kementerian Dalam Negeri"
    assert shorten("Kementerian Dalam Negeri", 12) == "Kementerian…"
    assert len(shorten("🇮🇩 " * 30, 24)) == 24
