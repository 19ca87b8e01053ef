"""Ids, titles and names from input files never reach the terminal as control characters.

A document id such as ``"\\x1b]0;owned\\x07"`` would retitle the reader's terminal,
``"\\x1b[2J"`` clear it, a right-to-left override reorder the line. Every command prints them
escaped; JSON output stays valid JSON; the export's README.md shows the project name as text.
"""

import json
import re
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.printable import escape_controls, markdown_text
from annotator.core.project import Project

HOSTILE_IDS = [
    "a\x1b]0;owned\x07",
    "b\x1b[2J\x1b[31m",
    "c\x9b31m",
    "d\u202etxt.exe",
    "e\r\x08",
    "f\nFAKE: 0 problems",
]
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
NAME = "Proyek <script>alert(1)</script> *tebal* [x](javascript:alert(1))\x1b[5m\nbaris"
TEXT = "Wali Kota Bogor bertemu Gubernur Jawa Barat di Jakarta."


def build(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    assert main(["init", str(root), "--name", NAME]) == 0
    for who, spans in (
        ("ani", [(10, 15, "CITY"), (41, 47, "CITY")]),  # 41-47 "Jakart": not on token bounds
        ("budi", [(10, 15, "CITY"), (33, 43, "CITY")]),
    ):
        path = tmp_path / f"{who}.jsonl"
        path.write_text(
            "".join(
                json.dumps(
                    {
                        "id": doc_id,
                        "text": TEXT,
                        "meta": {"title": f"judul {doc_id}"},
                        "spans": [{"start": s, "end": e, "label": lab} for s, e, lab in spans],
                    }
                )
                + "\n"
                for doc_id in HOSTILE_IDS
            ),
            encoding="utf-8",
        )
        assert main(["import", str(root), str(path), "--annotator", who]) == 0
    return root


def clean(text: str) -> None:
    found = RAW.findall(text)
    assert found == [], found
    assert not any(line.lstrip().startswith("FAKE") for line in text.splitlines())


@pytest.mark.parametrize(
    "args",
    [
        ["stats"],
        ["stats", "--json"],
        ["validate"],
        ["agreement"],
        ["agreement", "--json"],
        ["export", "--format", "conll", "--source", "ani", "--split", "50,50"],
        ["export", "--format", "jsonl", "--misaligned", "refuse", "--source", "ani"],
        ["preannotate"],
        ["assign", "--annotators", "ani,budi,citra"],
        ["assign", "--annotators", "ani,budi", "--json"],
        ["progress"],
        ["progress", "--json"],
    ],
)
def test_no_raw_control_character_is_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    root = build(tmp_path)
    capsys.readouterr()
    command, rest = args[0], args[1:]
    if command == "export":
        rest += ["--out", str(tmp_path / "out")]
    main([command, str(root), *rest])
    out = capsys.readouterr()
    clean(out.out)
    clean(out.err)
    if "--json" in args:
        json.loads(out.out)  # still JSON
    if command in ("agreement", "export") and "--json" not in args:
        assert "\\u001b" in out.out + out.err  # shown, escaped


def test_import_problems_and_notes_are_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = build(tmp_path)
    path = tmp_path / "again.jsonl"
    path.write_text(
        json.dumps({"id": HOSTILE_IDS[1], "text": "Teks lain"}) + "\n", encoding="utf-8"
    )
    capsys.readouterr()
    assert main(["import", str(root), str(path)]) == 1
    out = capsys.readouterr()
    clean(out.err)
    assert "already in the project with a different text" in out.err


def test_the_export_readme_shows_the_project_name_as_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = build(tmp_path)
    out = tmp_path / "out"
    assert main(["export", str(root), "--format", "hf", "--source", "ani", "--out", str(out)]) == 0
    readme = (out / "README.md").read_text(encoding="utf-8")
    first = readme.splitlines()[0]
    assert first == f"# Export of {markdown_text(NAME)}"
    assert "<script>" not in readme
    assert "](javascript" not in readme
    clean(readme)
    assert json.loads((out / "meta.json").read_text())["project"]["name"] == NAME
    assert Project.open(root).config.name == NAME


def test_escape_controls_keeps_text_and_escapes_the_rest() -> None:
    assert escape_controls("Kota\tBogor\n🇮🇩 Ω") == "Kota\tBogor\n🇮🇩 Ω"
    assert escape_controls("a\x1b[2Jb\u202ec\x9bd") == "a\\u001b[2Jb\\u202ec\\u009bd"
    assert json.loads(json.dumps(escape_controls("x\x9by\u2028z"))) == "x\\u009by\\u2028z"
