"""The quick index (decision 0046): each line's place and id from a byte scan, the same rows and
errors as the full index, summaries made when asked for, and its own cache."""

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core import line_scan
from annotator.core import quick_index as quick_module
from annotator.core.annotation_file import annotation_kind
from annotator.core.documents import DOCUMENTS
from annotator.core.index import (
    STOP_EVERY,
    IndexStopped,
    LineIndex,
    build_index,
    lines_cache,
)
from annotator.core.jsonl import dumps
from annotator.core.line_scan import quick_id
from annotator.core.model import Annotation, make_span
from annotator.core.project import Project
from annotator.core.quick_index import quick_index

TEXTS = [
    "🇮🇩 Kemendagri di Kota Makassar",
    "Pemprov DKI Jakarta\r\nmeluncurkan Jakarta Smart City",  # CRLF inside: escaped in JSON
    'e\u0301 Banyuwangi, Selasa (30/08/2022) "kutipan" \\ garis',
    "",
]

ids = st.text(alphabet=st.sampled_from(list('ab-_9"\\é🇮\u0301\x01/ ')), min_size=1, max_size=12)
texts = st.one_of(st.sampled_from(TEXTS), st.text(max_size=40))


@pytest.fixture(autouse=True)
def quick_whatever_the_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small files get a full index even when a quick one is asked for; not here."""
    monkeypatch.setattr(quick_module, "QUICK_FROM_BYTES", 0)


def same(quick: LineIndex, full: LineIndex) -> None:
    """The quick index has the full one's rows, errors and summaries once every line it read
    quickly is validated (looked up)."""
    summaries = [(i, quick.lookup(i)) for i in quick.ids()]
    valid = [i for i, summary in summaries if summary is not None]
    assert valid == full.ids()
    assert [quick.rows[i][:3] for i in valid] == [r[:3] for r in full.rows.values()]
    assert sorted(map(str, quick.errors)) == sorted(map(str, full.errors))
    assert [s for _, s in summaries if s is not None] == [full.lookup(i) for i in full.ids()]
    assert (quick.size, quick.lines, quick.ino) == (full.size, full.lines, full.ino)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    records=st.lists(st.tuples(ids, st.one_of(texts, st.just(5))), max_size=8),
    crlf=st.booleans(),
    blank=st.booleans(),
    block=st.sampled_from([3, 17, 64, 1 << 23]),
    cut=st.integers(min_value=0, max_value=30),
)
def test_quick_rows_are_the_full_index_rows(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    records: list[tuple[str, str | int]],
    crlf: bool,
    blank: bool,
    block: int,
    cut: int,
) -> None:
    """Any ids (quotes, backslashes, emoji, control characters, combining marks), duplicates,
    records that are not valid (a text that is a number: its id is read quickly all the same),
    CRLF line endings, blank lines, blocks smaller than a line, a truncated last line."""
    monkeypatch.setattr(line_scan, "BLOCK", block)
    end = b"\r\n" if crlf else b"\n"
    lines = [dumps({"id": i, "text": t}).encode() for i, t in records]
    if blank:
        lines.insert(len(lines) // 2, b"   ")
    data = end.join(lines) + (end if lines else b"")
    if cut and lines:
        data = data[: max(0, len(data) - cut)]  # the last line (or more) cut short
    path = tmp_path / f"d{abs(hash((tuple(records), crlf, blank, block, cut)))}.jsonl"
    path.write_bytes(data)
    same(quick_index(path, DOCUMENTS, None), build_index(path, DOCUMENTS, None))


def test_quick_id_reads_only_plain_ids() -> None:
    assert quick_id(b'{"id":"doc-1","text":"x"}') == "doc-1"
    assert quick_id('{"id":"berita-🇮🇩","text":"x"}'.encode()) == "berita-🇮🇩"
    assert quick_id(b'{"id":"a\\"b","text":"x"}') is None  # an escaped quote: parsed
    assert quick_id(b'{"id":"a\\u00e9","text":"x"}') is None  # an escape: parsed
    assert quick_id(b'{"id":"","text":"x"}') is None  # empty: parsed (and refused)
    assert quick_id(b'{"id":"doc-1","text":"cut sho') is None  # truncated: parsed (refused)
    assert quick_id(b'{"text":"x","id":"doc-1"}') is None  # another key first: parsed
    assert quick_id(b'{"id":"\xff\xfe","text":"x"}') is None  # not UTF-8: parsed (refused)


def test_bad_lines_say_path_line_and_reason(tmp_path: Path) -> None:
    path = tmp_path / "documents.jsonl"
    rows = [
        dumps({"id": "a", "text": TEXTS[0]}),
        "not json",
        "[1, 2]",
        dumps({"text": "no id"}),
        dumps({"id": 'q"uote', "text": TEXTS[2]}),
        dumps({"id": "a", "text": "again"}),
        '{"id":"cut","text":"Kota Makas',
    ]
    path.write_text("\n".join(rows), encoding="utf-8")  # no newline after the last line
    quick = quick_index(path, DOCUMENTS, None)
    assert quick.ids() == ["a", 'q"uote']
    reasons = [str(e) for e in quick.errors]
    assert [r.split(": ")[0] for r in reasons] == [f"{path}:{n}" for n in (2, 3, 4, 6, 7)]
    assert "duplicate id 'a' (first on line 1)" in reasons[3]
    assert "invalid JSON" in reasons[4]
    same(quick, build_index(path, DOCUMENTS, None))


def test_a_line_longer_than_a_block(tmp_path: Path) -> None:
    path = tmp_path / "documents.jsonl"
    long_text = "Kota Makassar 🇮🇩 " * (line_scan.BLOCK // 8)  # past one block read
    path.write_text(
        "\n".join(dumps({"id": i, "text": t}) for i, t in [("x", "a"), ("long", long_text)])
        + "\n"
        + dumps({"id": "z", "text": "b"})
        + "\n",
        encoding="utf-8",
    )
    quick = quick_index(path, DOCUMENTS, None)
    assert quick.ids() == ["x", "long", "z"]
    assert quick.lookup("long") is not None
    same(quick, build_index(path, DOCUMENTS, None))


def test_a_line_that_fails_validation_is_found_when_read(tmp_path: Path) -> None:
    """The quick test takes the id of a well-formed line; its record is validated when first
    asked for, and then it is an error and absent, as in the full index."""
    labels = frozenset({"CITY"})
    kind = annotation_kind(labels)
    text = TEXTS[0]
    good = Annotation(id="d1", text=text, annotator="ani", spans=(make_span(text, 21, 29, "CITY"),))
    bad = good.model_dump(mode="json") | {"id": "d2", "text_sha256": "0" * 64}
    path = tmp_path / "ani.jsonl"
    path.write_text(dumps(good.model_dump(mode="json")) + "\n" + dumps(bad) + "\n", "utf-8")
    quick = quick_index(path, kind, None)
    assert quick.ids() == ["d1", "d2"]
    assert not quick.errors
    assert not quick.complete
    assert quick.lookup("d1") is not None
    assert quick.entry("d1") is not None
    assert quick.lookup("d2") is None
    assert quick.entry("d2") is None
    assert [str(e) for e in quick.errors] == [
        f"{path}:2: text_sha256 does not match the text",
    ]
    full = build_index(path, kind, None)
    assert full.ids() == ["d1"]
    assert [str(e) for e in full.errors] == [str(quick.errors[0])]


def test_the_lines_cache(tmp_path: Path) -> None:
    """Kept by size, time and inode; a grown file has its tail scanned; a replaced one is
    scanned again; a cache that lies about its columns is not used."""
    path = tmp_path / "documents.jsonl"
    cache = tmp_path / "cache" / "documents.idx.json"
    path.write_text(dumps({"id": "a", "text": TEXTS[0]}) + "\n", encoding="utf-8")
    first = quick_index(path, DOCUMENTS, cache)
    assert lines_cache(cache).exists()
    assert not cache.exists()
    again = quick_index(path, DOCUMENTS, cache)
    assert again.ids() == ["a"]
    assert again.rows["a"][3] is None
    with open(path, "a", encoding="utf-8") as f:
        f.write(dumps({"id": "b", "text": TEXTS[1]}) + "\n")
    grown = quick_index(path, DOCUMENTS, cache)
    same(grown, build_index(path, DOCUMENTS, None))
    replaced = tmp_path / "new.jsonl"
    replaced.write_text(dumps({"id": "c", "text": "x"}) + "\n", encoding="utf-8")
    os.replace(replaced, path)
    assert quick_index(path, DOCUMENTS, cache).ids() == ["c"]
    data = json.loads(lines_cache(cache).read_text("utf-8"))
    data["offset"] = []  # columns of different lengths
    lines_cache(cache).write_text(json.dumps(data), "utf-8")
    assert quick_index(path, DOCUMENTS, cache).ids() == ["c"]
    assert first.ids() == ["a"]


def test_the_full_index_writes_the_lines_cache_too(tmp_path: Path) -> None:
    path = tmp_path / "documents.jsonl"
    cache = tmp_path / "cache" / "documents.idx.json"
    path.write_text(dumps({"id": "a", "text": TEXTS[0]}) + "\n", encoding="utf-8")
    full = build_index(path, DOCUMENTS, cache)
    assert cache.exists()
    assert lines_cache(cache).exists()
    same(quick_index(path, DOCUMENTS, cache), full)


def test_a_full_build_stops_when_asked_and_writes_nothing(tmp_path: Path) -> None:
    """The window's worker stops its build when the window closes (``stop``)."""
    path = tmp_path / "documents.jsonl"
    cache = tmp_path / "cache" / "documents.idx.json"
    rows = [dumps({"id": f"d{i}", "text": TEXTS[i % 3]}) for i in range(3 * STOP_EVERY)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    asked: list[int] = []

    def stop() -> bool:
        asked.append(1)
        return len(asked) == 2

    with pytest.raises(IndexStopped):
        build_index(path, DOCUMENTS, cache, stop=stop)
    assert len(asked) == 2
    assert not cache.exists()
    assert not lines_cache(cache).exists()
    assert len(build_index(path, DOCUMENTS, cache, stop=lambda: False)) == 3 * STOP_EVERY


def test_a_quick_annotation_file_reads_statuses_from_the_bytes(tmp_path: Path) -> None:
    """Before its lines are validated, a status is read from the line's bytes (the list's
    icons, "next unfinished"); the record itself is validated when it is read."""
    root = tmp_path / "p"
    Project.init(root)
    text = TEXTS[0]
    made = {
        "d1": Annotation(id="d1", text=text, annotator="ani", status="done"),
        "d2": Annotation(
            id="d2", text=TEXTS[2], annotator="ani", status="skipped", meta={"status": "done"}
        ),  # a "status" in meta too
        "d3": Annotation(id="d3", text=TEXTS[1], annotator="ani"),
    }
    lines = [dumps(a.model_dump(mode="json")) for a in made.values()]
    bad = made["d1"].model_dump(mode="json") | {"id": "d4", "text_sha256": "0" * 64}
    lines.append(dumps(bad))
    (root / "annotations" / "ani.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    file = Project.open(root, quick=True).annotation_file("ani")
    assert not file.index.complete
    assert [file.status(d) for d in ("d1", "d2", "d3")] == ["done", "skipped", "in_progress"]
    assert all(row[3] is None for row in file.index.rows.values())  # none validated yet
    full = Project.open(root).annotation_file("ani")
    assert [full.status(d) for d in ("d1", "d2", "d3", "d4")] == [
        "done",
        "skipped",
        "in_progress",
        None,
    ]
    assert file.get("d2") == made["d2"]
    assert file.get("d4") is None  # validated when read: not a record
    assert file.status("d4") is None
    assert [str(e) for e in file.errors] == [str(e) for e in full.errors]
