"""Benchmark: a document marked done on one desktop, to the lead's window showing it.

    python bench/bench_pg_window.py [--documents 200] [--rounds 20]

Uses the server ANNOTATOR_TEST_PG names, else starts a throwaway cluster with
scripts/test-postgres.sh (fsync on) and stops it at the end. A lead's real window (offscreen)
is opened on the project's URL with Review > Progress showing; an annotator's desktop (its own
store, outbox and connections, in this process) marks one document done at a time. For each:
- shown: from ``set_status`` returning (saved on the annotator's desktop) to the lead's
  Progress pane holding the new count (the notice, the window's gathering of a burst, the
  recount in a worker reading through its own connection);
- reference, the same round: from ``set_status`` to the lead's listener thread being called
  about the document (the notice alone, before the window does anything).
Target (issue 14): a done document on the lead's screen within 1 s.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pg_scratch import scratch_database  # noqa: E402
from PySide6.QtCore import QEventLoop, QSettings, QTimer  # noqa: E402

from annotator.core.model import Document, ProjectConfig  # noqa: E402
from annotator.core.pg import connection, projects, schema, users, with_password  # noqa: E402
from annotator.core.pg.listen import Notice  # noqa: E402
from annotator.core.pg.store import open_pg_project  # noqa: E402
from annotator.ui.app import Launcher, application  # noqa: E402
from annotator.ui.window.i18n import Translations  # noqa: E402
from annotator.ui.window.settings import Settings  # noqa: E402

TEXT = "Wali Kota Bandung Yana Mulyana hadir di Jakarta pada Selasa (30/08/2022). " * 20


def wait(condition: Callable[[], bool], signal: Any, seconds: float = 30.0) -> bool:
    """Run the event loop until ``condition()`` holds, looking again at each ``signal``."""
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    end = time.monotonic() + seconds
    while not condition() and time.monotonic() < end:
        loop.exec()
    signal.disconnect(loop.quit)
    return bool(condition())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    passwords = {"ani": secrets.token_urlsafe(12), "lea": secrets.token_urlsafe(12)}
    with scratch_database("window", roles=("ani", "lea")) as db:
        db_admin, work = db.db_admin, db.work
        os.environ["ANNOTATOR_DATA"] = str(work / "data")
        with connection.connect(db_admin, autocommit=True) as conn:
            schema.migrate(conn)
            projects.create_project(conn, ProjectConfig(name="bench"))
            users.add_user(conn, "ani", "annotator", passwords["ani"])
            users.add_user(conn, "lea", "lead", passwords["lea"])
        admin = open_pg_project(db_admin, cache_dir=work / "admin")
        admin.documents.append(
            [Document(id=f"d{i:05d}", text=f"{i}. {TEXT}") for i in range(args.documents)]
        )
        admin.close()
        base = db.login_url("{}")
        app = application()
        settings = Settings(QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat))
        launcher = Launcher(settings, Translations.shared(app))
        lead = launcher.open(with_password(base.format("lea"), passwords["lea"]), None)
        assert lead is not None
        lead.show()
        lead.registry["review.progress"].trigger()
        view: Any = next(c for c in lead.children() if c.objectName() == "team_view")
        data = view.data
        assert wait(lambda: data.numbers is not None and not data.busy, data.updated)
        listener = lead.server_view.changes.listener
        assert listener is not None
        assert listener.listening.wait(30)
        heard: list[float] = []
        original = listener.callback

        def ears(notice: Notice) -> None:
            if notice.kind == "annotations":
                heard.append(time.perf_counter())
            original(notice)

        listener.callback = ears
        desk = open_pg_project(
            with_password(base.format("ani"), passwords["ani"]), cache_dir=work / "ani"
        )
        session = desk.session("ani")

        def done_count() -> int:
            numbers = data.numbers
            rows = [] if numbers is None else numbers.progress.annotators
            return next((r.done for r in rows if r.name == "ani"), 0)

        shown, notice = [], []
        for i in range(args.rounds):
            before = len(heard)
            t0 = time.perf_counter()
            session.set_status(f"d{i:05d}", "done", 10.0)
            assert wait(lambda n=i + 1: done_count() >= n, data.updated), "never shown"
            shown.append(time.perf_counter() - t0)
            notice.append(heard[before] - t0 if len(heard) > before else float("nan"))
        session.close()
        desk.close()
        lead.close()

        def fig(values: list[float]) -> str:
            ms = sorted(v * 1000 for v in values)
            p90 = ms[int(0.9 * (len(ms) - 1))]
            return (
                f"median {statistics.median(ms):7.1f} ms   p90 {p90:7.1f} ms   max {ms[-1]:7.1f} ms"
            )

        print(f"{args.documents} documents, {args.rounds} rounds, load {os.getloadavg()[0]:.1f}")
        print(f"reference: notice heard by the lead's listener   {fig(notice)}")
        print(f"done document shown in the lead's Progress pane  {fig(shown)}")
        ratio = statistics.median(shown) / statistics.median(notice)
        verdict = "met" if max(shown) < 1.0 else "NOT met"
        print(f"shown / heard (median): {ratio:.1f}x; target < 1 s: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
