"""The bootstrap's replicate sums kept from one report to the next and updated by difference
(decision 0098).

A replicate's sums are ``W @ X``: ``W[r, d]`` how often compared document d is drawn in
replicate r, ``X`` every compared document's contributions (``Contributions.layout``). The
draw ``W`` depends only on how many documents are compared, the settings and the annotators
compared (``intervals.replicate_weights``): while the compared documents stay the same, an edit
of some of them changes only their rows of ``X``, and the sums change by
``W[:, changed] @ (X_new - X_old)[changed]``.

That update is *exact*, not close: the contributions are counts of spans and tokens, and
credits and averages over two annotators that are halves; every product and sum of them is an
integer or a half far below 2^53, which float64 holds exactly whatever the order of the
additions. So the sums updated by difference are the very numbers a fresh draw gives, and so
are the intervals (``tests/core/test_replicate_sums.py`` holds them equal). Where a
contribution is not a multiple of a half (Krippendorff's alpha over four or more annotators
divides by three), the update is not used and the sums are drawn again.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy as np
import numpy.typing as npt

from annotator.core.agreement.intervals import (
    Bootstrap,
    FloatArray,
    IntArray,
    draw_blocks,
    one_blas_thread,
    replicate_weights,
)
from annotator.core.jsonl import atomic_write_with

# twice a contribution must stay exact through sums over every replicate's draw
_LIMIT = 2**31


def fresh_sums(
    layout: FloatArray, settings: Bootstrap, key: str, ahead: DrawAhead | None = None
) -> FloatArray:
    """``W @ layout`` over every replicate, drawn afresh (by ``ahead`` when it drew this
    draw: the same blocks of the same numbers, so the same products)."""
    drawn = ahead.blocks(len(layout), settings, key) if ahead is not None else None
    with one_blas_thread():
        if drawn is not None:
            blocks = [w.astype(np.float64) @ layout for w in drawn]
        else:
            blocks = [w @ layout for w in replicate_weights(len(layout), settings, key)]
    return np.concatenate(blocks) if blocks else np.zeros((0, layout.shape[1]))


class DrawAhead:
    """The draw ``replicate_weights(n, settings, key)`` made on a thread of its own, begun as
    soon as the number of compared documents is known (the draw depends on nothing else), so
    that it is ready when the contributions are: a first report from nothing computes the
    parts meanwhile. Kept a byte per count (100 MB at 100,000 documents); a count a byte
    cannot hold, or a failure, leaves nothing, and the sums are drawn as before."""

    def __init__(self, n: int, settings: Bootstrap, key: str) -> None:
        self.n, self.settings, self.key = n, settings, key
        self._drawn: list[npt.NDArray[np.uint8]] | None = None
        self._thread = threading.Thread(target=self._draw, name="replicates-draw", daemon=True)
        self._thread.start()

    def _draw(self) -> None:
        with contextlib.suppress(MemoryError):
            self._drawn = _byte_draw(self.n, self.settings, self.key)

    def blocks(self, n: int, settings: Bootstrap, key: str) -> list[npt.NDArray[np.uint8]] | None:
        """The blocks of the draw, once drawn; None when it is not this draw or none was
        kept."""
        self._thread.join()
        if (n, settings, key) != (self.n, self.settings, self.key):
            return None
        return self._drawn


def replicate_columns(n: int, settings: Bootstrap, key: str, cols: IntArray) -> FloatArray:
    """``W[:, cols]``: the columns of the draw of ``replicate_weights(n, settings, key)``,
    made from the same random numbers without making the whole of ``W``. Each block's draws
    are first tested against a mask of the wanted documents (a byte per draw), and only the
    few that hit are placed: a gather of a 64-bit position per draw cost twice the time."""
    position = np.full(n, -1, np.int32)
    position[cols] = np.arange(len(cols), dtype=np.int32)
    wanted = position >= 0
    out = np.zeros((settings.resamples, len(cols)))
    done = 0
    for draws in draw_blocks(n, settings, key):
        hits = np.flatnonzero(wanted[draws])
        np.add.at(out, (done + hits // n, position[draws.ravel()[hits]]), 1.0)
        done += len(draws)
    return out


def halves(layout: FloatArray) -> IntArray | None:
    """Twice ``layout`` as integers, or None when a value is not a multiple of a half (or too
    large for every sum of it to stay exact)."""
    doubled = layout * 2
    twice = doubled.astype(np.int64)  # truncated: equal to ``doubled`` only if whole
    if not np.array_equal(twice, doubled) or (
        twice.size and (twice.max() >= _LIMIT or twice.min() <= -_LIMIT)
    ):
        return None
    return twice


@dataclass
class Kept:
    """The replicate sums of a report and twice the layout they were summed from."""

    twice: IntArray  # 2 * layout, documents x columns
    sums: FloatArray  # replicates x columns


# the draws being made after a report (``WeightsFile.draw_later``), by the file they go to
_DRAWING: dict[Path, threading.Thread] = {}
_DRAWING_LOCK = threading.Lock()


def wait_drawn() -> None:
    """Return once every draw begun after a report is kept (or failed)."""
    with _DRAWING_LOCK:
        threads = list(_DRAWING.values())
    for thread in threads:
        thread.join()


class WeightsFile:
    """The draw ``W`` of one set of annotators kept in a file as it is drawn, a replicate's
    counts of every document side by side (one byte each: 100 MB at 100,000 documents), so
    the columns of the documents an edit changed are read, not drawn again
    (``replicate_columns`` makes every replicate's draw to find them). Made from the draw a
    report drew ahead when it drew one (``keep``), else the first time columns are asked for;
    made again when the number of compared documents or the settings differ."""

    def __init__(self, folder: Path, key: str, settings: Bootstrap) -> None:
        name = hashlib.sha256(repr((key, settings)).encode("utf-8")).hexdigest()[:16]
        # "draw-", replicates x documents; the "weights-" files before held the transpose
        self.path = folder / f"draw-{name}.npy"

    def _kept(self, n: int, settings: Bootstrap) -> npt.NDArray[np.uint8] | None:
        try:
            kept = np.load(self.path, mmap_mode="r", allow_pickle=False)
        except (OSError, ValueError):
            return None
        if kept.shape == (settings.resamples, n) and kept.dtype == np.uint8:
            return cast("npt.NDArray[np.uint8]", kept)
        return None

    def draw_later(self, n: int, settings: Bootstrap, key: str) -> None:
        """Make the draw of ``n`` documents after a report, on a thread of its own, when the
        file holds none: a desktop whose report came from the state another desktop made
        (or ``annotator keep``) has drawn nothing, and its next report after an edit would
        draw every replicate to read a few columns (1.6 s at 100,000 documents). Drawn once
        the report is given, it costs the report nothing; a report that asks for columns
        meanwhile waits for it rather than drawing again. The thread is not a daemon: a
        command that printed its report ends once the draw is kept (about a second at
        100,000 documents)."""
        with _DRAWING_LOCK:
            if self.path in _DRAWING or self._kept(n, settings) is not None:
                return

            def draw() -> None:
                try:
                    with contextlib.suppress(MemoryError):
                        blocks = _byte_draw(n, settings, key)
                        if blocks is not None:
                            self._write(blocks)
                finally:
                    with _DRAWING_LOCK:
                        _DRAWING.pop(self.path, None)

            thread = threading.Thread(target=draw, name="replicates-draw-later")
            _DRAWING[self.path] = thread
            thread.start()

    def columns(self, n: int, settings: Bootstrap, key: str, cols: IntArray) -> FloatArray:
        """``W[:, cols]``, the same numbers as ``replicate_columns``."""
        with _DRAWING_LOCK:
            drawing = _DRAWING.get(self.path)
        if drawing is not None:  # drawn after the last report: kept soon
            drawing.join()
        kept = self._kept(n, settings)
        if kept is not None:
            return np.asarray(kept[:, cols], np.float64)
        blocks = _byte_draw(n, settings, key)
        if blocks is None:  # a count a byte cannot hold
            return replicate_columns(n, settings, key, cols)
        whole = self._write(blocks)
        return whole[:, cols].astype(np.float64)

    def keep(self, ahead: DrawAhead | None, n: int, settings: Bootstrap, key: str) -> None:
        """Keep the draw ``ahead`` made, when it made this one: the next report that updates
        sums reads its columns instead of drawing every replicate again (decision 0121)."""
        blocks = ahead.blocks(n, settings, key) if ahead is not None else None
        if blocks is not None:
            self._write(blocks)

    def _write(self, blocks: list[npt.NDArray[np.uint8]]) -> npt.NDArray[np.uint8]:
        whole = np.concatenate(blocks) if blocks else np.zeros((0, 0), np.uint8)
        with contextlib.suppress(OSError):
            atomic_write_with(self.path, lambda out: np.save(out, whole), durable=False)
            for before in self.path.parent.glob("weights-*.npy"):  # the transposed layout
                before.unlink(missing_ok=True)
        return whole


def _byte_draw(n: int, settings: Bootstrap, key: str) -> list[npt.NDArray[np.uint8]] | None:
    """The blocks of ``replicate_weights(n, settings, key)`` as bytes, counted from the same
    random numbers without a float per cell (a replicate at a time: its counts stay in the
    processor's cache); None when a count exceeds a byte (never below 256 documents)."""
    blocks = []
    for draws in draw_blocks(n, settings, key):
        block = np.empty(draws.shape, np.uint8)
        for r in range(len(draws)):
            counts = np.bincount(draws[r], minlength=n)
            if n > 255 and counts.max() > 255:
                return None
            block[r] = counts
        blocks.append(block)
    return blocks


class KeptSums:
    """``intervals.ReplicateSums`` from the sums of the last report (``previous``), updated by
    the difference of the layouts when it is the same shape (the same compared documents, in
    the same order: the caller's to ensure) and exact; drawn afresh otherwise. ``kept`` is
    what to keep for the next report (None when the layout is not exact)."""

    def __init__(
        self,
        previous: Kept | None,
        weights: WeightsFile | None = None,
        ahead: DrawAhead | None = None,
    ) -> None:
        self.previous = previous
        self.weights = weights
        self.ahead = ahead
        self.kept: Kept | None = None
        self.changed = -1  # documents updated by difference; -1: drawn afresh

    def of(self, layout: FloatArray, key: str, settings: Bootstrap) -> FloatArray:
        old = self.previous
        if (
            old is not None
            and old.twice.shape == layout.shape
            and old.sums.shape == (settings.resamples, layout.shape[1])
        ):
            # the rows that differ from the kept ones; only they are checked for halves (the
            # others are the kept values, checked when they were kept)
            differ = np.flatnonzero((layout * 2 != old.twice).any(axis=1))
            fresh = halves(layout[differ])
            if fresh is not None:
                sums = old.sums.copy()
                if len(differ):
                    delta = (fresh - old.twice[differ]).astype(np.float64) / 2
                    n = len(layout)
                    columns = (
                        self.weights.columns(n, settings, key, differ)
                        if self.weights is not None
                        else replicate_columns(n, settings, key, differ)
                    )
                    with one_blas_thread():
                        sums += columns @ delta
                twice = old.twice.copy()
                twice[differ] = fresh
                self.changed = len(differ)
                self.kept = Kept(twice, sums)
                return sums
        exact = halves(layout)
        sums = fresh_sums(layout, settings, key, self.ahead)
        self.kept = Kept(exact, sums) if exact is not None else None
        return sums
