"""Contrast ratios as WCAG measures them, and inks that reach a ratio on any background."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.contrast import GRAPHIC, TEXT, contrast, ink, luminance, mix, rgb, tint

colours = st.integers(0, 0xFFFFFF).map(lambda v: f"#{v:06x}")


def test_known_ratios() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#777777") == 1.0
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # WCAG's grey
    assert luminance("#ffffff") == pytest.approx(1.0)
    assert tint("#ff0000", "#ffffff", 0.25) == "#ffbfbf"
    assert mix("#000000", "#ffffff", 0.5) == "#808080"
    with pytest.raises(ValueError, match="rrggbb"):
        rgb("#fff")


def test_a_colour_that_stands_out_is_kept() -> None:
    assert ink("#4e79a7", "#ffffff", TEXT) == "#4e79a7"  # 4.55 on white
    darker = ink("#f28e2b", "#ffffff", GRAPHIC)  # orange on white: 2.4
    assert darker != "#f28e2b"
    assert contrast(darker, "#ffffff") >= GRAPHIC
    assert contrast(ink("#f28e2b", "#ffffff", GRAPHIC * 1.05), "#ffffff") < 3.3  # the least


@given(colours, colours, st.sampled_from([GRAPHIC, TEXT]))
def test_ink_reaches_the_minimum_on_any_background(colour: str, back: str, least: float) -> None:
    got = ink(colour, back, least)
    assert contrast(got, back) >= least
    if contrast(colour, back) >= least:
        assert got == colour
