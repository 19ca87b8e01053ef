"""``annotator train PROJECT [--epochs N] [--max-docs N]``: train the suggestion model.

Trains a spaCy NER model from scratch on the project's done annotations (``merged`` by
default: gold where present, else the annotators' majority), on the CPU, with a held-out
split, and makes it the project's model. With few documents it runs enough passes to learn
(``plan_epochs``); a model that finds nothing on the held-out documents is not saved, and the
message says how many more documents to mark done. Ctrl+C stops at the next batch and keeps
the previous model; a second Ctrl+C stops at once.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from types import FrameType
from typing import Any

from annotator.core.export.sources import MERGED, SOURCES_HELP
from annotator.core.open import WithFolder, opened, with_folder
from annotator.core.suggest.training import DEFAULT_HELD_OUT, MAX_EPOCHS, MIN_EPOCHS, train


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``train``."""
    parser.add_argument("project", help="project folder or postgresql:// URL")
    parser.add_argument(
        "--epochs",
        type=_positive,
        metavar="N",
        help=f"passes over the training documents at most (default: enough for small data, "
        f"{MIN_EPOCHS}-{MAX_EPOCHS}; stops earlier once held-out F1 stops improving)",
    )
    parser.add_argument(
        "--max-docs",
        type=_positive,
        metavar="N",
        help="use at most the first N documents with a done annotation",
    )
    parser.add_argument("--source", default=MERGED, help=f"{SOURCES_HELP} (default {MERGED})")
    parser.add_argument(
        "--held-out",
        type=_fraction,
        default=DEFAULT_HELD_OUT,
        metavar="F",
        help=f"share of documents held out to measure F1 (default {DEFAULT_HELD_OUT})",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--json", action="store_true", help="machine-readable summary")


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _fraction(value: str) -> float:
    number = float(value)
    if not 0 < number < 1:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return number


class _Bar:
    """A progress bar on a terminal; silence elsewhere (logs, pipes, tests)."""

    def __init__(self) -> None:
        self.bar: Any = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=1000, unit="", bar_format="{l_bar}{bar}| {elapsed}")

    def __call__(self, fraction: float, message: str) -> None:
        if self.bar is not None:
            self.bar.set_description_str(message, refresh=False)
            self.bar.update(max(0, round(fraction * 1000) - self.bar.n))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run(args: argparse.Namespace) -> int:
    """Train; print held-out figures; exit 130 when cancelled."""
    with opened(args.project) as store:
        return _train(args, with_folder(store))


def _train(args: argparse.Namespace, project: WithFolder) -> int:
    stop = threading.Event()
    previous: Any = None

    def on_sigint(_signum: int, _frame: FrameType | None) -> None:
        stop.set()
        print("\nannotator: stopping after this batch (Ctrl+C again to quit now)", file=sys.stderr)
        signal.signal(signal.SIGINT, previous)

    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGINT, on_sigint)
    bar = _Bar()
    try:
        result = train(
            project,
            bar,
            stop.is_set,
            epochs=args.epochs,
            max_docs=args.max_docs,
            source=args.source,
            held_out=args.held_out,
            seed=args.seed,
        )
    finally:
        bar.close()
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    if result.cancelled or result.info is None:
        print("annotator: training cancelled; the previous model is kept", file=sys.stderr)
        return 130
    info = result.info
    if args.json:
        meta = json.loads((info.path / "meta.json").read_text(encoding="utf-8"))
        meta.pop("held_out_ids", None)
        print(json.dumps(meta, ensure_ascii=False, indent=2))
        return 0
    print(
        f"trained on {info.documents} documents ({info.source}), best epoch {result.best_epoch}"
        f" of {len(result.history)}, {info.seconds:.0f} s"
    )
    print(
        f"held-out ({info.held_out} documents): F1 {_f(info.f1)}, "
        f"precision {_f(info.precision)}, recall {_f(info.recall)}"
    )
    width = max(len(label) for label in info.labels)
    print(f"  {'label'.ljust(width)}  precision  recall    F1  support")
    for label in info.labels:
        row = info.per_label.get(label, {})
        print(
            f"  {label.ljust(width)}  {_f(row.get('precision')):>9}  "
            f"{_f(row.get('recall')):>6}  {_f(row.get('f1')):>4}  {row.get('support', 0):>7}"
        )
    if result.skipped_spans:
        print(f"{result.skipped_spans} spans off token boundaries were left out of training")
    print(f"model saved in {info.path.relative_to(project.root)}")
    return 0


def _f(value: object) -> str:
    return f"{value:.2f}" if isinstance(value, int | float) else "n/a"
