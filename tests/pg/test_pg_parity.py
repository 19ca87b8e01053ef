"""The same odd records in a project folder and on a server give the same results (decision
0117): ``agreement --json`` (the lead's report from kept parts, and the report computed
afresh), every export format, ``validate``, and ``pull`` leave out, count and name the same
things, whatever shapes a script wrote into ani's spans and meta: offsets as strings, as
3.0 or 3.5, as booleans, beyond 64 bits or negative; labels that are no string or unknown;
extra or missing keys; a copy of the covered text that differs or is missing; spans that are
no objects. The folder gets each record as a line of ``annotations/ani.jsonl``, the server as
ani's own row, written with plain SQL by ani as their script would.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest
from _pg_helpers import PgDb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg.types.json import Json

from annotator.cli import main
from annotator.core.agreement.loading import load_corpus
from annotator.core.agreement.report import agreement_report, report_json
from annotator.core.export import EXPORTERS
from annotator.core.model import Annotation, Document, sha256_text
from annotator.core.pg.store import open_pg_project
from annotator.core.project import Project

TEXTS = [
    "Gubernur Anies meresmikan program di Jakarta 😀 pada Senin.",
    "Presiden Joko Widodo\r\nberkunjung ke Bandung.\r\nWarga 📌 menyambut.",
    "Cafe\u0301 Makassar dibuka oleh Sri Mulyani dari Kementerian Keuangan.",
    "BPJS Kesehatan di Surabaya melayani warga Ngayogyakarta.",
]
DOCS = [f"doc-{i}" for i in range(len(TEXTS))]
LABELS = ("PERSON", "AGENCY", "CITY", "DATE", "PROGRAM")
STAMP = "2026-12-01T05:00:00Z"


def _words(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"\w+", text)]


def _sound(text: str, picks: list[tuple[int, int]]) -> list[dict[str, Any]]:
    words = _words(text)
    chosen = sorted({words[w % len(words)] for w, _ in picks})
    return [
        {"start": s, "end": e, "label": LABELS[(s + e) % len(LABELS)], "text": text[s:e]}
        for s, e in chosen
    ]


def _record(doc: str, text: str, who: str, spans: Any, meta: Any) -> str:
    record = {"id": doc, "text": text, "spans": spans, "status": "done", "annotator": who,
              "text_sha256": sha256_text(text), "updated_at": STAMP, "seconds": 12.5,
              "meta": meta}  # fmt: skip
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


# what a script may do to one sound span
ODD_OFFSET = st.sampled_from(["str", "float", "half", "bool", "big", "negative", "none"])
ODD_LABEL = st.sampled_from([5, None, ["CITY"], {"n": 1}, "Kota", "", True])


def _offset(value: int, how: str) -> Any:
    return {"str": str(value), "float": float(value), "half": value + 0.5, "bool": value > 0,
            "big": value + 2**64, "negative": -value - 1, "none": None}[how]  # fmt: skip


@st.composite
def odd_span(draw: st.DrawFn, span: dict[str, Any]) -> Any:
    kind = draw(st.sampled_from(["start", "end", "label", "extra", "missing", "text", "shape"]))
    out = dict(span)
    if kind in ("start", "end"):
        out[kind] = _offset(out[kind], draw(ODD_OFFSET))
    elif kind == "label":
        out["label"] = draw(ODD_LABEL)
    elif kind == "extra":
        out["note"] = draw(st.sampled_from([1, "cek lagi", None]))
    elif kind == "missing":
        for key in draw(st.sets(st.sampled_from(["start", "end", "label", "text"]), min_size=1)):
            del out[key]
    elif kind == "text":
        out["text"] = draw(st.sampled_from(["X", out["text"] + " ", out["text"].upper() + "😀"]))
    else:
        return draw(st.sampled_from(["oops", [out["start"], out["end"], out["label"]], 3, None]))
    return out


@st.composite
def ani_record(draw: st.DrawFn, text: str) -> tuple[list[Any], Any]:
    """ani's spans and meta of one document: sound spans, some of them made odd."""
    sound = _sound(text, draw(st.lists(st.tuples(st.integers(0, 40), st.just(0)), max_size=4)))
    spans = [draw(odd_span(sp)) if draw(st.booleans()) else sp for sp in sound]
    meta = draw(st.sampled_from([{}, {}, {"sumber": "skrip"}, [], None, 3]))
    return spans, meta


RECORDS = st.tuples(*(ani_record(t) for t in TEXTS))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return code, out.out, out.err


def _named(line: str, location: str) -> tuple[str, str]:
    """(document, reason) of a line naming a bad record, a folder's or a server's."""
    server = re.fullmatch(r"(?:  )?server project, annotator ani, document (\S+): (.*)", line)
    if server:
        return server[1], server[2]
    folder = re.fullmatch(rf"(?:  )?{re.escape(location)}:(\d+): (.*)", line)
    assert folder, line
    return DOCS[int(folder[1]) - 1], folder[2]


def _warnings(report: dict[str, Any], location: str) -> dict[str, Any]:
    """The report with each warning's place (a file's line, a server's row) as its document."""
    out = []
    for line in report["warnings"]:
        server = re.fullmatch(r".* \(ani, (\S+)\): (.*)", line)
        folder = re.fullmatch(rf"{re.escape(location)}:(\d+): (.*)", line)
        assert server or folder, line
        out.append(f"{server[1]}: {server[2]}" if server else f"{DOCS[int(folder[1]) - 1]}: "
                   f"{folder[2]}")  # type: ignore[index]  # fmt: skip
    return {**report, "warnings": out}


def _export(capsys: pytest.CaptureFixture[str], where: str, into: Path, fmt: str) -> str:
    code, out, err = run(capsys, "export", where, "--format", fmt, "--out", str(into),
                         "--split", "50,50", "--seed", "3")  # fmt: skip
    assert code == 0, err
    assert err == ""
    return out


def _files(into: Path, location: str) -> dict[str, Any]:
    files: dict[str, Any] = {}
    for path in sorted(into.iterdir()):
        if path.name == "meta.json":
            meta = json.loads(path.read_text("utf-8"))
            for key in ("created_at", "seconds", "command", "project"):
                meta.pop(key)
            left = meta["left_out"]
            left["unreadable_lines"] = sorted(_named(x, location) for x in left["unreadable_lines"])
            files[path.name] = meta
        elif path.name != "README.md":
            files[path.name] = path.read_bytes()
    return files


def test_odd_records_give_the_same_results_in_a_folder_and_on_a_server(
    pg_db: PgDb, tmp_path: Path, desktop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = Project.init(tmp_path / "news", "news")
    folder.documents.append([Document(id=d, text=t) for d, t in zip(DOCS, TEXTS, strict=True)])
    for who, picks in (("ani", [(1, 0), (5, 0)]), ("budi", [(1, 0), (3, 0), (8, 0)])):
        lines = [_record(d, t, who, _sound(t, picks), {}) for d, t in zip(DOCS, TEXTS, strict=True)]
        (folder.annotations_dir / f"{who}.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    url = pg_db.admin_url
    assert run(capsys, "push", str(folder.root), url)[0] == 0
    pg_db.add_person("ani", "annotator")
    ani_file = folder.annotations_dir / "ani.jsonl"
    location = str(ani_file)
    turn = itertools.count()

    @settings(
        max_examples=50,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(RECORDS)
    def same(records: tuple[tuple[list[Any], Any], ...]) -> None:
        n = next(turn)
        lines = [
            _record(d, t, "ani", spans, meta)
            for d, t, (spans, meta) in zip(DOCS, TEXTS, records, strict=True)
        ]
        ani_file.write_text("\n".join(lines) + "\n", "utf-8")
        with pg_db.connect_as("ani") as ani:
            for doc, (spans, meta) in zip(DOCS, records, strict=True):
                ani.execute(
                    "UPDATE annotations SET spans = %s, meta = %s, revision = revision + 1"
                    " WHERE annotator = 'ani' AND document_id = %s",
                    (Json(spans), Json(meta), doc),
                )

        # validate: the same records named, for the same reasons
        code, out, err = run(capsys, "validate", str(folder.root))
        there_code, there_out, there_err = run(capsys, "validate", url)
        assert code == there_code
        here = sorted(_named(x, location) for x in err.splitlines())
        assert here == sorted(_named(x, location) for x in there_err.splitlines())
        assert out.split(": ")[-1] == there_out.split(": ")[-1]  # "N problems"
        bad = {doc for doc, _ in here}
        for line in lines:  # the model is the judge of a record
            try:
                Annotation.model_validate_json(line, context={"labels": set(LABELS)})
            except ValueError:
                continue
            assert json.loads(line)["id"] not in bad

        # agreement --json: the lead's report from kept parts, and the report afresh
        code, out, err = run(capsys, "agreement", str(folder.root), "--json")
        assert code == 0, err
        report = _warnings(json.loads(out), location)
        code, out, err = run(capsys, "agreement", url, "--json")
        assert code == 0, err
        assert _warnings(json.loads(out), location) == report
        store = open_pg_project(url)
        try:
            names = ["ani", "budi"]
            fresh = report_json(agreement_report(load_corpus(store, names), names))
        finally:
            store.close()
        assert _warnings(json.loads(json.dumps(fresh)), location) == report

        # every export format: the same files, the same records left out and named
        for fmt in EXPORTERS:
            a, b = tmp_path / f"{n}" / fmt / "a", tmp_path / f"{n}" / fmt / "b"
            said = _export(capsys, str(folder.root), a, fmt)
            said_there = _export(capsys, url, b, fmt)
            assert said.count("\n  ") == said_there.count("\n  ")
            assert _files(a, location) == _files(b, location), fmt

        # pull: what validate named is left out of the snapshot, the rest copied as it is
        snapshot = tmp_path / f"{n}" / "snapshot"
        code, out, err = run(capsys, "pull", url, str(snapshot))
        assert code == 0, err
        left = [x.removeprefix("annotator: warning: ").removesuffix(": left out of the snapshot")
                for x in err.splitlines()]  # fmt: skip
        assert sorted(_named(x, location) for x in left) == here
        copied = snapshot / "annotations" / "ani.jsonl"
        pulled = (
            [json.loads(x) for x in copied.read_bytes().splitlines()] if copied.exists() else []
        )
        kept = [json.loads(x) for x in lines if json.loads(x)["id"] not in bad]
        assert sorted((r["id"], r["spans"], r["meta"]) for r in pulled) == sorted(
            (r["id"], r["spans"], r["meta"]) for r in kept
        )
        assert run(capsys, "validate", str(snapshot))[0] == 0

    same()
