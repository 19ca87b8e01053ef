"""Contrast, checked numerically in both themes: every label colour's fill, underline,
suggestion outline and swatch (on a plain and on a selected row), the review marks, and the
window's own text colours. WCAG 2.2: 4.5:1 for text and thin lines, 3:1 for graphics."""

from __future__ import annotations

from pathlib import Path

import pytest
from _helpers_window import make_project, settings_at, window_on
from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QColor, QIcon, QPalette
from pytestqt.qtbot import QtBot

from annotator.core.contrast import (
    GRAPHIC,
    TEXT,
    contrast,
    ink,
    outline_colour,
    swatch_ring,
    tint,
    underline_colour,
)
from annotator.core.model import DEFAULT_LABELS
from annotator.ui.annotating.palette import NAME
from annotator.ui.review.adjudication_page import DISPUTED, RESOLVED
from annotator.ui.widgets.highlighter import readable_on
from annotator.ui.window.theme import COLOURS, SPAN_ALPHA

KINDS = ("light", "dark")
LABEL_COLOURS = [colour for _name, _key, colour, _about in DEFAULT_LABELS]


@pytest.mark.parametrize("kind", KINDS)
def test_the_themes_own_text_reads(kind: str) -> None:
    c = COLOURS[kind]
    assert contrast(c["Text"], c["Base"]) >= TEXT
    assert contrast(c["WindowText"], c["Window"]) >= TEXT
    assert contrast(c["ButtonText"], c["Button"]) >= TEXT
    assert contrast(c["HighlightedText"], c["Highlight"]) >= TEXT
    assert contrast(c["ToolTipText"], c["ToolTipBase"]) >= TEXT
    assert contrast(c["PlaceholderText"], c["Base"]) >= TEXT
    assert contrast(c["Link"], c["Base"]) >= TEXT


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("colour", LABEL_COLOURS)
def test_every_label_colour_stands_out(kind: str, colour: str) -> None:
    c = COLOURS[kind]
    base, alpha = c["Base"], SPAN_ALPHA[kind]
    fill = tint(colour, base, alpha)
    assert contrast(c["Text"], fill) >= TEXT  # text on a span's fill
    selected = readable_on(QColor(colour)).name()
    assert contrast(selected, colour) >= TEXT  # text on the selected span
    assert contrast(underline_colour(colour, base, alpha), fill) >= GRAPHIC
    assert contrast(outline_colour(colour, base), base) >= TEXT  # thin dashed suggestion line
    assert contrast(swatch_ring(colour, base), base) >= GRAPHIC
    highlight = c["Highlight"]
    assert contrast(swatch_ring(colour, highlight, c["HighlightedText"]), highlight) >= GRAPHIC


@pytest.mark.parametrize("kind", KINDS)
def test_review_marks_stand_out(kind: str) -> None:
    base = COLOURS[kind]["Base"]
    for mark in (DISPUTED, RESOLVED):
        assert contrast(ink(mark.name(), base, TEXT), base) >= TEXT


def test_the_dark_window_draws_with_those_colours(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "p"
    make_project(root, [("d1", "Presiden Joko Widodo ke Makassar.")])
    settings = settings_at(tmp_path / "settings.ini")
    settings.theme = "dark"
    with window_on(qtbot, root, settings=settings) as win:
        pal = win.palette()
        base = pal.color(QPalette.ColorRole.Base).name()
        highlight = pal.color(QPalette.ColorRole.Highlight).name()
        assert base == COLOURS["dark"]["Base"]
        # the suggestion outline of PERSON as the layer draws it
        outline = win.suggestions.layer._ink("PERSON")
        assert outline is not None
        assert contrast(outline.name(), base) >= TEXT
        # the swatch on the selected row of the Labels pane: its ring as painted
        model = win.label_model
        icon = model.data(model.index(0, NAME, QModelIndex()), 1)
        assert isinstance(icon, QIcon)
        image = icon.pixmap(32, 32, QIcon.Mode.Selected).toImage()
        ring = image.pixelColor(round(4 * image.width() / 32), round(11 * image.height() / 32))
        assert contrast(ring.name(), highlight) >= GRAPHIC
        normal = icon.pixmap(32, 32, QIcon.Mode.Normal).toImage()
        ring = normal.pixelColor(round(4 * normal.width() / 32), round(11 * normal.height() / 32))
        assert contrast(ring.name(), base) >= GRAPHIC
