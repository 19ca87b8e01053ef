"""Long documents exported as records a model can take: none over the limit, every entity once.

At 512 subwords a tokenizer cuts an article; the entities past the cut are lost (5,327 of
6,687 test entities of a NERGrit-sized set). ``--max-words N`` writes records of at most N
words instead, cut at sentence ends and never inside an entity.
"""

from __future__ import annotations

import json
import random
import sys
from collections import Counter
from pathlib import Path

import pytest
from seqeval.metrics.sequence_labeling import get_entities

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "core"))

from _helpers_export import annotate

from annotator.cli import main
from annotator.core.model import Document
from annotator.core.project import Project

PEOPLE = ["Joko Widodo", "Ridwan Kamil", "Khofifah Indar Parawansa", "Bobby Nasution"]
CITIES = ["Bandung", "Surabaya", "Medan", "Kota Bogor", "Makassar 🌊"]
AGENCIES = ["Kementerian Dalam Negeri", "BNPB", "Badan Pusat Statistik"]
FILLER = [
    "warga", "kota", "itu", "berkumpul", "di", "alun-alun", "sejak", "pagi", "untuk",
    "mendengar", "kabar", "terbaru",
]  # fmt: skip


def article(rng: random.Random, k: int) -> tuple[str, list[tuple[int, int, str]]]:
    """A long article: paragraphs of sentences, entities in them, and one run-on paragraph."""
    text, spans = "", []

    def put(piece: str, label: str | None = None) -> None:
        nonlocal text
        if label:
            spans.append((len(text), len(text) + len(piece), label))
        text += piece

    for p in range(rng.randint(8, 14)):
        for _ in range(rng.randint(3, 8)):
            put(rng.choice(["Pada hari itu ", "Menurut laporan, ", "Sementara itu "]))
            put(rng.choice(PEOPLE), "PERSON")
            put(" " + " ".join(rng.choices(FILLER, k=rng.randint(5, 30))) + " di ")
            put(rng.choice(CITIES), "CITY")
            put(" bersama ")
            put(rng.choice(AGENCIES), "AGENCY")
            put(". ")
        text = text.rstrip(" ") + "\n\n"
        if p == 3 and k % 2 == 0:  # a paragraph of 600 words and no full stop
            for _ in range(40):
                put(" ".join(rng.choices(FILLER, k=12)) + " dan ")
                put(rng.choice(PEOPLE), "PERSON")
                put(" ")
            text = text.rstrip(" ") + "\n\n"
    return text.rstrip("\n"), spans


@pytest.fixture(scope="module")
def corpus(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, dict[str, Counter[tuple[str, str]]]]:
    root = tmp_path_factory.mktemp("long") / "p"
    project = Project.init(root)
    rng = random.Random(11)
    docs = {f"berita-{k:02d}": article(rng, k) for k in range(12)}
    project.documents.append([Document(id=d, text=t) for d, (t, _) in docs.items()])
    annotate(project, "ani", {doc_id: spans for doc_id, (_, spans) in docs.items()})
    expected = {
        doc_id: Counter((text[s:e], lab) for s, e, lab in spans)
        for doc_id, (text, spans) in docs.items()
    }
    return root, expected


def export(root: Path, out: Path, fmt: str, *args: str) -> dict[str, object]:
    assert main(["export", str(root), "--format", fmt, "--source", "ani", "--out", str(out),
                 *args]) == 0  # fmt: skip
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert isinstance(meta, dict)
    return meta


def document_of(record_id: str) -> str:
    return record_id.rsplit("#", 1)[0]


@pytest.mark.parametrize("scheme", ["iob2", "bilou"])
def test_hf_records_are_within_the_limit_and_hold_every_entity_once(
    corpus: tuple[Path, dict[str, Counter[tuple[str, str]]]], tmp_path: Path, scheme: str
) -> None:
    root, expected = corpus
    meta = export(root, tmp_path / "hf", "hf", "--scheme", scheme)
    names = json.loads((tmp_path / "hf" / "labels.json").read_text())
    lines = (tmp_path / "hf" / "all.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) > 3 * len(expected)  # the articles were cut
    assert max(len(r["tokens"]) for r in records) <= 256
    found: dict[str, Counter[tuple[str, str]]] = {d: Counter() for d in expected}
    for r in records:
        tags = [names[i] for i in r["ner_tags"]]
        assert tags[0][:2] not in ("I-", "L-")  # no record starts inside an entity
        for label, s, e in get_entities(tags if scheme == "iob2" else _iobes(tags)):
            found[document_of(r["id"])][(" ".join(r["tokens"][s : e + 1]), label)] += 1
    assert found == expected  # every entity, in exactly one record
    records_meta = meta["records"]
    assert isinstance(records_meta, dict)
    assert records_meta["max_words"] == 256
    assert records_meta["count"] == len(records)
    assert records_meta["over_limit"] == 0
    assert "cut at sentence ends" in records_meta["how"]
    ids = [r["id"] for r in records if r["id"].startswith("berita-00#")]
    assert ids[:3] == ["berita-00#1", "berita-00#2", "berita-00#3"]


def _iobes(tags: list[str]) -> list[str]:
    """BILOU as IOBES, which seqeval's default mode reads."""
    return [{"L": "E", "U": "S"}.get(t[0], t[0]) + t[1:] if t != "O" else t for t in tags]


def test_max_words_0_keeps_whole_documents(
    corpus: tuple[Path, dict[str, Counter[tuple[str, str]]]], tmp_path: Path
) -> None:
    root, expected = corpus
    meta = export(root, tmp_path / "hf", "hf", "--max-words", "0")
    records = [json.loads(x) for x in (tmp_path / "hf" / "all.jsonl").read_text().splitlines()]
    assert sorted(r["id"] for r in records) == sorted(expected)
    assert meta["records"]["count"] == len(expected)  # type: ignore[index]
    assert "--max-words 0" in str(meta["command"])


def test_jsonl_records_carry_their_own_offsets(
    corpus: tuple[Path, dict[str, Counter[tuple[str, str]]]], tmp_path: Path
) -> None:
    root, expected = corpus
    export(root, tmp_path / "j", "jsonl", "--max-words", "100")
    project = Project.open(root)
    found: dict[str, Counter[tuple[str, str]]] = {d: Counter() for d in expected}
    for line in (tmp_path / "j" / "all.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        assert len(r["tokens"]) <= 100
        doc_text = project.documents.get(r["document"]).text
        assert doc_text[r["offset"] : r["offset"] + len(r["text"])] == r["text"]
        for t in r["tokens"]:
            assert r["text"][t["start"] : t["end"]] == t["text"]
        assert r["tokens"][-1]["ws"] is False
        for sp in r["spans"]:
            covered = r["tokens"][sp["token_start"] : sp["token_end"] + 1]
            assert covered[0]["start"] == sp["start"]
            assert covered[-1]["end"] == sp["end"]
            found[r["document"]][(r["text"][sp["start"] : sp["end"]], sp["label"])] += 1
    assert found == expected


def test_conll_sentences_are_within_the_limit(
    corpus: tuple[Path, dict[str, Counter[tuple[str, str]]]], tmp_path: Path
) -> None:
    root, expected = corpus
    meta = export(root, tmp_path / "c", "conll", "--max-words", "64")
    blocks = (tmp_path / "c" / "all.conll").read_text(encoding="utf-8").split("\n\n")
    sentences = [b.splitlines() for b in blocks if b.strip() and not b.startswith("-DOCSTART-")]
    assert max(len(s) for s in sentences) <= 64
    entities = 0
    for s in sentences:
        tags = [line.rsplit(" ", 1)[1] for line in s]
        assert tags[0][:2] != "I-"
        entities += len(get_entities(tags))
    assert entities == sum(sum(c.values()) for c in expected.values())
    assert meta["records"]["unit"] == "lines"  # type: ignore[index]
    assert meta["records"]["count"] == len(sentences)  # type: ignore[index]
