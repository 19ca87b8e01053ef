"""The suggestion evaluation sets are well formed, and the held-out part stays apart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annotator.core.tokens import TokenIndex

DATA = Path(__file__).resolve().parent.parent / "data"
FILES = ("suggest_tuning.jsonl", "suggest_held_out.jsonl")
LABELS = {"PERSON", "AGENCY", "CITY", "DATE", "PROGRAM"}


def records(name: str) -> list[dict[str, Any]]:
    with open(DATA / name, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.mark.parametrize("name", FILES)
def test_spans_are_sorted_flat_aligned_and_match_their_text(name: str) -> None:
    for rec in records(name):
        text = rec["text"]
        index = TokenIndex(text)
        previous_end = 0
        for span in rec["spans"]:
            start, end = span["start"], span["end"]
            assert span["label"] in LABELS, (rec["id"], span)
            assert previous_end <= start < end <= len(text), (rec["id"], span)
            assert text[start:end] == span["text"], (rec["id"], span)
            assert span["text"] == span["text"].strip(), (rec["id"], span)
            assert index.is_aligned(start, end), (rec["id"], span)
            previous_end = end
        assert rec["meta"]["title"] == text.split("\n", 1)[0]


def test_no_article_is_in_both_parts() -> None:
    tuning = {r["id"]: r["text"] for r in records(FILES[0])}
    held = {r["id"]: r["text"] for r in records(FILES[1])}
    assert not tuning.keys() & held.keys()
    assert not set(tuning.values()) & set(held.values())
    assert sum(len(r["spans"]) for r in records(FILES[1])) >= 900
