"""--format auto: from the suffix, then from the first record."""

import json
from pathlib import Path

import pytest
from _import_helpers import DATA

from annotator.core.importers import detect_format


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("plain.jsonl", "jsonl"),
        ("doccano.jsonl", "doccano"),
        ("doccano_entities.jsonl", "doccano"),
        ("prodigy.jsonl", "prodigy"),
        ("labelstudio.json", "labelstudio"),
        ("sample.conll", "conll"),
        ("sample_bilou.conll", "conll"),
        ("articles", "txt"),
        ("articles/banjir.txt", "txt"),
    ],
)
def test_sample_files(name: str, fmt: str) -> None:
    assert detect_format(DATA / name) == fmt


@pytest.mark.parametrize(
    ("content", "fmt"),
    [
        ('{"text": "a", "label": [[0, 1, "CITY"]]}\n', "doccano"),
        ('{"text": "a", "spans": [], "answer": "accept"}\n', "prodigy"),
        ('{"text": "a", "spans": []}\n', "jsonl"),
        ('{"data": {"text": "a"}, "annotations": []}\n', "labelstudio"),
        ('[{"data": {"text": "a"}}]', "labelstudio"),
        ("-DOCSTART- -X- O O\n\nKota B-CITY\nBogor I-CITY\n", "conll"),
        ("Banjir di Bogor\n\nHujan deras.\n", "txt"),
        ("", "txt"),
    ],
)
def test_unknown_suffix_is_sniffed(tmp_path: Path, content: str, fmt: str) -> None:
    path = tmp_path / "input.dat"
    path.write_text(content, encoding="utf-8")
    assert detect_format(path) == fmt


def test_a_bad_first_line_does_not_hide_the_kind(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text("not json\n" + json.dumps({"text": "a", "entities": []}) + "\n")
    assert detect_format(path) == "doccano"
