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


@pytest.mark.parametrize(
    ("content", "fmt"),
    [
        ("Jakarta\tB-PLACE\nadalah\tO\nibu\tO\nkota\tO\n\nIa\tO\n", "conll"),  # IndoNLU
        ("-docstart- -x- o o\n\nKota B-CITY\nBogor I-CITY\n", "conll"),
        ("Halo O\nDunia O\n", "txt"),  # two lines are not enough to call a .txt CoNLL
        ("Banjir di Bogor O\nHujan deras sejak pagi.\nWarga O\n", "txt"),
        ("Kepala BNPB Suharyanto\n\nJakarta - Hujan deras sejak pagi.\n", "txt"),
    ],
)
def test_a_txt_file_is_told_by_its_content(tmp_path: Path, content: str, fmt: str) -> None:
    path = tmp_path / "train_preprocess.txt"
    path.write_text(content, encoding="utf-8")
    assert detect_format(path) == fmt


def test_utf16_files_are_sniffed_through_their_encoding(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes("Jakarta\tB-PLACE\nadalah\tO\nibu\tO\n".encode("utf-16-le"))
    assert detect_format(path) == "conll"
    path = tmp_path / "x.jsonl"
    path.write_bytes('{"text": "a", "label": [[0, 1, "CITY"]]}\n'.encode("utf-16"))
    assert detect_format(path) == "doccano"


@pytest.mark.parametrize(
    ("record", "fmt"),
    [
        (
            {"text": "a", "annotations": [{"label": 1, "start_offset": 0, "end_offset": 1}]},
            "doccano",
        ),
        ({"data": {"text": "a"}, "completions": []}, "labelstudio"),
    ],
)
def test_older_layouts_are_recognised(tmp_path: Path, record: object, fmt: str) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert detect_format(path) == fmt


def test_a_renamed_label_field_makes_doccano(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({"kalimat": "a", "entitas": [[0, 1, "CITY"]]}) + "\n", "utf-8")
    assert detect_format(path) == "jsonl"
    assert detect_format(path, label_field="entitas") == "doccano"
