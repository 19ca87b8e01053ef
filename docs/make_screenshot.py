"""Render docs/screenshot.png: the window on the demo project, the sample article annotated.

    python docs/make_screenshot.py [OUT.png] [--theme light|dark] [--size 1400x900]

Offscreen, with a copy of the demo project and settings of its own (nothing of the user's is
touched). The demo annotator ani's 51 spans are shown, one span selected so that its guideline
is open. Needs fonts (Debian: fonts-dejavu-core) or the glyphs come out as boxes.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
TMP = Path(tempfile.mkdtemp(prefix="annotator-screenshot-"))
for _var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
    os.environ[_var] = str(TMP / _var.lower())

from PySide6.QtCore import QSettings  # noqa: E402

from annotator.core.demo import demo_project  # noqa: E402
from annotator.ui.app import Launcher, application  # noqa: E402
from annotator.ui.window.i18n import Translations  # noqa: E402
from annotator.ui.window.settings import Settings  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "docs" / "screenshot.png")
    parser.add_argument("--theme", default="light", choices=("light", "dark"))
    parser.add_argument("--size", default="1400x900")
    parser.add_argument("--select", default="Safrizal ZA", help="the span shown selected")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.split("x"))

    app = application()
    project = demo_project(TMP / "demo")
    settings = Settings(QSettings(str(TMP / "settings.ini"), QSettings.Format.IniFormat))
    settings.theme = args.theme
    launcher = Launcher(settings, Translations.shared(app))
    window = launcher.open(project.root, "ani")
    assert window is not None
    window.resize(width, height)
    window.show()
    for _ in range(10):
        app.processEvents()
    span = next((s for s in window.work.spans if s.text == args.select), None)
    if span is not None:
        window.text.select_span(span)
        window.text.centerCursor()
    for _ in range(10):
        app.processEvents()
    image = window.grab()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(args.out)):
        raise SystemExit(f"could not write {args.out}")
    print(f"wrote {args.out} ({image.width()}x{image.height()})")
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
