"""The bootstrap's replicate sums kept from one report and updated by difference (decision
0098) are exactly the sums of a fresh draw: after any edits that leave the compared documents
the same, the report with updated sums is the report computed afresh, intervals included,
to the last bit of every float."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from test_agreement_memo import WORDS, corpus

from annotator.core.agreement import intervals as iv
from annotator.core.agreement.assemble import assemble, frame_of, pair_inputs
from annotator.core.agreement.corpus import DEFAULT_LABEL_NAMES, Corpus, Submission, prepare
from annotator.core.agreement.replicate_sums import (
    DrawAhead,
    Kept,
    KeptSums,
    WeightsFile,
    _byte_draw,
    fresh_sums,
    replicate_columns,
)
from annotator.core.agreement.report import AgreementReport, agreement_report, report_json

LABELS = DEFAULT_LABEL_NAMES[:3]


def _through(data: Corpus, names: list[str], sums: KeptSums) -> AgreementReport:
    prep = prepare(data, names)
    return assemble(frame_of(prep, data), pair_inputs(prep), kept_sums=sums)


def _edit(data: Corpus, seed: int, edits: int) -> Corpus:
    """``edits`` submitted annotations changed (a span dropped, relabelled or added), nobody's
    set of submitted documents changed: the compared documents stay the same."""
    rng = random.Random(seed)
    subs = {n: dict(s) for n, s in data.submissions.items()}
    for _ in range(edits):
        name = rng.choice(sorted(subs))
        if not subs[name]:
            continue
        doc = rng.choice(sorted(subs[name]))
        old = subs[name][doc]
        spans = list(old.spans)
        what = rng.randrange(3)
        if what == 0 and spans:
            spans.pop(rng.randrange(len(spans)))
        elif what == 1 and spans:
            i = rng.randrange(len(spans))
            spans[i] = (spans[i][0], spans[i][1], rng.choice(LABELS))
        else:
            word = rng.choice([w for w in WORDS if w in old.text] or [old.text.split()[0]])
            start = old.text.index(word)
            spans.append((start, start + len(word), rng.choice(LABELS)))
        subs[name][doc] = Submission(old.text, tuple(spans))
    return replace(data, submissions=subs)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(0, 10_000), st.integers(1, 12))
def test_sums_updated_by_difference_give_the_fresh_report(seed: int, how: int, edits: int) -> None:
    names = ["ani", "budi", "citra"]
    before = corpus(seed, documents=30)
    first = KeptSums(None)
    _through(before, names, first)
    assert first.changed == -1, "nothing kept: drawn afresh"
    assert first.kept is not None, "three annotators' contributions are halves: kept"
    after = _edit(before, how, edits)
    again = KeptSums(first.kept)
    updated = _through(after, names, again)
    assert again.changed >= 0, "the same compared documents: updated by difference"
    fresh = agreement_report(after, names)
    assert report_json(updated) == report_json(fresh)
    assert again.kept is not None
    layout_sums = fresh_sums(again.kept.twice / 2, iv.Bootstrap(), "\0".join(names))
    assert np.array_equal(again.kept.sums, layout_sums), "bit for bit the fresh draw's sums"


def test_nothing_changed_updates_nothing() -> None:
    names = ["ani", "budi", "citra"]
    data = corpus(7)
    first = KeptSums(None)
    report = _through(data, names, first)
    again = KeptSums(first.kept)
    assert report_json(_through(data, names, again)) == report_json(report)
    assert again.changed == 0


def test_other_compared_documents_draw_again() -> None:
    names = ["ani", "budi", "citra"]
    data = corpus(3)
    first = KeptSums(None)
    _through(data, names, first)
    fewer = replace(
        data,
        submissions={n: dict(sorted(s.items())[1:]) for n, s in data.submissions.items()},
    )
    again = KeptSums(first.kept)
    assert report_json(_through(fewer, names, again)) == report_json(agreement_report(fewer, names))
    assert again.changed == -1, "another number of compared documents: drawn afresh"


def test_thirds_are_not_updated_by_difference() -> None:
    """Four annotators: alpha's contributions divide by three, not exact in float64."""
    rng = random.Random(5)
    data = corpus(11)
    subs = dict(data.submissions)
    subs["dewi"] = {
        d: Submission(s.text, tuple(x for x in s.spans if rng.random() < 0.7))
        for d, s in subs["ani"].items()
    }
    four = replace(data, submissions=subs)
    names = sorted(subs)
    first = KeptSums(None)
    _through(four, names, first)
    assert first.kept is None
    edited = _edit(four, 1, 4)
    again = KeptSums(Kept(np.zeros((0, 0), np.int64), np.zeros((0, 0))))
    assert report_json(_through(edited, names, again)) == report_json(
        agreement_report(edited, names)
    )
    assert again.changed == -1


@given(st.integers(1, 3000), st.integers(1, 1200), st.integers(0, 2**31))
@settings(max_examples=30, deadline=None)
def test_columns_of_the_draw_are_its_columns(n: int, resamples: int, seed: int) -> None:
    boot = iv.Bootstrap(resamples=resamples, seed=seed)
    whole = np.concatenate(list(iv.replicate_weights(n, boot, "x")))
    cols = np.unique(np.random.default_rng(seed).integers(0, n, 1 + n // 7))
    assert np.array_equal(replicate_columns(n, boot, "x", cols), whole[:, cols])


def test_the_weights_kept_in_a_file_are_the_draws_columns(tmp_path: Path) -> None:
    boot = iv.Bootstrap(resamples=300)
    kept = WeightsFile(tmp_path, "a\0b", boot)
    for n in (50, 50, 77):  # made, read back, made again for another number of documents
        cols = np.array([0, 3, n - 1])
        whole = np.concatenate(list(iv.replicate_weights(n, boot, "a\0b")))
        assert np.array_equal(kept.columns(n, boot, "a\0b", cols), whole[:, cols])
        assert np.load(kept.path).shape == (300, n)  # as drawn: replicates x documents
    kept.path.write_bytes(b"damaged")
    assert np.array_equal(kept.columns(77, boot, "a\0b", cols), whole[:, cols])


def test_sums_updated_from_kept_weights_give_the_fresh_report(tmp_path: Path) -> None:
    names = ["ani", "budi", "citra"]
    before = corpus(21, documents=30)
    first = KeptSums(None)
    _through(before, names, first)
    weights = WeightsFile(tmp_path, "\0".join(names), iv.Bootstrap())
    after = _edit(before, 5, 6)
    for _ in range(2):  # the file made, then read
        again = KeptSums(first.kept, weights)
        assert report_json(_through(after, names, again)) == report_json(
            agreement_report(after, names)
        )
        assert again.changed > 0
    assert weights.path.exists()


@given(st.integers(12, 60), st.integers(0, 2**31), st.integers(0, 4))
@settings(max_examples=20, deadline=None)
def test_only_the_changed_rows_are_checked_and_a_third_draws_again(
    n: int, seed: int, changed: int
) -> None:
    """Rows that differ from the kept ones are checked for halves: a half updates the sums by
    difference (the fresh draw's very sums, the kept copy left as it was); a third anywhere
    among them draws afresh and keeps nothing."""
    boot = iv.Bootstrap(resamples=50)
    rng = np.random.default_rng(seed)
    before = rng.integers(0, 9, size=(n, 5)) / 2
    first = KeptSums(None)
    first.of(before, "k", boot)
    assert first.kept is not None
    kept_twice = first.kept.twice.copy()
    rows = rng.choice(n, size=changed, replace=False)
    after = before.copy()
    after[rows, 1] += 0.5
    again = KeptSums(first.kept)
    assert np.array_equal(again.of(after, "k", boot), fresh_sums(after, boot, "k"))
    assert again.changed == changed
    assert np.array_equal(first.kept.twice, kept_twice), "the kept copy is not changed"
    assert again.kept is not None
    assert np.array_equal(again.kept.twice, after * 2)
    third = after.copy()
    third[rows[:1] if changed else [0], 2] += 1 / 3
    last = KeptSums(again.kept)
    assert np.array_equal(last.of(third, "k", boot), fresh_sums(third, boot, "k"))
    assert (last.changed, last.kept) == (-1, None)


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 300),
    st.integers(1, 7),
    st.integers(1, 60),
    st.sampled_from([2.0, 3.0]),
    st.integers(0, 2**32 - 1),
)
def test_the_draw_made_ahead_gives_the_very_sums(
    n: int, columns: int, resamples: int, divide: float, seed: int
) -> None:
    """The draw made on a thread while the parts are computed (decision 0108) gives the sums a
    draw made afresh gives, bit for bit: halves, and thirds (no exact sum) alike."""
    boot = iv.Bootstrap(resamples=resamples, seed=seed % 1000)
    layout = np.random.default_rng(seed).integers(-50, 50, size=(n, columns)) / divide
    ahead = DrawAhead(n, boot, "a\0b")
    assert np.array_equal(fresh_sums(layout, boot, "a\0b", ahead), fresh_sums(layout, boot, "a\0b"))
    first = KeptSums(None, ahead=DrawAhead(n, boot, "a\0b"))
    assert np.array_equal(first.of(layout, "a\0b", boot), fresh_sums(layout, boot, "a\0b"))


def test_the_draw_made_ahead_in_many_blocks_and_another_draw() -> None:
    n = 40_000  # 100 replicates a block: three blocks
    boot = iv.Bootstrap(resamples=250)
    layout = np.random.default_rng(1).integers(0, 9, size=(n, 3)) / 2
    ahead = DrawAhead(n, boot, "x")
    assert np.array_equal(fresh_sums(layout, boot, "x", ahead), fresh_sums(layout, boot, "x"))
    # asked for another draw (other documents, another key), it draws that one afresh
    assert np.array_equal(fresh_sums(layout, boot, "y", ahead), fresh_sums(layout, boot, "y"))
    small = layout[:-1]
    assert np.array_equal(fresh_sums(small, boot, "x", ahead), fresh_sums(small, boot, "x"))


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 3000), st.integers(1, 400), st.integers(0, 2**31))
def test_the_draw_counted_in_bytes_is_the_draw(n: int, resamples: int, seed: int) -> None:
    """The byte blocks the draw ahead and the kept file are made of hold every count of
    ``replicate_weights``' blocks, block for block (decision 0121)."""
    boot = iv.Bootstrap(resamples=resamples, seed=seed)
    blocks = _byte_draw(n, boot, "a\0b")
    assert blocks is not None
    drawn = list(iv.replicate_weights(n, boot, "a\0b"))
    assert [b.shape for b in blocks] == [w.shape for w in drawn]
    assert all(np.array_equal(b, w) for b, w in zip(blocks, drawn, strict=True))


def test_the_draw_made_ahead_is_kept_for_the_next_columns(tmp_path: Path) -> None:
    boot = iv.Bootstrap(resamples=120)
    n, cols = 4_000, np.array([0, 17, 999, 3_999])
    kept = WeightsFile(tmp_path, "a\0b", boot)
    stale = tmp_path / "weights-0123456789abcdef.npy"  # the transposed layout of before
    stale.write_bytes(b"x" * 100)
    kept.keep(DrawAhead(n, boot, "a\0c"), n, boot, "a\0b")  # another draw: nothing kept
    kept.keep(DrawAhead(n + 1, boot, "a\0b"), n, boot, "a\0b")
    assert not kept.path.exists()
    kept.keep(DrawAhead(n, boot, "a\0b"), n, boot, "a\0b")
    assert np.load(kept.path).shape == (120, n)
    assert not stale.exists()
    made = kept.path.stat().st_mtime_ns
    assert np.array_equal(
        kept.columns(n, boot, "a\0b", cols), replicate_columns(n, boot, "a\0b", cols)
    )
    assert kept.path.stat().st_mtime_ns == made  # read, not drawn and written again
