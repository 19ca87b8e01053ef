"""The table of input formats: name, description, file suffixes and reader, one per module."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.importers import conll, doccano, jsonl, labelstudio, prodigy, txt
from annotator.core.importers.records import Reader


@dataclass(frozen=True)
class Importer:
    """One input format. ``read(source)`` yields records and errors, never raises on bad input."""

    name: str
    description: str
    suffixes: tuple[str, ...]
    read: Reader


_JSONL_SUFFIXES = jsonl.SUFFIXES

IMPORTERS: dict[str, Importer] = {
    txt.NAME: Importer(txt.NAME, txt.DESCRIPTION, txt.SUFFIXES, txt.read),
    jsonl.NAME: Importer(jsonl.NAME, jsonl.DESCRIPTION, jsonl.SUFFIXES, jsonl.read),
    doccano.NAME: Importer(doccano.NAME, doccano.DESCRIPTION, _JSONL_SUFFIXES, doccano.read),
    prodigy.NAME: Importer(prodigy.NAME, prodigy.DESCRIPTION, _JSONL_SUFFIXES, prodigy.read),
    labelstudio.NAME: Importer(
        labelstudio.NAME, labelstudio.DESCRIPTION, labelstudio.SUFFIXES, labelstudio.read
    ),
    conll.NAME: Importer(conll.NAME, conll.DESCRIPTION, conll.SUFFIXES, conll.read),
}
"""Every input format by name, in the order ``--format`` lists them."""

KNOWN_SUFFIXES: frozenset[str] = frozenset(s for imp in IMPORTERS.values() for s in imp.suffixes)
"""Suffixes of the files a folder import picks up when the format is ``auto``."""
