"""Computing every pair's agreement parts in one pass (decision 0101) gives the parts computed
pair by pair: the same rows, over texts with emoji, CRLF, combining marks and Indonesian
words, overlapping and cross-token spans, documents some annotators did not submit; the same
refusal when a span would be left out with a warning. The spans read as columns from the
server are the values the JSON holds, and a report computed in many chunks, the server's
reads beside the computing, is the full report."""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from _pg_helpers import PgDb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.agreement.corpus import Corpus, Submission, prepare
from annotator.core.agreement.loading import load_corpus
from annotator.core.agreement.report import agreement_report, report_json
from annotator.core.agreement.spanarrays import compare_pair
from annotator.core.agreement.tokens import grouped_confusion, label_tokens
from annotator.core.model import Document
from annotator.core.pg import compute, parts
from annotator.core.pg.parts_server import Server
from annotator.core.pg.store import open_pg_project

LABELS = ("PERSON", "AGENCY", "CITY", "DATE", "PROGRAM")
PIECES = ["Gubernur", "Jakarta", "meresmikan", "Kartu Prakerja", "😀", "📌", "Cafe\u0301", "\r\n",
          "\n", " ", ",", ".", "Ngayogyakarta", "5 Mei 2023", "BPJS", "\u200b", "-"]  # fmt: skip


def pair_by_pair(
    texts: dict[str, str], a: dict[str, Any], b: dict[str, Any], labels: tuple[str, ...]
) -> tuple[list[str], Any] | None:
    """The parts of one pair as the report computed them before decision 0101: the pair's
    own corpus, tokenized for it alone."""
    corpus = Corpus(
        labels=labels,
        submissions={
            "a": {d: Submission(texts[d], spans) for d, spans in a.items()},
            "b": {d: Submission(texts[d], spans) for d, spans in b.items()},
        },
    )
    prep = prepare(corpus, ["a", "b"])
    if prep.warnings or prep.excluded:
        return None
    k, n = len(labels) + 1, len(prep.doc_ids)
    codes = [
        label_tokens(prep.tokens, s.starts, s.ends, s.codes, prep.tie_rank) for s in prep.spans
    ]
    both = prep.submitted[0] & prep.submitted[1]
    stats = compare_pair(prep.spans[0], prep.spans[1], both, prep.key_base, prep.tie_rank, True)
    groups = np.repeat(np.arange(n, dtype=np.int64), prep.tokens.counts)
    tokens = grouped_confusion(codes[0], codes[1], groups, n, k).reshape(n, k * k)
    assert stats.doc_detail is not None
    return prep.doc_ids, np.hstack([stats.doc_detail, tokens])


@st.composite
def team(draw: st.DrawFn) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    n_docs = draw(st.integers(1, 6))
    texts = {
        f"d{i}": "".join(draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=12)))
        for i in range(n_docs)
    }
    sides: dict[str, dict[str, Any]] = {}
    for name in draw(st.sampled_from([["ani", "budi"], ["ani", "budi", "citra"],
                                      ["ani", "budi", "citra", "dewi"]])):  # fmt: skip
        mine: dict[str, Any] = {}
        for doc, text in texts.items():
            if not draw(st.booleans()) and len(mine) < n_docs - 1:
                continue
            spans = []
            for _ in range(draw(st.integers(0, 4))):
                start = draw(st.integers(0, len(text) - 1))
                end = draw(st.integers(start + 1, len(text)))
                spans.append((start, end, draw(st.sampled_from(LABELS))))
            mine[doc] = sorted(set(spans))
        sides[name] = mine
    return texts, sides


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(team())
def test_every_pair_at_once_is_every_pair_alone(
    drawn: tuple[dict[str, str], dict[str, dict[str, Any]]],
) -> None:
    texts, sides = drawn
    made = compute.compute_noted(texts, sides, LABELS)
    assert made is not None
    doc_ids, rows, notes = made
    assert notes == {}
    assert set(rows) == set(combinations(sorted(sides), 2))
    for (a, b), got in rows.items():
        alone = pair_by_pair(texts, sides[a], sides[b], LABELS)
        assert alone is not None
        docs, want = alone
        assert docs == sorted(sides[a].keys() & sides[b].keys())
        at = [doc_ids.index(d) for d in docs]
        assert np.array_equal(got[at], want)
        others = [i for i in range(len(doc_ids)) if i not in at]
        assert not got[others].any(), "no part where the two did not both submit"
    some = [next(iter(rows))]
    assert compute.compute_noted(texts, sides, LABELS, some) is not None


def test_a_span_left_out_is_its_annotators_note_where_pair_by_pair_refused() -> None:
    texts = {"d1": "Gubernur 😀 Jakarta\r\nCafe\u0301.", "d2": "Presiden Joko Widodo"}
    good = {"d1": [(0, 8, "PERSON")], "d2": [(0, 8, "AGENCY")]}
    for bad in ([(0, 99, "PERSON")], [(3, 3, "CITY")], [(0, 8, "NOPE")], [(1.5, 4, "CITY")]):
        sides = {"ani": good, "budi": {"d1": bad, "d2": []}, "citra": good}
        made = compute.compute_noted(texts, sides, LABELS)
        assert made is not None
        assert {n: set(of) for n, of in made[2].items()} == {"budi": {"d1"}}, "budi's, noted"
        assert pair_by_pair(texts, good, sides["budi"], LABELS) is None
        assert pair_by_pair(texts, good, good, LABELS) is not None


def test_parts_encode_row_by_row_as_one_by_one() -> None:
    rng = np.random.default_rng(5)
    rows = rng.integers(-3, 4, (50, compute.width(6))) * (rng.random((50, 1)) < 0.8)
    rows[7] = 0
    blobs = compute.encode_rows(rows)
    assert blobs is not None
    assert len(blobs) == 50
    back = np.zeros(rows.shape, np.int32)
    compute.decode_into(back, list(range(50)), blobs)
    assert np.array_equal(back, rows)
    assert blobs[7] == b""
    assert compute.encode(rows[3]) == blobs[3]
    rows[9, 2] = 2**31
    assert compute.encode_rows(rows) is None


SPANS = [
    [],
    [{"start": 0, "end": 4, "label": "CITY"}, {"start": 5, "end": 9, "label": "PERSON"}],
    [{"start": 1.0, "end": 4, "label": "CITY"}],  # a float: the core leaves it out
    [{"start": "2", "end": 4, "label": "CITY"}],
    [{"start": 0, "end": 12345678901234567890, "label": "DATE"}],
    [{"start": -3, "end": 4, "label": 'a "quoted", label'}, {"start": 2, "end": 3, "label": 7}],
    [{"start": 0, "end": 4, "label": "CITY", "note": "extra keys are ignored"}],
    [{"start": 2, "end": 6, "label": "😀 Café\u0301"}, {"start": 0, "end": 1, "label": None}],
    [{"start": 0, "end": 4, "label": "CITY"}, {"start": [1], "end": {"x": 1}, "label": "CITY"}],
]


def test_spans_read_as_columns_are_the_values_of_the_json(pg_project: PgDb) -> None:
    text = "Gubernur 😀 Jakarta\r\nCafe\u0301 Surabaya."
    docs = [Document(id=f"doc-{i}", text=text) for i in range(len(SPANS))]
    pg_project.add_documents(*docs)
    with pg_project.admin() as conn:
        sha = conn.execute("SELECT text_sha256 FROM documents LIMIT 1").fetchone()
        assert sha is not None
        for doc, spans in zip(docs, SPANS, strict=True):
            for name in ("ani", "budi"):
                conn.execute(
                    "INSERT INTO annotations (project_id, document_id, annotator, text_sha256,"
                    " spans, status, updated_at) VALUES (%s, %s, %s, %s, %s, 'done', 'x')",
                    (pg_project.project_id, doc.id, name, sha[0], json.dumps(spans)),
                )
        conn.commit()
    store = open_pg_project(pg_project.admin_url)
    try:
        server = Server(store)
        ids = [d.id for d in docs]
        columns = server.sides(["ani", "budi"], ids)
        for name in ("ani", "budi"):
            whole = server.spans(name, ids)
            assert set(columns[name]) == set(ids)
            for doc in ids:
                version, spans = columns[name][doc]
                assert version == whole[doc][0]
                got = list(spans)
                assert got == whole[doc][1]
                assert [tuple(map(type, s)) for s in got] == [
                    tuple(map(type, s)) for s in whole[doc][1]
                ]
    finally:
        store.close()


@pytest.fixture
def filled(pg_project: PgDb, tmp_path: Path) -> Any:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
    from _team_corpus import fill

    project = open_pg_project(pg_project.admin_url, cache_dir=tmp_path / "desktop")
    fill(project)
    yield project
    project.close()


def test_a_report_in_many_chunks_is_the_full_report(
    filled: Any, pg_project: PgDb, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunks of 4 documents: the next chunk is read, and the last one written, on a
    connection of their own while this one computes; the parts kept are those of one chunk."""
    names = ["ani", "budi", "citra"]
    full = report_json(agreement_report(load_corpus(filled, names, include_gold=False), names))
    one = parts.fast_report(filled, names)
    assert one is not None
    assert report_json(one) == full
    with pg_project.admin() as conn:
        whole = conn.execute("SELECT a, b, document_id, digest_a, digest_b, parts"
                             " FROM agreement_parts ORDER BY 1, 2, 3").fetchall()  # fmt: skip
        conn.execute("DELETE FROM agreement_parts")
        conn.execute("DELETE FROM agreement_states")
        conn.commit()
    for kept in filled.cache_dir.glob("*"):
        kept.unlink()
    monkeypatch.setattr(compute, "CHUNK", 4)
    many = parts.fast_report(filled, names)
    assert many is not None
    assert report_json(many) == full
    with pg_project.admin() as conn:
        again = conn.execute("SELECT a, b, document_id, digest_a, digest_b, parts"
                             " FROM agreement_parts ORDER BY 1, 2, 3").fetchall()  # fmt: skip
    assert len(whole) > 3 * 4
    assert [(*r[:5], bytes(r[5])) for r in again] == [(*r[:5], bytes(r[5])) for r in whole]


def add_documents(pg_project: PgDb, ids: list[str]) -> None:
    """Documents of those ids (each the text "x") in the test's project, written directly."""
    with pg_project.admin() as conn:
        for doc in ids:
            conn.execute(
                "INSERT INTO documents (project_id, id, text, text_sha256)"
                " VALUES (%s, %s, 'x', encode(sha256('x'), 'hex'))",
                (pg_project.project_id, doc),
            )
        conn.commit()


def test_parts_are_written_whatever_the_ids_hold(pg_project: PgDb) -> None:
    """The parts go to the server as COPY text made here: a tab, a line end or a backslash
    in a document id or a version is escaped, and the bytes come back as they were."""
    ids = ["tab\there", "back\\slash\\x", "line\nend\r", "plain", "😀 Café\u0301"]
    add_documents(pg_project, ids)
    blobs = [bytes([i, 0, 92, 9, 10, 255]) * (i + 1) for i in range(len(ids))]
    store = open_pg_project(pg_project.admin_url)
    try:
        server = Server(store)
        rows = [("ani", "b\\u\tdi", d, f"{i}\\/1", "7/\n2", "k", b) for i, (d, b) in
                enumerate(zip(ids, blobs, strict=True))]  # fmt: skip
        server.write(rows)
        back = {d: (va, vb, bytes(p)) for d, va, vb, p in server.kept("ani", "b\\u\tdi", "k", None)}
        assert back == {d: (va, vb, b) for _, _, d, va, vb, _, b in rows}
        server.write(rows[:2])  # again: replaced, not doubled
        assert len(server.kept("ani", "b\\u\tdi", "k", None)) == len(ids)
    finally:
        store.close()


def test_the_parts_of_deleted_documents_are_deleted(pg_project: PgDb) -> None:
    """Parts no longer check their document with a key (schema step 10, decision 0107): a
    part is written without locking its document, and deleting documents, or their project,
    still deletes their parts."""
    ids = ["d1", "d2", "d3"]
    add_documents(pg_project, ids)
    store = open_pg_project(pg_project.admin_url)
    try:
        server = Server(store)
        for a, b in (("ani", "budi"), ("ani", "citra")):
            server.write([(a, b, d, "1/1", "2/1", "k", b"\x01") for d in ids])
    finally:
        store.close()

    def kept() -> list[tuple[Any, ...]]:
        with pg_project.admin() as conn:
            return conn.execute("SELECT a, b, document_id FROM agreement_parts ORDER BY 1, 2, 3"
                                ).fetchall()  # fmt: skip

    assert len(kept()) == 6
    with pg_project.admin() as conn:
        conn.execute("DELETE FROM documents WHERE id = ANY(%s)", (["d1", "d3"],))
        conn.commit()
    assert kept() == [("ani", "budi", "d2"), ("ani", "citra", "d2")]
    with pg_project.admin() as conn:
        conn.execute("DELETE FROM projects WHERE id = %s", (pg_project.project_id,))
        conn.commit()
    assert kept() == []


def test_kept_versions_of_named_pairs_are_those_pairs_rows(pg_project: PgDb) -> None:
    """With the pairs named (the keeper's look-up per finished document, decision 0109) the
    versions are exactly those of the named pairs, of the documents asked for; unnamed, of
    every pair."""
    ids = ["d1", "d2", "d 3\t😀"]
    add_documents(pg_project, [*ids, "d9"])
    store = open_pg_project(pg_project.admin_url)
    try:
        server = Server(store)
        pairs = [("ani", "budi"), ("ani", "ci'tra"), ("budi", "ci'tra")]
        server.write([(a, b, d, f"{a}/{d}", f"{b}/{d}", "k", b"\x01") for a, b in pairs
                      for d in ids])  # fmt: skip
        server.write([("ani", "budi", "d9", "x", "y", "other basis", b"\x02")])
        every = server.kept_versions("k", None)
        assert len(every) == 9
        for named in ([pairs[1]], [pairs[0], pairs[2]], pairs):
            for docs in (["d2"], ["d1", "d 3\t😀"], None):
                got = server.kept_versions("k", docs, named)
                assert sorted(got) == sorted(
                    r for r in every if (r[0], r[1]) in named and (docs is None or r[2] in docs)
                )
                assert len(got) == len(named) * (len(docs) if docs else 3)
        assert server.kept_versions("k", ["d1"], []) == []
    finally:
        store.close()
