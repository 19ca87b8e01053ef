"""The benchmark corpus generator: exact, token-aligned spans; determinism; disagreement."""

from __future__ import annotations

import hashlib
import json
import random
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import make_corpus  # noqa: E402

TOKEN_RE = re.compile(r"\w+|[^\w\s]")
N = 50
LABELS = {"PERSON", "AGENCY", "CITY", "DATE", "PROGRAM"}


def assert_valid_spans(text: str, spans: list[tuple[int, int, str]]) -> None:
    starts = {m.start() for m in TOKEN_RE.finditer(text)}
    ends = {m.end() for m in TOKEN_RE.finditer(text)}
    previous_end = 0
    for start, end, label in spans:
        assert 0 <= start < end <= len(text)
        assert start >= previous_end, "spans sorted and non-overlapping"
        assert start in starts, f"{text[start:end]!r} does not start on a token"
        assert end in ends, f"{text[start:end]!r} does not end on a token"
        assert text[start:end] == text[start:end].strip()
        assert "\n" not in text[start:end], "a span stays on its line"
        assert label in LABELS
        previous_end = end


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


@pytest.fixture(scope="module")
def articles() -> list[tuple[str, str, list[tuple[int, int, str]]]]:
    return [make_corpus.generate_article(i, seed=1) for i in range(N)]


def test_articles_have_exact_token_aligned_gold_spans(articles) -> None:
    for _, text, spans in articles:
        assert_valid_spans(text, spans)


def test_articles_are_news_sized_with_about_twenty_entities(articles) -> None:
    for doc_id, text, spans in articles:
        assert doc_id.startswith("doc-")
        assert 2500 <= len(text.encode("utf-8")) <= 3500
        assert 15 <= len(spans) <= 25
        assert text.count("\n") >= 3, "a title line and several paragraphs"
    assert len({doc_id for doc_id, _, _ in articles}) == N
    assert {label for _, _, spans in articles for _, _, label in spans} == LABELS


def test_titles_and_degrees_stay_outside_person_spans() -> None:
    titles = {w for t in make_corpus.TITLES_MALE + make_corpus.TITLES_FEMALE for w in t.split()}
    degrees = {w for d in make_corpus.DEGREES for w in d.replace(",", " ").split()}
    seen_title = False
    for i in range(200):
        _, text, spans = make_corpus.generate_article(i, seed=0)
        for start, end, label in spans:
            if label != "PERSON":
                continue
            name = text[start:end]
            assert name.split()[0] not in titles
            assert name.split()[-1] not in degrees
            seen_title = seen_title or text[max(0, start - 4) : start] in ("Dr. ", "Ir. ", " Dr ")
    assert seen_title


def test_agency_with_abbreviation_is_two_spans() -> None:
    found = False
    for i in range(100):
        _, text, spans = make_corpus.generate_article(i, seed=0)
        by_start = {start: (end, label) for start, end, label in spans}
        for _, end, label in spans:
            if label == "AGENCY" and text.startswith(" (", end) and end + 2 in by_start:
                assert by_start[end + 2][1] == "AGENCY"
                found = True
    assert found


def test_some_articles_hold_non_ascii_and_offsets_stay_exact() -> None:
    exotic = []
    for i in range(300):
        _, text, spans = make_corpus.generate_article(i, seed=0)
        if any(ord(ch) > 0xFFFF for ch in text):  # outside the BMP: UTF-16 offsets differ
            exotic.append((text, spans))
    assert 3 <= len(exotic) <= 40, "about 5% of the articles"
    for text, spans in exotic:
        assert_valid_spans(text, spans)


def test_generation_is_deterministic_and_random_access() -> None:
    assert make_corpus.generate_article(17, seed=3) == make_corpus.generate_article(17, seed=3)
    assert make_corpus.generate_article(17, seed=3) != make_corpus.generate_article(17, seed=4)
    assert make_corpus.generate_article(17, seed=3) != make_corpus.generate_article(18, seed=3)


@pytest.mark.parametrize("rate", [0.1, 0.3, 1.0])
def test_annotations_keep_the_span_invariants(articles, rate: float) -> None:
    for i, (_, text, gold) in enumerate(articles):
        spans = make_corpus.annotate(text, gold, random.Random(i), rate)
        assert_valid_spans(text, spans)


def test_disagreement_zero_gives_the_gold(articles) -> None:
    for i, (_, text, gold) in enumerate(articles):
        assert make_corpus.annotate(text, gold, random.Random(i), 0.0) == gold


def test_disagreement_rate_controls_how_much_differs(articles) -> None:
    def changed(rate: float) -> float:
        differ = total = 0
        for i, (_, text, gold) in enumerate(articles):
            spans = make_corpus.annotate(text, gold, random.Random(i), rate)
            differ += len(set(gold) - set(spans))
            total += len(gold)
        return differ / total

    low, high = changed(0.1), changed(0.3)
    assert 0.03 < low < 0.15
    assert 0.15 < high < 0.4
    assert high > 2 * low


def test_project_folder(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    figures = make_corpus.write_project(out, 30, 3, seed=5, disagreement=0.2, gold=True)
    assert figures["articles"] == 30
    assert figures["annotators"] == ["ann01", "ann02", "ann03"]

    config = tomllib.loads((out / "annotator.toml").read_text(encoding="utf-8"))
    assert config["name"] == "bench"
    assert config["language"] == "id"
    assert [(label["name"], label["key"]) for label in config["labels"]] == [
        ("PERSON", "1"),
        ("AGENCY", "2"),
        ("CITY", "3"),
        ("DATE", "4"),
        ("PROGRAM", "5"),
    ]
    assert len({label["color"] for label in config["labels"]}) == 5

    documents = read_jsonl(out / "documents.jsonl")
    assert [d["id"] for d in documents] == [f"doc-{i:06d}" for i in range(1, 31)]
    for d in documents:
        assert d["meta"]["title"] == d["text"].split("\n")[0]

    names = sorted(p.stem for p in (out / "annotations").glob("*.jsonl"))
    assert names == ["ann01", "ann02", "ann03", "gold"]
    for name in names:
        records = read_jsonl(out / "annotations" / f"{name}.jsonl")
        assert [r["id"] for r in records] == [d["id"] for d in documents]
        for record, document in zip(records, documents, strict=True):
            assert list(record) == [
                "id",
                "text",
                "spans",
                "status",
                "annotator",
                "text_sha256",
                "updated_at",
                "seconds",
                "meta",
            ]
            text = record["text"]
            assert text == document["text"]
            assert record["annotator"] == name
            assert record["text_sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
            assert record["status"] in {"done", "in_progress", "skipped"}
            assert isinstance(record["seconds"], float)
            assert record["seconds"] >= 0
            assert record["updated_at"] == "2026-01-01T00:00:00Z"
            for span in record["spans"]:
                assert text[span["start"] : span["end"]] == span["text"]
            assert_valid_spans(text, [(s["start"], s["end"], s["label"]) for s in record["spans"]])
    gold = read_jsonl(out / "annotations" / "gold.jsonl")
    for record, (_, _, spans) in zip(
        gold, (make_corpus.generate_article(i, 5) for i in range(30)), strict=True
    ):
        assert [(s["start"], s["end"], s["label"]) for s in record["spans"]] == spans


def test_records_load_as_the_project_models(tmp_path: Path) -> None:
    model = pytest.importorskip("annotator.core.model")
    make_corpus.write_project(tmp_path / "p", 20, ["ani", "budi"], seed=2, gold=True)
    context = {"labels": LABELS}
    for line in read_jsonl(tmp_path / "p" / "documents.jsonl"):
        model.Document.model_validate(line)
    for name in ("ani", "budi", "gold"):
        for line in read_jsonl(tmp_path / "p" / "annotations" / f"{name}.jsonl"):
            model.Annotation.model_validate(line, context=context)


def test_project_files_are_byte_identical_across_runs(tmp_path: Path) -> None:
    for run in ("a", "b"):
        make_corpus.write_project(tmp_path / run, 25, 2, seed=9, disagreement=0.3, gold=True)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.*"))
    assert len(files) == 5
    for rel in files:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes()


def test_rate_zero_annotators_equal_gold_on_done_records(tmp_path: Path) -> None:
    make_corpus.write_project(tmp_path, 40, 2, seed=1, disagreement=0.0, gold=True)
    gold = {r["id"]: r["spans"] for r in read_jsonl(tmp_path / "annotations" / "gold.jsonl")}
    done = 0
    for name in ("ann01", "ann02"):
        for record in read_jsonl(tmp_path / "annotations" / f"{name}.jsonl"):
            if record["status"] == "done":
                done += 1
                assert record["spans"] == gold[record["id"]]
    assert done >= 70


def test_rate_point_three_annotators_differ(tmp_path: Path) -> None:
    make_corpus.write_project(tmp_path, 40, 2, seed=1, disagreement=0.3, not_done=0.0)
    a, b = (read_jsonl(tmp_path / "annotations" / f"{n}.jsonl") for n in ("ann01", "ann02"))
    assert sum(ra["spans"] != rb["spans"] for ra, rb in zip(a, b, strict=True)) >= 35


def test_some_records_are_not_done(tmp_path: Path) -> None:
    make_corpus.write_project(tmp_path, 100, 1, seed=0, not_done=0.5)
    records = read_jsonl(tmp_path / "annotations" / "ann01.jsonl")
    statuses = {r["status"] for r in records}
    assert statuses == {"done", "in_progress", "skipped"}
    assert all(not r["spans"] for r in records if r["status"] == "skipped")


def test_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("x", encoding="utf-8")
    with pytest.raises(FileExistsError):
        make_corpus.write_project(tmp_path, 1, 1)
    make_corpus.write_project(tmp_path, 1, 1, force=True)
    assert (tmp_path / "keep.txt").exists()


@pytest.mark.parametrize("names", [["gold"], ["Ani"], ["ani", "ani"]])
def test_refuses_bad_annotator_names(tmp_path: Path, names: list[str]) -> None:
    with pytest.raises(ValueError, match="annotator name"):
        make_corpus.write_project(tmp_path, 1, names)


def test_command_line(tmp_path: Path) -> None:
    out = tmp_path / "cli"
    result = subprocess.run(
        [
            sys.executable,
            str(BENCH / "make_corpus.py"),
            str(out),
            "--articles",
            "12",
            "--annotators",
            "ani,budi",
            "--seed",
            "4",
            "--gold",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "articles" in result.stdout
    assert "12" in result.stdout
    assert " s " in result.stdout or " s (" in result.stdout
    assert len(read_jsonl(out / "annotations" / "budi.jsonl")) == 12
    assert (out / "annotations" / "gold.jsonl").exists()
    again = subprocess.run(
        [sys.executable, str(BENCH / "make_corpus.py"), str(out), "--articles", "1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert again.returncode == 1
    assert "not empty" in again.stderr
