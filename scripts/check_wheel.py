"""Check that the wheel ``python -m build`` makes is a working app on its own.

Builds the sdist, then the wheel from that sdist (``python -m build``, as a release would),
installs the wheel alone in a fresh virtual environment, and from an unrelated folder: compares
the installed package, ``resources/`` and ``seeds/`` with the checkout's file by file, runs
``annotator init``, ``import`` and ``preannotate`` on a new project, makes the demo project from
the seeds and runs ``validate``, ``stats`` and ``preannotate`` on it, then starts the real
window on the demo project offscreen, in Bahasa Indonesia, and lets it quit once its event loop
runs. Prints the installed environment's size. Exit 0 when all of it works, 1 with the reason.

    .venv/bin/python scripts/check_wheel.py [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ARTICLE = (
    "Gubernur 🙂 Jawa Barat tiba di Bandung\r\n"
    "Presiden Joko Widodo meresmikan Kartu Prakerja di Kota Bandung pada Selasa (30/08/2022). "
    "Kementerian Keuangan (Kemenkeu) menyiapkan anggarannya.\r\n"
)
# what the rules must suggest in it: gazetteers, titles and dates, all read from resources/
EXPECTED = {
    ("Bandung", "CITY"),
    ("Joko Widodo", "PERSON"),
    ("Kartu Prakerja", "PROGRAM"),
    ("Selasa (30/08/2022)", "DATE"),
    ("Kementerian Keuangan", "AGENCY"),
}

# The window, as `annotator --annotator ani` opens it on the demo project; it quits as soon as
# its event loop runs, then the interface language and a guideline are checked.
WINDOW = """
import sys
from PySide6.QtCore import QCoreApplication, QTimer
from annotator.ui.app import application, run_app
from annotator.ui.annotating.guidelines import general_markdown
from annotator.ui.window.i18n import Translations
from annotator.core.paths import resources_dir

app = application()
QTimer.singleShot(0, app.quit)
code = run_app(None, "ani")
assert code == 0, f"the window exited with {code}"
assert Translations.shared(app).language == "id", Translations.shared(app).language
asked = QCoreApplication.translate("app", "Who is annotating?")
assert asked != "Who is annotating?", "the Indonesian catalogue was not loaded"
shipped = (resources_dir() / "guidelines" / "id" / "GENERAL.md").read_text(encoding="utf-8")
assert general_markdown("id") == shipped, "the Indonesian guidelines were not found"
print("window: opened the demo project and quit;", repr(asked))
"""


class CheckFailed(Exception):
    """One step of the check did not do what it should."""


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> str:
    """Run ``cmd``; its stdout, or CheckFailed with what it printed."""
    shown = " ".join(c if len(c) < 60 else c.strip().splitlines()[0] + " ..." for c in cmd)
    print(f"$ {shown}", flush=True)
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0 or "Traceback" in done.stderr:
        raise CheckFailed(
            f"{shown}: exit {done.returncode}\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
        )
    return done.stdout


def files_of(folder: Path, skip: str = "") -> dict[str, bytes]:
    """Every file under ``folder`` by its relative path (bytecode and ``skip`` left out)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and p.relative_to(folder).parts[0] != skip
    }


def build(work: Path) -> Path:
    """sdist, then the wheel from it; the wheel's path."""
    dist = work / "dist"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run([sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)], work, env)
    wheels, sdists = sorted(dist.glob("*.whl")), sorted(dist.glob("*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        raise CheckFailed(f"expected one sdist and one wheel in {dist}, found {os.listdir(dist)}")
    return wheels[0]


def check(work: Path) -> None:
    """Every step; CheckFailed at the first that fails."""
    start = time.monotonic()
    wheel = build(work)
    venv = work / "venv"
    base = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    run([sys.executable, "-m", "venv", str(venv)], work, base)
    py, app = str(venv / "bin" / "python"), str(venv / "bin" / "annotator")
    run([py, "-m", "pip", "install", "-q", str(wheel)], work, base)

    elsewhere = work / "elsewhere"
    elsewhere.mkdir()
    env = {
        **base,
        "HOME": str(work / "home"),  # the window's settings file, not the user's
        "XDG_CONFIG_HOME": str(work / "config"),
        "XDG_DATA_HOME": str(work / "data"),  # where the demo project is made
        "QT_QPA_PLATFORM": "offscreen",
    }

    where = json.loads(
        run(
            [
                py,
                "-I",
                "-c",
                "import json, annotator; from annotator.core import paths; "
                "print(json.dumps([annotator.__file__, str(paths.resources_dir()), "
                "str(paths.seeds_dir())]))",
            ],
            elsewhere,
            env,
        )
    )
    if not where[0].startswith(str(venv)):
        raise CheckFailed(f"annotator was imported from {where[0]}, not from the installed wheel")
    package = Path(where[0]).parent
    folders = {
        "annotator": (files_of(ROOT / "annotator"), files_of(package, skip="_data")),
        **{
            name: (files_of(ROOT / name), files_of(Path(p)))
            for name, p in zip(("resources", "seeds"), where[1:], strict=True)
        },
    }
    for name, (ours, theirs) in folders.items():
        if ours != theirs:
            missing = sorted(set(ours) - set(theirs))
            differ = sorted(k for k in set(ours) & set(theirs) if ours[k] != theirs[k])
            raise CheckFailed(f"installed {name}/: missing {missing}, differing {differ}")
        print(f"{name}/: the {len(ours)} files of the checkout, installed")

    # a new project, in a folder of its own, the way a team starts one
    project = elsewhere / "proyek"
    (elsewhere / "berita.txt").write_text(ARTICLE, encoding="utf-8")
    run([app, "init", str(project)], elsewhere, env)
    run([app, "import", str(project), "berita.txt"], elsewhere, env)
    summary = json.loads(run([app, "preannotate", "proyek", "--json"], elsewhere, env))
    text = json.loads((project / "documents.jsonl").read_text(encoding="utf-8"))["text"]
    record = json.loads((project / "suggestions" / "default.jsonl").read_text(encoding="utf-8"))
    found = {(text[s["start"] : s["end"]], s["label"]) for s in record["spans"]}
    if not found >= EXPECTED:
        raise CheckFailed(f"preannotate missed {sorted(EXPECTED - found)}; found {sorted(found)}")
    print("preannotate on a new project:", summary)

    # the demo project, made from the packaged seeds
    demo = run(
        [
            py,
            "-I",
            "-c",
            "from annotator.core.demo import demo_project; print(demo_project().root)",
        ],
        elsewhere,
        env,
    ).strip()
    if not demo.startswith(str(work / "data")):
        raise CheckFailed(f"the demo project was made at {demo}, not in the user's data folder")
    run([app, "validate", demo], elsewhere, env)
    stats = json.loads(run([app, "stats", demo, "--json"], elsewhere, env))
    names = sorted(a["name"] for a in stats["annotators"])
    if stats["documents"] < 1 or names[:2] != ["ani", "budi"]:
        raise CheckFailed(f"the demo project lacks its seeds: {stats}")
    print("demo stats: documents", stats["documents"], "annotators", names)
    print(
        "preannotate on the demo:",
        json.loads(run([app, "preannotate", demo, "--json"], elsewhere, env)),
    )

    window_env = {**env, "LANG": "id_ID.UTF-8", "LC_ALL": "", "LANGUAGE": "id"}
    print(run([py, "-I", "-c", WINDOW], elsewhere, window_env).strip())

    size = subprocess.run(["du", "-sh", str(venv)], capture_output=True, text=True, check=False)
    print(f"the wheel with its run-time dependencies installed: {size.stdout.split()[0]}")
    print(f"wheel check passed in {time.monotonic() - start:.0f} s")


def main() -> int:
    """Run the check in a temporary folder; 0 when it passes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="annotator-wheel-"))
    try:
        check(work)
    except CheckFailed as exc:
        print(f"wheel check FAILED: {exc}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
