"""The desktop's copy of a server project (annotator.core.pg.local_copy): written only when
what it holds changes, read back as written. Plain files: no server needed."""

from __future__ import annotations

from pathlib import Path

from annotator.core.pg import local_copy


def test_the_same_list_is_not_written_again(tmp_path: Path) -> None:
    rows = [("d1", "a" * 64, "Banjir di Medan"), ("d2", "b" * 64, "Gempa 🙏 Cianjur")]
    local_copy.save_list(tmp_path, rows)
    path = tmp_path / local_copy.DOCUMENTS
    first = path.stat()
    local_copy.save_list(tmp_path, list(rows))
    again = path.stat()
    # atomic_write replaces the file: an unchanged inode means nothing was written
    assert (again.st_ino, again.st_mtime_ns) == (first.st_ino, first.st_mtime_ns)
    assert local_copy.load_list(tmp_path) == rows


def test_a_changed_list_is_written(tmp_path: Path) -> None:
    local_copy.save_list(tmp_path, [("d1", "a" * 64, "Banjir")])
    first = (tmp_path / local_copy.DOCUMENTS).stat()
    changed = [("d1", "a" * 64, "Banjir"), ("d2", "b" * 64, None)]
    local_copy.save_list(tmp_path, changed)
    assert (tmp_path / local_copy.DOCUMENTS).stat().st_ino != first.st_ino
    assert local_copy.load_list(tmp_path) == changed


def test_a_damaged_copy_is_replaced_by_the_same_content(tmp_path: Path) -> None:
    plan = [("d1", "ani", 1.5), ("d1", "budi", None)]
    local_copy.save_plan(tmp_path, plan)
    path = tmp_path / local_copy.PLAN
    path.write_bytes(path.read_bytes()[:-1] + b"x")  # same size, different bytes
    local_copy.save_plan(tmp_path, plan)
    assert local_copy.load_plan(tmp_path) == plan
