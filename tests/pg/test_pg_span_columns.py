"""Spans kept as columns when an annotation is written (schema step 9, decision 0107), and the
parts computed from them as arrays: the same parts as from the spans one by one, the same
spans left out or removed with the same notes in the same order (a span out of range, empty,
reversed, of an unknown or unhashable label or given twice; decision 0119), the columns the
values of the JSON after a migration of an older schema and after every write."""

from __future__ import annotations

import json
import random
from typing import Any

import numpy as np
from _pg_helpers import PgDb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_pg_compute import LABELS, PIECES, SPANS

from annotator.core.model import Document, ProjectConfig
from annotator.core.pg import compute, parts_server, projects, schema
from annotator.core.pg.parts_server import Server, SpanTable
from annotator.core.pg.store import open_pg_project

NAMES = ["ani", "budi", "citra", "dewi"]


def table_of(sides: dict[str, dict[str, list[Any]]], seed: int) -> SpanTable:
    """The spans as the server gives them: a row per annotation, the rows in any order, each
    row's spans in the order its record lists them."""
    rows = [(n, d, list(spans)) for n, docs in sides.items() for d, spans in docs.items()]
    random.Random(seed).shuffle(rows)
    return SpanTable(
        [n for n, _, _ in rows], [d for _, d, _ in rows], [f"{n}/{d}" for n, d, _ in rows],
        np.array([len(s) for _, _, s in rows], np.int64),
        np.array([x[0] for _, _, s in rows for x in s], np.int64),
        np.array([x[1] for _, _, s in rows for x in s], np.int64),
        [x[2] for _, _, s in rows for x in s],
    )  # fmt: skip


@st.composite
def chunk(draw: st.DrawFn) -> tuple[dict[str, str], dict[str, dict[str, list[Any]]], Any]:
    """Texts, every annotator's spans (some out of range, empty, reversed, of an unknown or
    unhashable label, or given twice: bad data) and which documents each is needed for."""
    texts = {
        f"d{i}": "".join(draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=10)))
        for i in range(draw(st.integers(1, 6)))
    }
    bad = draw(st.booleans())
    sides: dict[str, dict[str, list[Any]]] = {}
    needs: dict[str, set[str]] = {}
    for name in NAMES[: draw(st.integers(2, 4))]:
        sides[name] = {}
        for doc in [*texts, "no-text"]:
            if not draw(st.booleans()):
                continue
            n = len(texts.get(doc, "x"))
            spans: list[Any] = []
            for _ in range(draw(st.integers(0, 4))):
                if bad:
                    start = draw(st.integers(-1, n))
                    end = draw(st.integers(start - 1, n + 1))
                    label = draw(st.sampled_from([*LABELS, "NOPE", None, ("CITY",), ["CITY"]]))
                else:
                    start = draw(st.integers(0, n - 1))
                    end = draw(st.integers(start + 1, n))
                    label = draw(st.sampled_from(LABELS))
                spans.append((start, end, label))
            if spans and draw(st.booleans()):  # the same bounds again: nested labels
                spans.append((*spans[0][:2], draw(st.sampled_from(LABELS))))
            if bad and spans and draw(st.booleans()):
                spans.append(spans[0])  # the same span twice
            sides[name][doc] = spans if bad else sorted(set(spans))
        needs[name] = {d for d in sides[name] if draw(st.integers(0, 4))}  # most are needed
    return texts, sides, needs


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chunk(), st.integers(0, 2**16))
def test_parts_from_the_arrays_are_the_parts_from_the_spans(drawn: Any, seed: int) -> None:
    texts, sides, needs = drawn
    shuffle = random.Random(seed).shuffle
    for of_name in sides.values():  # a record lists its spans in any order
        for spans in of_name.values():
            shuffle(spans)
    table = table_of(sides, seed)
    wanted = {n: {d: s for d, s in sides[n].items() if d in needs[n] and d in texts}
              for n in needs}  # fmt: skip
    one_by_one = compute.compute_noted(texts, wanted, LABELS)
    as_arrays = compute.compute_table(texts, table, needs, LABELS)
    assert one_by_one is not None  # one text per document
    # the notes, lists in order: the spans left out as each record lists them, then the
    # duplicates removed in the order of their bounds
    assert as_arrays[2] == one_by_one[2]
    assert as_arrays[0] == one_by_one[0]
    assert as_arrays[1].keys() == one_by_one[1].keys()
    for pair, rows in one_by_one[1].items():
        assert np.array_equal(as_arrays[1][pair], rows)


def test_a_bad_span_of_a_document_nobody_else_submitted_is_not_looked_at() -> None:
    texts = {"d1": "Gubernur 😀 Jakarta", "d2": "Cafe\u0301"}
    sides = {"ani": {"d1": [(0, 8, "PERSON")], "d2": [(0, 99, "NOPE"), (0, 2, "CITY")] * 2},
             "budi": {"d1": [(0, 8, "PERSON")]}}  # fmt: skip
    needs = {"ani": {"d1", "d2"}, "budi": {"d1"}}
    made = compute.compute_table(texts, table_of(sides, 0), needs, LABELS)
    assert made[0] == ["d1"]
    assert made[2] == {}
    sides["budi"]["d2"] = []  # now compared: the bad spans are warnings
    needs["budi"].add("d2")
    made = compute.compute_table(texts, table_of(sides, 0), needs, LABELS)
    assert made[0] == ["d1", "d2"]
    left = "span 0-99 NOPE excluded: unknown label 'NOPE'"
    assert made[2] == {"ani": {"d2": ([left, left], ["duplicate span 0-2 removed"])}}


def whole_and_columns(url: str, now: dict[str, list[Any]]) -> None:
    """The spans read as columns are the spans of the JSON, read whole, values and types."""
    ids = list(now)
    store = open_pg_project(url)
    try:
        server = Server(store)
        for name in ("ani", "budi"):
            columns = server.sides(["ani", "budi"], ids)[name]
            whole = server.spans(name, ids)
            assert set(columns) == set(whole) == set(ids)
            for doc in ids:
                assert columns[doc][0] == whole[doc][0]
                got = list(columns[doc][1])
                assert got == whole[doc][1]
                assert [tuple(map(type, s)) for s in got] == [
                    tuple(map(type, s)) for s in whole[doc][1]
                ]
        plain = [d for d, spans in now.items() if spans in (SPANS[0], SPANS[1])]
        table = server.read_spans(["ani", "budi"], plain)
        assert isinstance(table, SpanTable), "integer offsets only: read as arrays"
        assert table.sides() == server.sides(["ani", "budi"], plain)
    finally:
        store.close()


def test_the_columns_are_kept_through_a_migration_and_every_write(pg_db: PgDb) -> None:
    steps = schema.packaged_migrations()
    assert steps[8].name == "span_columns"
    with pg_db.admin(autocommit=True) as conn:
        schema.migrate(conn, steps[:8])
        pg_db.project_id, _ = projects.create_project(conn, ProjectConfig(name="news"))
    text = "Gubernur 😀 Jakarta\r\nCafe\u0301 Surabaya."
    docs = [Document(id=f"doc-{i}", text=text) for i in range(len(SPANS))]
    pg_db.add_documents(*docs)
    ids = [d.id for d in docs]
    with pg_db.admin() as conn:
        for doc, spans in zip(ids, SPANS, strict=True):
            for name in ("ani", "budi"):
                conn.execute(
                    "INSERT INTO annotations (project_id, document_id, annotator, text_sha256,"
                    " spans, status, updated_at) SELECT project_id, id, %s, text_sha256, %s,"
                    " 'done', 'x' FROM documents WHERE id = %s",
                    (name, json.dumps(spans), doc),
                )
        conn.commit()
    with pg_db.admin(autocommit=True) as conn:
        assert schema.migrate(conn) == (8, len(steps))
    whole_and_columns(pg_db.admin_url, dict(zip(ids, SPANS, strict=True)))
    with pg_db.admin() as conn:  # each annotation's spans become another's, then not objects
        for shift, spans in ((1, None), (0, [{"start": 0}, 3])):
            now = {d: SPANS[(i + shift) % len(SPANS)] if spans is None else spans
                   for i, d in enumerate(ids)}  # fmt: skip
            for doc, new in now.items():
                conn.execute("UPDATE annotations SET spans = %s WHERE document_id = %s",
                             (json.dumps(new), doc))  # fmt: skip
            conn.commit()
            if spans is None:
                whole_and_columns(pg_db.admin_url, now)
        row = conn.execute("SELECT span_columns FROM annotations LIMIT 1").fetchone()
        assert row == (None,), "spans that are not objects with the three keys: no columns"


TEXT = st.text(st.sampled_from(["a", "7", "/", "\t", "\n", "\r", "\\", "x", "😀", "é"]), max_size=6)
PLAIN = st.text(st.sampled_from(["a", "7", "/", "x", "😀", "é"]), max_size=6)  # nothing to escape


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(*[PLAIN | TEXT] * 6, st.binary(max_size=9), st.none() | TEXT | PLAIN),
        max_size=5,
    )
)
def test_copy_text_is_every_row_escaped(drawn: list[tuple[Any, ...]]) -> None:
    """The COPY text made at once is the rows escaped field by field, whatever they hold,
    their notes too (JSON of any text, decision 0119)."""
    rows = [r[:7] for r in drawn]
    notes = {r[:3]: json.dumps({r[0]: [[r[7]], []]}) for r in drawn if r[7] is not None}
    assert parts_server._copy_text(3, rows, notes) == "".join(
        parts_server._copy_line(3, r, notes.get(r[:3])) for r in rows
    )


def test_notes_are_kept_as_written(team_store: Any) -> None:
    """Notes written with the parts are the notes read back, whatever their lines hold."""
    server = Server(team_store)
    odd = ["span 0-3 ['CITY'] excluded: unknown label \"\\\t\r\n😀 Cafe\u0301\"", "x"]
    noted = {"ani": [odd, []], "budi": [[], ["duplicate span 0-3 removed"]]}
    # ids with nothing to escape (the rows made at once), then ids with a tab and a backslash
    for docs in (("d1", "d2", "d3"), ("d\\1", "d\t2", "d\r3")):
        rows = [("ani", "budi", d, "1/0", "2/0", "k", b"\x01") for d in docs]
        server.write(rows, [("ani", "budi", d, json.dumps(noted)) for d in docs[::2]])
        got = {(a, b, d): (va, vb, n) for a, b, d, va, vb, n in server.notes("k")}
        assert got == {("ani", "budi", d): ("1/0", "2/0", noted) for d in docs[::2]}
        server.write(rows[:1])  # written again without notes: none left
        assert {d for _, _, d, *_ in server.notes("k")} == {docs[2]}
        server.write(rows[2:])
        assert not server.notes("k")


@given(st.lists(st.lists(st.integers(-(2**70), 2**70) | st.sampled_from([1.5, "2", None]),
                         max_size=4), max_size=6))  # fmt: skip
def test_integers_are_the_values_of_the_json(lists: list[list[Any]]) -> None:
    """Offsets read at once are the JSON's values, and only those 64 bits hold exactly."""
    texts = [json.dumps(x, separators=(", ", ": ")) for x in lists]
    values, sizes = parts_server._integers(texts)
    assert values == [v for x in lists for v in x]
    assert [type(v) for v in values] == [type(v) for x in lists for v in x]
    assert sizes == [len(x) for x in lists]
    fast = parts_server._int_array(texts)
    exact = all(type(v) is int and abs(v) < 10**18 for x in lists for v in x)
    assert (fast is not None) == exact
    if fast is not None:
        assert fast.tolist() == values
