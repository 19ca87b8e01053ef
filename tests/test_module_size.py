"""No module of the ``annotator`` package is over 500 lines.

A module past the limit is split by concept (one idea a module), not cut to fit: a newcomer
reads a module whole, and a long one hides several things behind one name.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "annotator"
MAX_LINES = 500


def line_count(path: Path) -> int:
    """Lines as an editor numbers them (a last line without a newline counts)."""
    return len(path.read_text(encoding="utf-8").splitlines())


def test_the_check_sees_the_package() -> None:
    modules = {p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py")}
    assert {"cli.py", "core/store.py", "ui/app.py", "ui/window/main_window.py"} <= modules


def test_line_count_counts_an_unterminated_last_line(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text("a = 1\r\nb = 2\n\nc = 3", encoding="utf-8")
    assert line_count(path) == 4


def test_no_module_is_over_500_lines() -> None:
    too_long = {
        p.relative_to(PACKAGE).as_posix(): n
        for p in sorted(PACKAGE.rglob("*.py"))
        if (n := line_count(p)) > MAX_LINES
    }
    assert too_long == {}, f"split these modules by concept (at most {MAX_LINES} lines)"
