"""Files other tools write (``tests/data/peers/``): each imported, or refused in words.

The samples follow the layouts those tools export: doccano 1.0 (label ids, several users) and
later (``label`` lists, the relation layout, renamed fields), Prodigy ``ner.manual`` and binary
``ner.teach`` answers, Label Studio 0.x (``completions``) and 1.x, CoNLL-2003 and IndoNLU's
NERGrit (CoNLL in a ``.txt`` file, no ``-DOCSTART-``).
"""

from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.importers import detect_format
from annotator.core.project import Project

PEERS = Path(__file__).resolve().parent.parent / "data" / "peers"
T1 = "Gubernur Jawa Barat Ridwan Kamil meresmikan Jabar Command Center di Kota Bandung."
T2 = "KPK memeriksa Bupati Bogor Ade Yasin pada 28 April 2022."
T3 = "Hujan deras mengguyur Jakarta 🌧️ sejak pagi."
DOCCANO_IDS = ["--map", "1=PERSON", "--map", "2=CITY", "--map", "3=CITY", "--map", "4=AGENCY"]
CONLL = ["--map", "PER=PERSON", "--map", "LOC=CITY", "--map", "ORG=AGENCY"]
NERGRIT = ["--map", "PLACE=CITY", "--map", "ORGANISATION=AGENCY"]


def spans(root: Path, who: str = "ani") -> dict[str, tuple[str, list[tuple[str, str]]]]:
    """Each annotated document's text: its status and ``(covered text, label)`` spans."""
    project = Project.open(root)
    session = project.session(who, read_only=True)
    out = {}
    for doc_id in session.touched():
        ann = session.annotation(doc_id)
        assert ann is not None
        out[ann.text] = (ann.status, [(s.text, s.label) for s in ann.spans])
    return out


@pytest.fixture
def root(tmp_path: Path) -> Path:
    Project.init(tmp_path / "p")
    return tmp_path / "p"


def run(root: Path, name: str, *args: str) -> int:
    return main(["import", str(root), str(PEERS / name), "--annotator", "ani", *args])


def test_doccano_1_0_label_ids_one_user_at_a_time(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # without a user: the record with two users' spans is refused, naming both
    assert run(root, "doccano_1.0.jsonl", *DOCCANO_IDS) == 1
    err = capsys.readouterr().err
    assert "doccano_1.0.jsonl:2: the record holds the spans of 2 doccano users (1, 2); " in err
    assert spans(root)[T1] == (
        "done",
        [("Jawa Barat", "CITY"), ("Ridwan Kamil", "PERSON"), ("Bandung", "CITY")],
    )
    assert T2 not in spans(root)
    assert run(root, "doccano_1.0.jsonl", *DOCCANO_IDS, "--source-user", "2") == 0
    budi_view = spans(root)
    # user 2's spans of record 2 went to ani only where ani had nothing; record 1 unchanged
    assert budi_view[T2] == ("done", [("KPK", "AGENCY"), ("Bupati Bogor Ade Yasin", "PERSON")])
    assert budi_view[T3] == ("done", [("Jakarta", "CITY")])  # UTF-16 offsets after an emoji


def test_doccano_1_0_label_ids_need_a_map(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(root, "doccano_1.0.jsonl", "--source-user", "1") == 1
    err = capsys.readouterr().err
    assert "unknown label '2'" in err
    assert "map it with --map 2=LABEL" in err


def test_doccano_1_0_text_label_and_later_layouts(root: Path) -> None:
    assert run(root, "doccano_1.0_text_label.jsonl") == 0
    assert run(root, "doccano_new.jsonl") == 0
    session = Project.open(root).session("ani", read_only=True)
    got = {}
    for doc_id in ("1", "2", "11", "12"):
        ann = session.annotation(doc_id)
        assert ann is not None
        got[doc_id] = [(s.text, s.label) for s in ann.spans]
    assert got == {
        "1": [("Ridwan Kamil", "PERSON"), ("Bandung", "CITY")],
        "2": [("KPK", "AGENCY")],
        "11": [("Jawa Barat", "CITY"), ("Jabar Command Center", "PROGRAM")],
        "12": [("Jakarta", "CITY")],
    }


def test_doccano_relations_are_named_as_not_imported(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(root, "doccano_relations.jsonl") == 0
    out = capsys.readouterr()
    assert "doccano_relations.jsonl:1: note: 'relations' looks like annotations, which the " in (
        out.err
    )
    assert "note: 1 record with annotation-like fields this format does not read" in out.out
    assert spans(root)[T2] == ("done", [("KPK", "AGENCY"), ("Ade Yasin", "PERSON")])


def test_doccano_renamed_fields(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(root, "doccano_renamed.jsonl") == 1
    assert "doccano_renamed.jsonl:1: missing field 'text'" in capsys.readouterr().err
    args = ["--text-field", "kalimat", "--label-field", "entitas"]
    assert run(root, "doccano_renamed.jsonl", *args) == 0
    assert spans(root)[T2] == ("done", [("KPK", "AGENCY")])
    assert Project.open(root).documents.ids == ["31"]


def test_prodigy_ner_manual(root: Path) -> None:
    assert run(root, "prodigy_ner_manual.jsonl") == 0
    got = spans(root)
    assert got[T1] == ("done", [("Ridwan Kamil", "PERSON"), ("Bandung", "CITY")])
    # accepted without a "spans" key: done, with no entities (ner.manual leaves it out)
    assert got["Tidak ada entitas di kalimat ini."] == ("done", [])
    assert got[T2] == ("skipped", [])
    assert got[T3] == ("skipped", [])


@pytest.mark.parametrize(
    ("name", "line"), [("prodigy_ner_teach.jsonl", 1), ("prodigy_ner_teach_old.jsonl", 2)]
)
def test_prodigy_binary_answers_are_refused_in_one_line(
    root: Path, capsys: pytest.CaptureFixture[str], name: str, line: int
) -> None:
    assert run(root, name) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1
    assert err[0].startswith(f"{PEERS / name}:{line}: Prodigy binary answers (ner.teach")
    assert "not complete annotations; nothing of this file was imported" in err[0]
    assert Project.open(root).documents.ids == []


def test_label_studio_1_x(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(root, "labelstudio_1.x.json") == 0
    err = capsys.readouterr().err
    assert "note: 'predictions' looks like annotations" in err  # a model's, not imported
    got = spans(root)
    assert got[T1] == ("done", [("Ridwan Kamil", "PERSON"), ("Bandung", "CITY")])
    assert got[T2] == ("skipped", [])  # cancelled
    assert T3 not in got  # a task nobody annotated: the document only
    assert Project.open(root).documents.get("101").meta["judul"] == "Jabar Command Center"


def test_label_studio_before_1_0_completions(root: Path) -> None:
    assert run(root, "labelstudio_0.x.json") == 0
    got = spans(root)
    assert got[T1] == ("done", [("Ridwan Kamil", "PERSON")])
    assert got[T3] == ("done", [("Jakarta", "CITY")])  # UTF-16 offsets, told by value.text


def test_conll_2003_four_columns(root: Path) -> None:
    assert detect_format(PEERS / "conll2003.train") == "conll"
    assert run(root, "conll2003.train", *CONLL) == 0
    got = spans(root)
    first = "Menteri Kesehatan Budi Gunadi Sadikin berkunjung ke Surabaya .\nIa bertemu pejabat "
    text = first + "Dinas Kesehatan Jawa Timur ."
    assert got[text] == (
        "done",
        [("Budi Gunadi Sadikin", "PERSON"), ("Surabaya", "CITY"),
         ("Dinas Kesehatan Jawa Timur", "AGENCY")],
    )  # fmt: skip
    assert got["BMKG memperingatkan warga Bandung ."] == (
        "done",
        [("BMKG", "AGENCY"), ("Bandung", "CITY")],
    )


def test_nergrit_txt_is_conll_cut_into_sentences(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = PEERS / "nergrit_train_preprocess.txt"
    assert detect_format(path) == "conll"
    assert run(root, path.name, *NERGRIT) == 0
    out = capsys.readouterr()
    assert (
        f"{path}:1: note: no -DOCSTART- line: cut into 5 documents of 1 sentence each; "
        "--sentences-per-doc N groups N sentences, 0 keeps the file one document"
    ) in out.err
    assert f"{path}:29: note: repeats {path}:1 exactly" in out.err
    got = spans(root)
    assert len(got) == 4  # the repeated sentence is one document
    assert got["Bank Indonesia menaikkan suku bunga acuan sebesar 0,25 persen ."] == (
        "done",
        [("Bank Indonesia", "AGENCY")],
    )
    # "Rp 5.000" is one token holding a no-break space: its text is kept whole
    assert "Pasar Induk Kramat Jati naik Rp\u00a05.000 ." in " ".join(got)


def test_nergrit_grouped_by_sentences_per_doc(root: Path) -> None:
    assert run(root, "nergrit_train_preprocess.txt", *NERGRIT, "--sentences-per-doc", "2") == 0
    texts = [Project.open(root).documents.get(d).text for d in Project.open(root).documents.ids]
    assert [t.count("\n") for t in texts] == [1, 1, 0]
