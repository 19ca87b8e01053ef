"""``--format auto``: the format of an input file, from its name and then its first record.

``.txt`` is text, unless its first lines are ``token tag`` pairs (IndoNLU's NER sets are
CoNLL in ``.txt`` files); ``.json`` is a Label Studio export, the CoNLL suffixes CoNLL. A ``.jsonl``
file (or a file of unknown suffix that starts with ``{``) is told apart by the fields of its
first object: ``data`` with ``annotations`` is Label Studio, ``entities`` or a ``label`` list
of ``[start, end, label]`` is doccano, ``spans`` with one of Prodigy's own fields (``answer``,
``_input_hash``, ...) is Prodigy, anything else plain JSONL. A file of unknown suffix whose
first lines are ``token tag`` pairs is CoNLL, otherwise text. Only the start of a file is
read, at most a few lines, recoded from UTF-16 when the file is in it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotator.core.errors import RecordError
from annotator.core.importers import conll, doccano, jsonl, labelstudio, prodigy, txt
from annotator.core.importers.reading import iter_raw_lines, open_utf8

_SNIFF_LINES = 20
_SNIFF_BYTES = 1 << 20


_MIN_CONLL_LINES = 3  # a .txt file is CoNLL only when at least this many lines say so


def detect_format(path: Path, label_field: str | None = None) -> str:
    """The name of the importer for ``path`` (a folder is a folder of text files).

    ``label_field`` is a renamed doccano label field: a record holding it is doccano's.
    """
    if path.is_dir():
        return txt.NAME
    suffix = path.suffix.lower()
    if suffix in labelstudio.SUFFIXES:
        return labelstudio.NAME
    if suffix in conll.SUFFIXES:
        return conll.NAME
    lines = _first_lines(path)
    if suffix in txt.SUFFIXES:
        useful = [ln for ln in lines if ln.strip()]
        if len(useful) >= _MIN_CONLL_LINES and _looks_like_conll(lines):
            return conll.NAME
        return txt.NAME
    first = next((ln for ln in lines if ln.strip()), "").lstrip("\ufeff").lstrip()
    if suffix in jsonl.SUFFIXES or first.startswith("{"):
        return _jsonl_kind(lines, label_field)
    if first.startswith("["):
        return labelstudio.NAME
    if first and _looks_like_conll(lines):
        return conll.NAME
    return txt.NAME


def jsonl_kind(record: dict[str, Any], label_field: str | None = None) -> str:
    """Which JSONL dialect one object belongs to."""
    if isinstance(record.get("data"), dict) and (
        "annotations" in record or "predictions" in record or "completions" in record
    ):
        return labelstudio.NAME
    if isinstance(record.get("entities"), list):
        return doccano.NAME
    if doccano.is_old_layout(record):
        return doccano.NAME
    for key in ("label", "labels", *([label_field] if label_field else [])):
        value = record.get(key)
        if isinstance(value, list) and (not value or isinstance(value[0], list)):
            return doccano.NAME
    if "spans" in record and any(k in record for k in prodigy.MARKERS):
        return prodigy.NAME
    return jsonl.NAME


def _jsonl_kind(lines: list[str], label_field: str | None) -> str:
    for line in lines:
        try:
            value = json.loads(line.lstrip("\ufeff"))
        except (ValueError, RecursionError):
            continue
        if isinstance(value, dict):
            return jsonl_kind(value, label_field)
    return jsonl.NAME  # nothing readable: the JSONL importer will say what is wrong


def _first_lines(path: Path) -> list[str]:
    out: list[str] = []
    try:
        with open_utf8(path, str(path)) as f:
            for raw in iter_raw_lines(f, _SNIFF_BYTES):
                if raw.data is not None and raw.data.strip():
                    out.append(raw.data.decode("utf-8", errors="replace"))
                if len(out) >= _SNIFF_LINES or raw.lineno > 10 * _SNIFF_LINES:
                    break
    except (OSError, RecordError):
        return out  # the importer will report it, with its line
    return out


def _looks_like_conll(lines: list[str]) -> bool:
    useful = [conll.columns(ln.lstrip("\ufeff")) for ln in lines if ln.strip()]
    return bool(useful) and all(
        conll.is_docstart(cols[0])
        or (len(cols) >= 2 and (cols[-1] == "O" or conll.TAG_RE.fullmatch(cols[-1])))
        for cols in useful
    )
