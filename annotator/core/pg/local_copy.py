"""This desktop's copy of a server project, so the window opens while the server is away.

Each time a project is opened with the server reachable, the desktop's folder for it (the
store's ``cache_dir``, beside the outboxes) gets what opening needs: the project's settings
and who this login is (``project.json``), the list of documents this person may read
(``documents.json``), the texts read so far (``texts.jsonl``, one line per document, appended
as each is read), the plan (``plan.json``) and, per annotator, the server's rows as last
confirmed (``<name>.rows.json``, written when a session opens and when its outbox is
emptied). A folder per URL is found again through ``servers/index.json`` in the user's data
folder (the URL without its password).

When the server cannot be reached, ``open_pg_project`` opens from this copy: the documents
read before are annotated as usual (the outbox replays on top of the rows), the others say
they are not on this desktop. Nothing here is the record: the server is; files that cannot be
read are ignored (the copy is refreshed at the next open with the server).

For that reason the copy is written without waiting for the disk (no fsync): a power cut may
take back a refresh, which leaves the copy before it or a file that is ignored. Fifty desktops
opening at once each flushed ten times here, on the disk their outboxes and the server flush
edits on (decision 0099). The one write that waits is an annotator's rows just before their
outbox is emptied (``save_rows(..., durable=True)``): the outbox replays on top of them offline.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from pathlib import Path
from typing import Any

from annotator.core.jsonl import atomic_write, fsync_dir
from annotator.core.model import Document
from annotator.core.paths import user_data_dir
from annotator.core.pg import strip_password
from annotator.core.pg.desktop import server_key

PROJECT, DOCUMENTS, TEXTS, PLAN = "project.json", "documents.json", "texts.jsonl", "plan.json"


def _write(path: Path, data: object, durable: bool = False) -> None:
    """Write ``data`` as JSON, atomically, unless the file already holds exactly that (every
    reader of a project refreshes the copy: a lead's recounts would rewrite and fsync the same
    list of 100,000 documents each time); a copy that cannot be written is no error."""
    encoded = json.dumps(data, ensure_ascii=False).encode("utf-8")
    with contextlib.suppress(OSError):
        if path.stat().st_size == len(encoded) and path.read_bytes() == encoded:
            if durable:  # the same bytes, perhaps written without waiting: on disk now
                fd = os.open(path, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
                fsync_dir(path.parent)
            return
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, [encoded], durable=durable)


def _read(path: Path) -> Any:
    """The JSON of ``path``; None when missing or unreadable."""
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None


def _index() -> Path:
    base = os.environ.get("ANNOTATOR_DATA")
    return (Path(base) if base else user_data_dir()) / "servers" / "index.json"


INDEX_WAIT = 5.0
"""Seconds a desktop waits for another process writing the index before leaving it unwritten
(the copy is no record: the next opening with the server notes it again)."""


def remember(url: str, cache_dir: Path) -> None:
    """Note that ``url`` (its password left out) keeps its copy in ``cache_dir``.

    The index is shared by every process of this user: the window, a second window, the
    commands. Its read, change and write are made under a lock on ``index.json.lock``, read
    again once the lock is held, so two processes noting two servers at once keep both (without
    it the one writing last dropped the other's entry, and that copy was no longer found
    offline). Only a change takes the lock: opening a server already noted reads only."""
    key = server_key(strip_password(url))
    index = _index()
    found = _read(index)
    if isinstance(found, dict) and found.get(key) == str(cache_dir):
        return
    from filelock import FileLock, Timeout  # only the first opening of a server writes

    with contextlib.suppress(OSError):
        index.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(index) + ".lock", timeout=INDEX_WAIT)
    try:
        lock.acquire()
    except (Timeout, OSError):
        return
    try:
        found = _read(index)
        known = found if isinstance(found, dict) else {}
        if known.get(key) != str(cache_dir):
            known[key] = str(cache_dir)
            _write(index, known)
    finally:
        lock.release()


def recall(url: str) -> Path | None:
    """The folder of ``url``'s copy, if it was ever opened here."""
    found = _read(_index())
    if not isinstance(found, dict):
        return None
    folder = found.get(server_key(strip_password(url)))
    return Path(folder) if isinstance(folder, str) else None


def save_project(cache_dir: Path, data: dict[str, Any]) -> None:
    """The settings and who this login is."""
    _write(cache_dir / PROJECT, data)


def load_project(cache_dir: Path) -> dict[str, Any] | None:
    found = _read(cache_dir / PROJECT)
    return found if isinstance(found, dict) else None


def save_list(cache_dir: Path, rows: list[tuple[str, str, str | None]]) -> None:
    """The list of documents: ``(id, sha256, title or None)`` in project order."""
    _write(cache_dir / DOCUMENTS, [list(r) for r in rows])


def load_list(cache_dir: Path) -> list[tuple[str, str, str | None]] | None:
    found = _read(cache_dir / DOCUMENTS)
    if not isinstance(found, list):
        return None
    return [(str(r[0]), str(r[1]), r[2] if isinstance(r[2], str) else None) for r in found]


def add_texts(cache_dir: Path, docs: list[Document]) -> None:
    """Keep documents' texts read from the server (a line appended each), unless kept
    already: a text never changes on the server (a new text is a new document), and every
    session reads its annotator's next documents again."""
    with _KEPT_LOCK:
        kept = _KEPT.get(cache_dir)
        if kept is None:
            kept = _KEPT[cache_dir] = set(load_texts(cache_dir))
        fresh = [d for d in docs if d.id not in kept]
        if not fresh:
            return
        lines = "".join(
            json.dumps({"id": d.id, "text": d.text, "meta": d.meta}, ensure_ascii=False) + "\n"
            for d in fresh
        )
        with contextlib.suppress(OSError):
            cache_dir.mkdir(parents=True, exist_ok=True)
            with open(cache_dir / TEXTS, "a", encoding="utf-8") as out:
                out.write(lines)
            kept.update(d.id for d in fresh)


# The ids in each folder's texts.jsonl, read once per process.
_KEPT: dict[Path, set[str]] = {}
_KEPT_LOCK = threading.Lock()


def load_texts(cache_dir: Path) -> dict[str, Document]:
    """The texts kept (the last line of a document wins); a torn last line is skipped."""
    found: dict[str, Document] = {}
    try:
        lines = (cache_dir / TEXTS).read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return found
    for line in lines:
        try:
            data = json.loads(line)
            found[data["id"]] = Document(id=data["id"], text=data["text"], meta=data["meta"])
        except (ValueError, KeyError, TypeError):
            continue
    return found


def save_rows(
    cache_dir: Path, name: str, rows: dict[str, tuple[int, Any]], durable: bool = False
) -> None:
    """An annotator's rows as the server confirmed them: ``{doc: (revision, state)}``;
    ``durable`` before the outbox they stand under is emptied."""
    _write(cache_dir / f"{name}.rows.json", {d: [r, s] for d, (r, s) in rows.items()}, durable)


def load_rows(cache_dir: Path, name: str) -> dict[str, tuple[int, Any]] | None:
    found = _read(cache_dir / f"{name}.rows.json")
    if not isinstance(found, dict):
        return None
    return {str(d): (int(v[0]), v[1]) for d, v in found.items()}


def save_plan(cache_dir: Path, rows: list[tuple[str, str, float | None]]) -> None:
    """The plan as read: ``(document, annotator, assigned at)`` in order."""
    _write(cache_dir / PLAN, [list(r) for r in rows])


def load_plan(cache_dir: Path) -> list[tuple[str, str, float | None]] | None:
    found = _read(cache_dir / PLAN)
    if not isinstance(found, list):
        return None
    return [(str(r[0]), str(r[1]), r[2]) for r in found]
