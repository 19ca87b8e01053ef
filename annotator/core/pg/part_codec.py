"""A kept agreement part as bytes, and its notes as JSON (``agreement_parts``, decisions 0089
and 0116).

A part is a row of counts (``compute.width`` numbers), most of them zero: it is kept as the
entries that are not, each its position and its value, 6 bytes. A part's notes are the
warnings about its two annotations' spans that the report leaves out, per annotator.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from annotator.core.agreement.corpus import SpanNotes
from annotator.core.agreement.tokens import IntArray as IntArray

Rows = npt.NDArray[np.int32]  # a pair's parts, a row per compared document: 32 bits suffice

# A kept part is its numbers that are not zero (most are), as (position, value) entries.
ENTRY = np.dtype([("i", "<u2"), ("v", "<i4")])


def encode(row: IntArray) -> bytes | None:
    """A part as its entries; None when a count does not fit 32 bits."""
    blobs = encode_rows(row.reshape(1, -1))
    return None if blobs is None else blobs[0]


def encode_rows(rows: IntArray) -> list[bytes] | None:
    """Each row as its part's entries; None when a count does not fit 32 bits."""
    if rows.size and (rows.max() > np.iinfo(np.int32).max or rows.min() < np.iinfo(np.int32).min):
        return None
    owner, column = np.nonzero(rows)  # row by row, each row's in order
    entries = np.empty(len(owner), ENTRY)
    entries["i"] = column
    entries["v"] = rows[owner, column]
    data = entries.tobytes()
    ends = np.cumsum(np.bincount(owner, minlength=len(rows))) * ENTRY.itemsize
    starts = np.concatenate([[0], ends[:-1]]).tolist()
    return [data[s:e] for s, e in zip(starts, ends.tolist(), strict=True)]


def decode_into(rows: Rows, targets: list[int], blobs: list[bytes]) -> None:
    """Lay kept parts into ``rows`` (``targets``: the row of each)."""
    if not blobs:
        return
    entries = np.frombuffer(b"".join(blobs), ENTRY)
    owner = np.repeat(np.array(targets, np.int64), [len(b) // ENTRY.itemsize for b in blobs])
    rows[owner, entries["i"].astype(np.int64)] = entries["v"]


def notes_json(notes: Mapping[str, SpanNotes]) -> str:
    """A part's notes as the server keeps them: per annotator, ``[left out, duplicates]``."""
    return json.dumps({name: [left, dups] for name, (left, dups) in notes.items()})
