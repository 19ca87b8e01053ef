"""Plain text: one ``.txt`` file is one document; its id is the file name without ``.txt``.

In a folder, the id is the path relative to that folder, without the suffix, with ``/``
(``2024/03/banjir``), so two files of the same name in different folders stay apart. The
first non-empty line is the title (``meta.title``). UTF-8 (a BOM allowed), or UTF-16 with or
without a BOM (told by the NUL in every other byte); a file holding a NUL byte otherwise is
refused, as no text holds one.
"""

from __future__ import annotations

from collections.abc import Iterator

from annotator.core.errors import RecordError
from annotator.core.importers.reading import read_text_file
from annotator.core.importers.records import Item, Source, file_id, guard, make_record
from annotator.core.importers.spans import Unit
from annotator.core.model import first_line
from annotator.core.text import normalise_text

NAME = "txt"
DESCRIPTION = "plain text files (or folders of them), one document each"
SUFFIXES = (".txt",)


def read(source: Source) -> Iterator[Item]:
    """Yield the one document of a text file, or the error that stops it."""
    try:
        raw = read_text_file(source.path, source.display)
    except RecordError as err:
        yield err
        return
    if not raw.strip():
        yield RecordError(source.display, 1, "the file is empty" if not raw else "no text")
        return
    size = len(raw)  # characters: near enough for progress
    title = first_line(normalise_text(raw))
    meta = {"title": title}
    yield guard(
        source, 1, make_record, source, 1, size, raw, file_id(source), meta, None, Unit.CODE_POINTS
    )
