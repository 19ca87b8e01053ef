"""The window's pure parts: the document clock, the text given to Qt, guidelines."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from annotator.core.model import Label
from annotator.core.offsets import Utf16Map
from annotator.ui.annotating.document_clock import DocumentClock
from annotator.ui.annotating.guidelines import general_markdown, guideline_markdown
from annotator.ui.widgets.text_view import display_text


def test_clock_counts_active_time_and_drops_idle_time() -> None:
    clock = DocumentClock(idle_limit=60)
    clock.resume(100.0)
    clock.activity(130.0)
    assert clock.elapsed(150.0) == 50.0
    clock.pause(150.0)
    assert clock.elapsed(500.0) == 50.0  # the window was inactive
    clock.resume(500.0)
    clock.activity(510.0)
    # away from 510 to 900: only the first 60 s of that stretch count
    clock.activity(900.0)
    clock.pause(910.0)
    assert clock.take(910.0) == 50.0 + 10.0 + 60.0 + 10.0
    assert clock.take(1000.0) == 0.0


def test_clock_take_restarts_a_running_clock() -> None:
    clock = DocumentClock()
    clock.resume(0.0)
    assert clock.take(5.0) == 5.0
    assert clock.running
    assert clock.take(7.0) == 2.0


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["a", "é", "🇮🇩", "\n", "\r\n", "\u2028", "\u00a0", "e\u0301", "👩🏽‍💻", " ", "\ufeff"]
        ),
        max_size=30,
    )
)
def test_qt_sees_the_text_at_the_same_utf16_length(qapp: QApplication, parts: list[str]) -> None:
    text = "".join(parts)
    edit = QPlainTextEdit()
    edit.setPlainText(display_text(text))
    # one more for the document's final paragraph separator
    assert edit.document().characterCount() == Utf16Map(text).length16 + 1


def test_guideline_prefers_the_project_then_the_package_then_the_description(
    tmp_path: Path,
) -> None:
    label = Label(name="PERSON", description="A named person")
    packaged = guideline_markdown(label, "en")
    assert packaged.startswith("# PERSON")
    assert "Safrizal" in packaged
    indonesian = guideline_markdown(label, "id")
    assert indonesian != packaged
    custom = Label(name="VEHICLE", description="A car, bus or train")
    assert guideline_markdown(custom, "id") == "# VEHICLE\n\nA car, bus or train\n"
    own = tmp_path / "guidelines" / "id"
    own.mkdir(parents=True)
    (own / "VEHICLE.md").write_text("# Kendaraan\n\nMobil, bus, kereta.\n", encoding="utf-8")
    assert guideline_markdown(custom, "id", tmp_path).startswith("# Kendaraan")
    assert guideline_markdown(custom, "en", tmp_path) == "# VEHICLE\n\nA car, bus or train\n"
    assert general_markdown("en").startswith("#")
