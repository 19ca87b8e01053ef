"""``annotator export`` end to end: files, meta.json, README.md, errors, and what is kept."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "core"))

from _helpers_export import TEXTS, annotate, annotate_samples, at, make_project, spans_of

from annotator import __version__
from annotator.cli import main
from annotator.core.project import Project


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
    )


@pytest.fixture
def project(tmp_path: Path) -> Project:
    project = make_project(tmp_path / "p")
    annotate_samples(project)
    return project


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_split_export_writes_files_meta_and_readme(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    args = ["export", str(project.root), "--format", "conll", "--out", str(out)]
    assert main([*args, "--split", "60,20,20", "--seed", "3"]) == 0
    printed = capsys.readouterr()
    assert printed.err == ""  # no progress bar when stderr is not a terminal
    assert sorted(p.name for p in out.iterdir()) == [
        "README.md", "dev.conll", "meta.json", "test.conll", "train.conll",
    ]  # fmt: skip
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["version"] == __version__
    assert meta["format"] == "conll"
    assert meta["source"] == "merged"
    assert meta["seed"] == 3
    assert meta["split"] == pytest.approx([0.6, 0.2, 0.2])
    assert meta["command"].startswith(f"annotator export {project.root} --format conll")
    assert "--split 60,20,20 --seed 3" in meta["command"]
    assert meta["origins"] == {"single": len(TEXTS)}
    ids = [d for split in ("train", "dev", "test") for d in meta["documents"][split]]
    assert sorted(ids) == sorted(TEXTS)
    assert sum(c["documents"] for c in meta["counts"].values()) == len(TEXTS)
    spans = {
        label: sum(c["spans"][label] for c in meta["counts"].values()) for label in meta["labels"]
    }
    assert sum(spans.values()) == sum(len(spans_of(d)) for d in TEXTS)
    for label in meta["labels"]:  # stratified: every label is in train
        assert meta["counts"]["train"]["spans"][label] > 0
    for f in meta["files"]:
        assert (out / f["name"]).stat().st_size == f["bytes"]
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert meta["command"] in readme
    assert "split: train 60%, dev 20%, test 20%, seed 3" in readme
    # the summary printed: counts per split, and the files
    assert "train" in printed.out
    assert "files: train.conll, dev.conll, test.conll, README.md, meta.json" in printed.out


def test_same_seed_same_files(project: Project, tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert main(["export", str(project.root), "--format", "hf", "--out", str(tmp_path / name),
                     "--split", "50,50", "--seed", "9"]) == 0  # fmt: skip
    a, b = snapshot(tmp_path / "a"), snapshot(tmp_path / "b")
    assert {k: v for k, v in a.items() if k not in ("meta.json", "README.md")} == {
        k: v for k, v in b.items() if k not in ("meta.json", "README.md")
    }


def test_default_out_is_exports_in_the_current_folder(project: Project, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    out = run_cli("export", str(project.root), "--format", "jsonl", cwd=work)
    assert out.returncode == 0, out.stderr
    assert (work / "exports" / "all.jsonl").exists()
    assert len((work / "exports" / "all.jsonl").read_text(encoding="utf-8").splitlines()) == len(
        TEXTS
    )


def test_refused_export_lists_the_spans_and_keeps_the_previous_export(
    project: Project, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert main(["export", str(project.root), "--format", "conll", "--out", str(out)]) == 0
    before = snapshot(out)
    text = TEXTS["plain"]
    annotate(project, "ani", {"plain": [at(text, "nam", "PERSON")]})  # inside "nama"
    refused = run_cli("export", str(project.root), "--format", "conll", "--out", str(out),
                      "--misaligned", "refuse")  # fmt: skip
    assert refused.returncode == 1
    lines = refused.stderr.splitlines()
    assert lines[0] == f"plain {text.index('nam')}-{text.index('nam') + 3} 'nam' (PERSON): " + (
        "refused, not on token boundaries"
    )
    assert lines[-1].startswith("annotator: export refused: 1 span not on token boundaries")
    assert "Traceback" not in refused.stderr
    assert snapshot(out) == before  # nothing written, no scratch folder left
    widened = run_cli("export", str(project.root), "--format", "conll", "--out", str(out))
    assert widened.returncode == 0
    assert "'nam' (PERSON): widened to" in widened.stdout
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["misaligned"]["spans"][0]["text"] == "nam"
    assert "nama B-PERSON" in (out / "all.conll").read_text(encoding="utf-8")


def test_a_new_export_replaces_the_previous_one_and_nothing_else(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    assert (
        main(["export", str(project.root), "--format", "hf", "--out", str(out), "--split", "50,50"])
        == 0
    )
    assert (out / "labels.json").exists()
    capsys.readouterr()
    assert main(["export", str(project.root), "--format", "spacy", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "README.md",
        "all.spacy",
        "meta.json",
        "notes.txt",
    ]
    assert (
        "replaced the previous export's train.jsonl, dev.jsonl, labels.json"
        in capsys.readouterr().out
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--source", "zed"], "no annotations by 'zed' in this project (have: ani)"),
        (["--source", "gold"], "no annotations by 'gold'"),
    ],
)
def test_bad_choices_are_one_line(project: Project, args: list[str], message: str) -> None:
    out = run_cli(
        "export", str(project.root), "--format", "conll", "--out", str(project.root / "x"), *args
    )
    assert out.returncode == 1
    assert out.stderr.count("\n") == 1
    assert message in out.stderr
    assert not (project.root / "x").exists() or not any((project.root / "x").iterdir())


@pytest.mark.parametrize(
    "args",
    [["--split", "abc"], ["--format", "xml"], ["--scheme", "bio"], ["--misaligned", "skip"], []],
)
def test_bad_usage_exits_2(
    project: Project, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    if "--format" not in args and args:
        args = [*args, "--format", "conll"]
    with pytest.raises(SystemExit) as exit_:
        main(["export", str(project.root), *args])
    assert exit_.value.code == 2
    assert "usage: annotator export" in capsys.readouterr().err


def test_nothing_done_is_an_error(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    annotate(project, "ani", {"plain": []}, status="in_progress")
    out = run_cli("export", str(project.root), "--format", "jsonl", "--out", str(tmp_path / "o"))
    assert out.returncode == 1
    assert (
        out.stderr
        == "annotator: nothing to export: no document has a done annotation from 'merged'\n"
    )


def without(modules: list[str], *argv: str) -> subprocess.CompletedProcess[str]:
    """Run the command line in a Python where ``modules`` cannot be imported."""
    code = (
        "import sys\n"
        + "".join(f"sys.modules[{m!r}] = None\n" for m in modules)
        + f"from annotator.cli import main\nraise SystemExit(main({list(argv)!r}))\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)


def test_spacy_missing_is_one_clear_line(project: Project, tmp_path: Path) -> None:
    args = ["export", str(project.root), "--out", str(tmp_path / "o")]
    out = without(["spacy"], *args, "--format", "spacy")
    assert out.returncode == 1
    assert out.stderr == "annotator: the spacy format needs spaCy: pip install 'annotator[spacy]'\n"
    assert not (tmp_path / "o").exists()
    # the other formats need neither spaCy nor numpy
    out = without(["spacy", "numpy"], *args, "--format", "conll")
    assert out.returncode == 0, out.stderr


@pytest.mark.parametrize("split", ["80,30", "8,1,1", "50,40"])
def test_a_split_that_does_not_add_up_is_bad_usage(
    project: Project, tmp_path: Path, split: str
) -> None:
    out = run_cli("export", str(project.root), "--format", "hf", "--split", split)
    assert out.returncode == 2
    assert "add up to" in out.stderr
    assert "percentages that add up to 100" in out.stderr


def test_meta_records_the_seed_given_and_one_document_is_singular(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path / "p", {"plain": TEXTS["emoji"]})
    annotate(project, "ani", {"plain": [at(TEXTS["emoji"], "Bandung", "CITY")]})
    out = tmp_path / "out"
    assert main(["export", str(project.root), "--format", "hf", "--seed", "0", "--out",
                 str(out)]) == 0  # fmt: skip
    printed = capsys.readouterr().out
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["seed"] == 0
    assert "--seed 0" in meta["command"]
    assert printed.splitlines()[0].startswith("exported 1 document of 'p' as hf")
    assert "source merged: 1 document: 1 from a single annotator\n" in printed
    assert "records: 1 record of at most 256 words: cut at sentence ends" in printed
