"""The quick index of a JSONL file (decision 0046): each line's place and id, no summary yet.

Made from the file's lines cache (``index.load_lines``) when the file has not changed, or only
grew (then its tail is scanned), else by scanning the bytes (``line_scan``). It has the rows
and errors the full index (``index.build_index``) would have, once its lines are validated:
a line is validated when its summary is first asked for (``LineIndex.lookup``), and where two
lines hold one id the two are validated at once, so the id's row is the line the full index
gives it (the first valid one) and the other's error is the full index's.
"""

from __future__ import annotations

from pathlib import Path

from annotator.core.errors import AnnotatorError, RecordError
from annotator.core.index import (
    IndexKind,
    LineIndex,
    S,
    build_index,
    ends_line,
    lines_cache,
    load_lines,
    save_lines,
)
from annotator.core.line_scan import ScannedLine, scan_lines

QUICK_FROM_BYTES = 4_000_000
"""Files smaller than this are indexed in full even when a quick index is asked for: that
costs a few tens of milliseconds, and the window then has every figure at once."""


def quick_index(path: Path, kind: IndexKind[S], cache: Path | None) -> LineIndex[S]:
    """A quick index of ``path`` (see the module docstring); a file under
    ``QUICK_FROM_BYTES`` gets its full index.

    Raises AnnotatorError when ``path`` exists but is not a regular file (a folder).
    """
    try:
        st = path.stat()
    except FileNotFoundError:
        return LineIndex(path, kind)
    if not path.is_file():
        raise AnnotatorError(f"{path}: is not a file")
    if st.st_size < QUICK_FROM_BYTES:
        return build_index(path, kind, cache)
    index: LineIndex[S] = LineIndex(path, kind, complete=False)
    start_offset, start_line = 0, 0
    cached = load_lines(lines_cache(cache), path, kind) if cache is not None else None
    if cached is not None and cached.ino == st.st_ino:
        if (cached.size, cached.mtime_ns) == (st.st_size, st.st_mtime_ns):
            return cached
        if cached.size < st.st_size and ends_line(path, cached.size):
            index = cached
            start_offset, start_line = cached.size, cached.lines
    lineno = start_line
    for scanned in scan_lines(path, kind.summarise, start_offset, start_line):
        lineno = scanned.line
        if scanned.error is not None:
            index.errors.append(scanned.error)
        elif scanned.record_id is not None:
            _add(index, scanned)
    index.errors.sort(key=lambda e: e.line)  # a line found bad late (_add) in its place
    index.size, index.mtime_ns, index.ino, index.lines = (
        st.st_size,
        st.st_mtime_ns,
        st.st_ino,
        lineno,
    )
    if cache is not None:
        save_lines(index, lines_cache(cache))
    return index


def _add(index: LineIndex[S], scanned: ScannedLine) -> None:
    """Add a scanned line's row, or its error where its id is taken, as the full index would:
    the first line of an id that is a valid record keeps it, a later one is a duplicate."""
    rid = scanned.record_id
    assert rid is not None
    row = (scanned.line, scanned.offset, scanned.length, scanned.summary)
    first = index.rows.get(rid)
    if first is None:
        index.rows[rid] = row
        return
    path = str(index.path)
    summary = scanned.summary
    if summary is None:  # read quickly: validate it, for the full index's reason
        raw = index.read_raw_at(scanned.line, scanned.offset, scanned.length)
        try:
            summary = index.kind.summarise(path, scanned.line, raw)[1]
        except RecordError as err:
            index.errors.append(err)
            return
    if index.lookup(rid) is None:  # the first line is not a valid record: it is an error
        late = index.failed.pop(rid)  # an error of the file now, not one found late
        assert any(e is late for e in index.errors)
        del index.rows[rid]  # the id's row goes where its line is, in file order
        index.rows[rid] = (*row[:3], summary)
        return
    reason = f"duplicate id {rid!r} (first on line {first[0]})"
    index.errors.append(RecordError(path, scanned.line, reason))


__all__ = ["QUICK_FROM_BYTES", "quick_index"]
