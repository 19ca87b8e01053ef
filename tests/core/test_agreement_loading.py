"""Loading a project for agreement: only done counts, unsaved journal edits count, bad lines
and bad spans become data warnings naming file and line, nothing on disk is changed."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.agreement.loading import choose_annotators, load_corpus, parse_record
from annotator.core.agreement.report import agreement_report
from annotator.core.edit import AddSpan
from annotator.core.errors import AnnotatorError
from annotator.core.model import Document, sha256_text
from annotator.core.project import Project
from annotator.core.tokens import Snap

T1 = "Joko Widodo visited Jakarta on 5 May 2023 with Kemendagri for the Smart City program."
T2 = "📌 Presiden Joko Widodo tiba di Jakarta.\nLalu ke Bandung."
T3 = "Rapat berlangsung hingga sore."
JOKO = len("Joko Widodo")


def make(tmp_path: Path) -> Project:
    project = Project.init(tmp_path / "p")
    project.documents.append(
        [Document(id="d1", text=T1), Document(id="d2", text=T2), Document(id="d3", text=T3)]
    )
    return project


def record(doc_id: str, text: str, spans: list[tuple[int, int, str]], **extra: object) -> str:
    data = {
        "id": doc_id,
        "text": text,
        "spans": [{"start": s, "end": e, "label": lab, "text": text[s:e]} for s, e, lab in spans],
        "status": "done",
        "annotator": "citra",
    }
    data.update(extra)
    return json.dumps(data, ensure_ascii=False)


def test_only_done_counts(tmp_path: Path) -> None:
    project = make(tmp_path)
    with project.session("ani") as s:
        s.apply(AddSpan("d1", 0, JOKO, "PERSON", Snap.EXACT))
        s.set_status("d1", "done")
        s.apply(
            AddSpan("d2", T2.index("Jakarta"), T2.index("Jakarta") + 7, "CITY", Snap.EXACT)
        )  # in progress
        s.set_status("d3", "skipped")
    with project.session("budi") as s:
        for doc_id in ("d1", "d2", "d3"):
            s.set_status(doc_id, "done")
    corpus = load_corpus(project)
    assert sorted(corpus.submissions) == ["ani", "budi"]
    assert list(corpus.submissions["ani"]) == ["d1"]
    assert corpus.submissions["ani"]["d1"].spans == [(0, JOKO, "PERSON")]
    assert sorted(corpus.submissions["budi"]) == ["d1", "d2", "d3"]
    assert corpus.total_documents == 3
    assert corpus.titles["d2"] == "📌 Presiden Joko Widodo tiba di Jakarta."
    report = agreement_report(corpus)
    assert report.documents_compared == 1  # d2 in progress and d3 skipped by ani: missing
    assert report.pairs[0].counts["strict"].n_b == 0


def test_unsaved_journal_edits_count(tmp_path: Path) -> None:
    project = make(tmp_path)
    with project.session("budi") as s:
        s.apply(AddSpan("d1", 0, JOKO, "PERSON", Snap.EXACT))
        s.set_status("d1", "done")
        s.set_status("d3", "done")
    ani = project.session("ani")
    try:
        ani.apply(AddSpan("d1", 0, JOKO, "PERSON", Snap.EXACT))
        ani.set_status("d1", "done")
        ani.set_status("d3", "done")
        ani.save()  # d1 and d3 are in the file now
        ani.set_status("d3", "in_progress")  # journaled only
        ani.apply(AddSpan("d2", T2.index("Bandung"), T2.index("Bandung") + 7, "CITY", Snap.EXACT))
        ani.set_status("d2", "done")  # journaled only
        assert ani.dirty
        corpus = load_corpus(Project.open(project.root))
    finally:
        ani.close()
    subs = corpus.submissions["ani"]
    assert sorted(subs) == ["d1", "d2"]  # d3 went back to in progress, d2 is done
    start = T2.index("Bandung")
    assert list(subs["d2"].spans) == [(start, start + 7, "CITY")]


def test_bad_lines_and_spans_are_warnings(tmp_path: Path) -> None:
    project = make(tmp_path)
    path = project.annotations_dir / "citra.jsonl"
    jakarta = (T1.index("Jakarta"), T1.index("Jakarta") + 7, "CITY")
    bad_text = json.loads(record("d2", T2, [(0, 1, "CITY")]))
    bad_text["spans"][0]["text"] = "X"
    lines = [
        record("d1", T1, [(0, JOKO, "PERSON"), (0, 4, "PERSON"), jakarta, (0, 4, "PLACE")]),
        "{not json",
        json.dumps(bad_text, ensure_ascii=False),
        record("d1", T1, []),  # a second line for d1
        record("d3", T3, [], status="finished"),
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    before = path.read_bytes()
    with project.session("ani") as s:
        s.set_status("d1", "done")
    corpus = load_corpus(project)
    warnings = "\n".join(corpus.warnings)
    assert f"{path}:2: invalid JSON" in warnings
    # the copy of the covered characters is validate's check, not the report's (decision 0117)
    assert f"{path}:3: span" not in warnings
    assert list(corpus.submissions["citra"]["d2"].spans) == [(0, 1, "CITY")]
    assert f"{path}:4: duplicate id 'd1' (first on line 1)" in warnings
    assert f"{path}:5: status: 'finished' is not one of" in warnings
    citra = corpus.submissions["citra"]
    assert sorted(citra) == ["d1", "d2"]
    assert len(citra["d1"].spans) == 4  # nested spans kept; the unknown label is the core's job
    report = agreement_report(corpus)
    assert f"{path}:1: span 0-4 PLACE excluded: unknown label 'PLACE'" in report.warnings
    assert report.pair("ani", "citra").counts["strict"].n_b == 3  # type: ignore[union-attr]
    assert path.read_bytes() == before  # agreement never writes


def test_a_changed_text_is_excluded_with_the_reason(tmp_path: Path) -> None:
    project = make(tmp_path)
    with project.session("ani") as s:
        s.set_status("d3", "done")
    old = "Rapat berlangsung hingga malam."
    (project.annotations_dir / "budi.jsonl").write_text(
        record("d3", old, [], annotator="budi", text_sha256=sha256_text(old)) + "\n",
        encoding="utf-8",
    )
    report = agreement_report(load_corpus(project))
    assert [e.id for e in report.excluded] == ["d3"]
    assert "text differs between annotators" in report.excluded[0].reason
    assert report.documents_compared == 0


def test_choosing_annotators(tmp_path: Path) -> None:
    project = make(tmp_path)
    for name in ("ani", "budi", "gold"):
        with project.session(name) as s:
            s.set_status("d1", "done")
    assert choose_annotators(project, None) == ["ani", "budi"]
    assert choose_annotators(project, ["budi", "ani", "budi"]) == ["budi", "ani"]
    with pytest.raises(AnnotatorError, match="no annotations by 'citra'"):
        choose_annotators(project, ["ani", "citra"])
    with pytest.raises(AnnotatorError, match="gold is not a rater"):
        choose_annotators(project, ["ani", "gold"])
    with pytest.raises(AnnotatorError, match="must be 1-64"):
        choose_annotators(project, ["Ani!"])
    corpus = load_corpus(project)
    assert sorted(corpus.submissions) == ["ani", "budi", "gold"]
    assert agreement_report(corpus).annotators == ["ani", "budi"]
    assert "gold" not in load_corpus(project, include_gold=False).submissions


TRICKY = st.lists(
    st.sampled_from(
        ['"', "\\", "\\u", ",", ":", "[", "{", "}", "\r\n", "\n", "\t", "é", "e\u0301", "😀",
         "\ud800", "spans", '","spans":[', '\\","spans":[', "Jakarta", " ", "\x00", "\x1f"]
    ),
    max_size=12,
)  # fmt: skip


@st.composite
def store_lines(draw: st.DrawFn) -> bytes:
    """Lines in the store's layout and near it: tricky texts, ids and spans, other key
    orders, a second ``text`` key, spacing, broken bytes."""
    text = "".join(draw(TRICKY))
    doc_id = draw(st.sampled_from(["d1", 'd"1', "d\\1", "📌"]))
    spans = [{"start": 0, "end": 1, "label": "CITY", "text": text[:1]}] if text else []
    record: dict[str, object] = {"id": doc_id, "text": text, "spans": spans, "status": "done"}
    if draw(st.booleans()):
        record["text2"] = "x"
    if draw(st.integers(0, 5)) == 0:
        record = {"text": text, **record}  # another order
    ascii_only = draw(st.booleans())
    raw = json.dumps(record, ensure_ascii=ascii_only, separators=(",", ":"))
    if draw(st.integers(0, 5)) == 0:
        raw = raw[:-1] + ',"text":"other"}'  # the last of two keys counts
    if draw(st.integers(0, 7)) == 0:
        raw = raw.replace(",", ", ", 1)
    data = raw.encode("utf-8", "surrogatepass")
    cut = draw(st.integers(0, 9))
    if cut == 0 and len(data) > 2:
        data = data[: draw(st.integers(1, len(data) - 1))]  # torn
    elif cut == 1:
        data = data.replace(b"a", b"\xff", 1)  # not UTF-8
    return data + draw(st.sampled_from([b"", b"\n", b"\r\n"]))


@settings(max_examples=400, deadline=None)
@given(st.lists(store_lines(), min_size=1, max_size=4))
def test_the_fast_reader_reads_as_json_loads(lines: list[bytes]) -> None:
    texts: dict[bytes, str] = {}  # shared, as between annotators' files
    for raw in lines:
        want, got = read(json.loads, raw), read(lambda r: parse_record(r, texts), raw)
        assert type(got) is type(want)
        assert got == want  # ValueError for both, or equal values
        if isinstance(want, dict):
            assert got.get("text") == want.get("text")  # same characters, surrogates included


def read(parse: Callable[[bytes], object], raw: bytes) -> object:
    try:
        return parse(raw)
    except ValueError:
        return ValueError


def test_the_fast_reader_shares_one_text_between_annotators(tmp_path: Path) -> None:
    project = make(tmp_path)
    for name in ("ani", "budi"):  # the store's layout: no spaces
        line = json.dumps(json.loads(record("d2", T2, [(2, 10, "PERSON")], annotator=name)),
                          ensure_ascii=False, separators=(",", ":"))  # fmt: skip
        (project.annotations_dir / f"{name}.jsonl").write_text(line + "\n", encoding="utf-8")
    corpus = load_corpus(project)
    ani, budi = corpus.submissions["ani"]["d2"], corpus.submissions["budi"]["d2"]
    assert ani.text == T2
    assert ani.text is budi.text
    assert list(ani.spans) == list(budi.spans) == [(2, 10, "PERSON")]
