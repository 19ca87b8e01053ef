"""Finding the documents whose text holds a string, quickly on 100,000 documents.

The document list's filter searches each document's title, id and text (case-insensitive,
as a substring, like the title filter always did). Reading ``documents.jsonl`` and decoding
every line for each key press would cost seconds on a big project, and keeping every text in
memory would cost as much memory as the file. So the texts are copied once, case-folded, one
line per document in list order, to ``.annotator/cache/search.txt``, and searched through
``mmap``: a search is then a run of ``bytes.find`` over that copy (the operating system keeps
it in its page cache), and each hit jumps to the next document's line.

The copy's first line names the ``documents.jsonl`` it was made from (size, time, inode, and
how many documents): a copy made from another state of the file is made again. Making it
is one sequential read of the documents file; ``bench/bench_search.py`` measures both.
"""

from __future__ import annotations

import contextlib
import json
import mmap
from bisect import bisect_right
from collections.abc import Iterator
from pathlib import Path

from annotator.core.documents import DocumentStore
from annotator.core.index import stat_key
from annotator.core.jsonl import atomic_write, iter_lines

MAGIC = b"annotator-search 1"
CACHE_NAME = "search.txt"


def fold(text: str) -> bytes:
    """What is searched: the text case-folded, line breaks as spaces, in UTF-8."""
    return text.casefold().replace("\n", " ").encode("utf-8", "surrogatepass")


def _header(documents: DocumentStore) -> bytes:
    size, mtime, inode = stat_key(documents.path)
    return b"%s %d %d %d %d\n" % (MAGIC, size, mtime, inode, len(documents))


class TextSearch:
    """The case-folded texts of a project's documents (see the module docstring)."""

    def __init__(self, path: Path, rows: int) -> None:
        self.path = path
        self.rows = rows
        self._file = open(path, "rb")  # noqa: SIM115 - kept open for the mapping's life
        try:
            self._data = mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ)
        except BaseException:
            self._file.close()
            raise
        first = self._data.find(b"\n") + 1
        starts = [first]
        find = self._data.find
        pos = find(b"\n", first)
        while pos != -1:
            starts.append(pos + 1)
            pos = find(b"\n", pos + 1)
        # starts[i] is where row i's line begins; the last entry is the end of the file
        if len(starts) != rows + 1:
            self.close()
            raise ValueError(f"{path}: {len(starts) - 1} lines for {rows} documents")
        self._starts = starts

    @classmethod
    def open(cls, documents: DocumentStore, cache_dir: Path) -> TextSearch:
        """The search of ``documents``: the cached copy when it is of the file as it is now,
        else a new copy (written atomically; an old one is replaced)."""
        path = cache_dir / CACHE_NAME
        header = _header(documents)
        with contextlib.suppress(OSError, ValueError):
            with open(path, "rb") as f:
                cached = f.readline()
            if cached == header:
                return cls(path, len(documents))
        atomic_write(path, _copy(documents, header))
        return cls(path, len(documents))

    def find(self, query: str) -> list[int]:
        """The rows (in list order) whose text holds ``query``, case-insensitive."""
        needle = fold(query)
        if not needle:
            return list(range(self.rows))
        starts, data, found = self._starts, self._data, []
        end = starts[-1]
        pos = data.find(needle, starts[0])
        while pos != -1:
            row = bisect_right(starts, pos) - 1
            found.append(row)
            following = starts[row + 1]
            if following >= end:
                break
            pos = data.find(needle, following)
        return found

    def close(self) -> None:
        """Release the mapping and the file."""
        with contextlib.suppress(BufferError, ValueError):
            self._data.close()
        self._file.close()

    def __enter__(self) -> TextSearch:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _copy(documents: DocumentStore, header: bytes) -> Iterator[bytes]:
    """The copy's lines: the header, then one folded text per document in list order.

    One sequential read of the file: a line whose id is the next row's is that row's text;
    a row the read did not meet in order (a broken line, an id given twice) is read by id.
    """
    yield header
    ids, row, chunk = documents.ids, 0, []
    if documents.path.exists():
        for _, _, raw in iter_lines(documents.path):
            if row >= len(ids):
                break
            try:
                record = json.loads(raw)
            except ValueError:
                continue
            if not isinstance(record, dict) or record.get("id") != ids[row]:
                continue
            text = record.get("text")
            chunk.append(fold(text if isinstance(text, str) else "") + b"\n")
            row += 1
            if len(chunk) >= 1000:
                yield b"".join(chunk)
                chunk = []
    if chunk:
        yield b"".join(chunk)
    for doc_id in ids[row:]:
        yield fold(documents.get(doc_id).text) + b"\n"
