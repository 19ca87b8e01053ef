"""Render the window's screenshots: what a new user sees when the demo project opens.

    python docs/make_screenshot.py                 # docs/screenshot.png (the README's)
    python docs/make_screenshot.py --all           # + docs/screenshots/{en,id}-{light,dark}.png
                                                   #   and {en,id}-{light,dark}-review.png
    python docs/make_screenshot.py OUT.png [--theme light|dark] [--language en|id]
        [--size 1280x800] [--annotator NAME] [--panes]

Offscreen, with a fresh copy of the demo project and settings of its own (nothing of the
user's is touched), at 1280x800 (the smallest laptop screen the window is made for). The
window opens as a new annotator does on first run: the first article, no spans yet, the
suggestions outlined once they are found. ``--panes`` also opens the agreement dashboard and
the gold pane, to check that every pane fits; ``--review`` shows a lead's adjudication page
(F7) instead, with every pane opened first. Needs fonts (Debian: fonts-dejavu-core) or the
glyphs come out as boxes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
TMP = Path(tempfile.mkdtemp(prefix="annotator-screenshot-"))
for _var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
    os.environ[_var] = str(TMP / _var.lower())

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.core.demo import demo_project  # noqa: E402
from annotator.ui.app import Launcher, application  # noqa: E402
from annotator.ui.review.adjudication_mode import AdjudicationMode  # noqa: E402
from annotator.ui.window.i18n import Translations  # noqa: E402
from annotator.ui.window.settings import Settings  # noqa: E402

SHOTS = ROOT / "docs" / "screenshots"


def settle(app: QApplication, until: object = None, seconds: float = 20.0) -> None:
    """Run the event loop until ``until()`` holds (or ``seconds`` pass), then a little more."""
    end = time.monotonic() + seconds
    while callable(until) and not until() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)
    for _ in range(20):
        app.processEvents()


def shoot(
    out: Path,
    theme: str,
    language: str,
    size: str,
    annotator: str,
    panes: bool,
    review: bool = False,
) -> None:
    app = application()
    width, height = (int(v) for v in size.split("x"))
    work = Path(tempfile.mkdtemp(dir=TMP))
    project = demo_project(work / "demo")
    settings = Settings(QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat))
    settings.theme = theme
    settings.language = language
    translations = Translations.shared(app)
    translations.install(language)
    launcher = Launcher(settings, translations)
    window = launcher.open(project.root, annotator)
    assert window is not None
    window.resize(width, height)
    window.show()
    settle(app, lambda: window.suggestions.ready)
    if panes:
        for action_id in ("review.agreement", "review.gold"):
            action = window.registry.actions.get(action_id)
            if action is not None and not action.isChecked():
                action.trigger()
        settle(app, seconds=5.0)
    if review:  # the lead's adjudication page (F7), the first disagreement in focus
        window.registry["review.adjudicate"].trigger()
        mode = window.findChild(AdjudicationMode, "review_mode")
        settle(app, lambda: mode is not None and mode.doc_id is not None)
    image = window.grab()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(out)):
        raise SystemExit(f"could not write {out}")
    print(f"wrote {out} ({image.width()}x{image.height()}, {language}, {theme})")
    window.close()
    settle(app)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "docs" / "screenshot.png")
    parser.add_argument("--theme", default="light", choices=("light", "dark"))
    parser.add_argument("--language", default="en", choices=("en", "id"))
    parser.add_argument("--size", default="1280x800")
    parser.add_argument("--annotator", default="guest", help="who opens the demo")
    parser.add_argument("--panes", action="store_true", help="open every pane too")
    parser.add_argument("--review", action="store_true", help="the adjudication page (F7)")
    parser.add_argument("--all", action="store_true", help="both languages and themes too")
    args = parser.parse_args(argv)
    try:
        shoot(
            args.out,
            args.theme,
            args.language,
            args.size,
            args.annotator,
            args.panes,
            args.review,
        )
        if args.all:
            for language in ("en", "id"):
                for theme in ("light", "dark"):
                    out = SHOTS / f"{language}-{theme}.png"
                    shoot(out, theme, language, args.size, args.annotator, args.panes)
                    out = SHOTS / f"{language}-{theme}-review.png"
                    shoot(out, theme, language, args.size, "lead", True, review=True)
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
