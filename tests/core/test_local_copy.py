"""The desktop's copy of a server project (annotator.core.pg.local_copy): written only when
what it holds changes, read back as written. Plain files: no server needed."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path
from typing import Any

import pytest

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


def _remember_many(base: str, first: int, count: int, start: Any) -> None:
    os.environ["ANNOTATOR_DATA"] = base
    start.wait()
    for n in range(first, first + count):
        local_copy.remember(f"postgresql://ani@db{n}.example/news", Path(base) / f"copy-{n}")


def test_processes_noting_servers_at_once_keep_every_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each process notes its own servers at the same moment: none is lost to another's write
    (the index read, changed and written under one lock)."""
    context = multiprocessing.get_context("fork")
    processes, each = 8, 15
    start = context.Barrier(processes)
    workers = [
        context.Process(target=_remember_many, args=(str(tmp_path), p * each, each, start))
        for p in range(processes)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    index = json.loads((tmp_path / "servers" / "index.json").read_text())
    assert len(index) == processes * each
    monkeypatch.setenv("ANNOTATOR_DATA", str(tmp_path))
    for n in range(processes * each):
        url = f"postgresql://ani:secret@db{n}.example/news"  # the password plays no part
        assert local_copy.recall(url) == tmp_path / f"copy-{n}"
