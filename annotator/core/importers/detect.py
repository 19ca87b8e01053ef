"""``--format auto``: the format of an input file, from its name and then its first record.

``.txt`` is text, ``.json`` a Label Studio export, the CoNLL suffixes CoNLL. A ``.jsonl``
file (or a file of unknown suffix that starts with ``{``) is told apart by the fields of its
first object: ``data`` with ``annotations`` is Label Studio, ``entities`` or a ``label`` list
of ``[start, end, label]`` is doccano, ``spans`` with one of Prodigy's own fields (``answer``,
``_input_hash``, ...) is Prodigy, anything else plain JSONL. A file of unknown suffix whose
first lines are ``token tag`` pairs is CoNLL, otherwise text. Only the start of a file is
read, at most a few lines.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotator.core.importers import conll, doccano, jsonl, labelstudio, prodigy, txt
from annotator.core.importers.reading import iter_raw_lines

_SNIFF_LINES = 20
_SNIFF_BYTES = 1 << 20


def detect_format(path: Path) -> str:
    """The name of the importer for ``path`` (a folder is a folder of text files)."""
    if path.is_dir():
        return txt.NAME
    suffix = path.suffix.lower()
    if suffix in txt.SUFFIXES:
        return txt.NAME
    if suffix in labelstudio.SUFFIXES:
        return labelstudio.NAME
    if suffix in conll.SUFFIXES:
        return conll.NAME
    lines = _first_lines(path)
    first = next((ln for ln in lines if ln.strip()), "").lstrip("\ufeff").lstrip()
    if suffix in jsonl.SUFFIXES or first.startswith("{"):
        return _jsonl_kind(lines)
    if first.startswith("["):
        return labelstudio.NAME
    if first and _looks_like_conll(lines):
        return conll.NAME
    return txt.NAME


def jsonl_kind(record: dict[str, Any]) -> str:
    """Which JSONL dialect one object belongs to."""
    if isinstance(record.get("data"), dict) and (
        "annotations" in record or "predictions" in record
    ):
        return labelstudio.NAME
    if isinstance(record.get("entities"), list):
        return doccano.NAME
    for key in ("label", "labels"):
        value = record.get(key)
        if isinstance(value, list) and (not value or isinstance(value[0], list)):
            return doccano.NAME
    if "spans" in record and any(k in record for k in prodigy.MARKERS):
        return prodigy.NAME
    return jsonl.NAME


def _jsonl_kind(lines: list[str]) -> str:
    for line in lines:
        try:
            value = json.loads(line.lstrip("\ufeff"))
        except (ValueError, RecursionError):
            continue
        if isinstance(value, dict):
            return jsonl_kind(value)
    return jsonl.NAME  # nothing readable: the JSONL importer will say what is wrong


def _first_lines(path: Path) -> list[str]:
    out: list[str] = []
    try:
        with open(path, "rb") as f:
            for raw in iter_raw_lines(f, _SNIFF_BYTES):
                if raw.data is not None and raw.data.strip():
                    out.append(raw.data.decode("utf-8", errors="replace"))
                if len(out) >= _SNIFF_LINES or raw.lineno > 10 * _SNIFF_LINES:
                    break
    except OSError:
        return out  # the importer will report it, with its line
    return out


def _looks_like_conll(lines: list[str]) -> bool:
    useful = [ln.split() for ln in lines if ln.strip()]
    return bool(useful) and all(
        cols[0] == conll.DOCSTART
        or (len(cols) >= 2 and (cols[-1] == "O" or conll.TAG_RE.fullmatch(cols[-1])))
        for cols in useful
    )
