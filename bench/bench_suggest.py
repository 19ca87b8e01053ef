"""Benchmark of suggestions: rule quality, the model's learning curve, speed per article.

    python bench/bench_suggest.py [--sizes 50,200,1000] [--test 200] [--dev 50]
                                  [--epochs 10] [--seed 0] [--skip-model]

Prints:

1. precision and recall of the rule suggester per label on the hand-checked evaluation sets
   ``tests/data/suggest_held_out.jsonl`` and ``suggest_tuning.jsonl``, counting a hit by
   exact match (same start, end, label) and by overlap (same label, at least one shared
   character, one to one);
2. the model's learning curve on the corpus generator (``bench/make_corpus.py``): a blank
   spaCy NER model trained on the first N generated articles (N in ``--sizes``), the best
   epoch chosen on a dev set of ``--dev`` other articles, and F1 measured on a fixed test set
   of ``--test`` further articles; with the training time on this machine. The rules are
   measured on the same test set for comparison;
3. suggestion time per article (about 3 KB each): rules (target < 50 ms, so they can run on
   document open) and the model, plus the time to build the rules and to load the model.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import make_corpus  # noqa: E402

from annotator.core.suggest.evaluate import Scores, Triple, score  # noqa: E402
from annotator.core.suggest.model import ModelSuggester, TrainingDoc, fit  # noqa: E402
from annotator.core.suggest.rules import RuleSuggester  # noqa: E402

LABELS = ("PERSON", "AGENCY", "CITY", "DATE", "PROGRAM")
HELD_OUT = ROOT / "tests" / "data" / "suggest_held_out.jsonl"
TUNING = ROOT / "tests" / "data" / "suggest_tuning.jsonl"


def pct(value: float | None) -> str:
    return "   n/a" if value is None else f"{100 * value:5.1f}%"


def print_scores(title: str, exact: Scores, overlap: Scores) -> None:
    print(title)
    print(f"  {'label':8} {'support':>7}   exact P  exact R  exact F1   overlap P  overlap R")
    for label in LABELS:
        e, o = exact.label(label), overlap.label(label)
        print(
            f"  {label:8} {e['support']:>7}   {pct(e['precision'])}   {pct(e['recall'])}   "
            f"{pct(e['f1'])}      {pct(o['precision'])}     {pct(o['recall'])}"
        )
    print(
        f"  {'all':8} {exact.reference:>7}   {pct(exact.precision)}   {pct(exact.recall)}   "
        f"{pct(exact.f1)}      {pct(overlap.precision)}     {pct(overlap.recall)}"
    )


def eval_set(path: Path) -> list[TrainingDoc]:
    docs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rec = json.loads(line)
                spans = tuple((s["start"], s["end"], s["label"]) for s in rec["spans"])
                docs.append(TrainingDoc(rec["id"], rec["text"], spans))
    return docs


def generated(start: int, count: int, seed: int) -> list[TrainingDoc]:
    out = []
    for i in range(start, start + count):
        doc_id, text, spans = make_corpus.generate_article(i, seed)
        out.append(TrainingDoc(doc_id, text, tuple(tuple(s) for s in spans)))  # type: ignore[misc]
    return out


def pairs(
    docs: Sequence[TrainingDoc], predict: Callable[[str], list[Triple]]
) -> list[tuple[tuple[Triple, ...], list[Triple]]]:
    return [(d.spans, predict(d.text)) for d in docs]


def timing(docs: Sequence[TrainingDoc], predict: Callable[[str], object]) -> list[float]:
    out = []
    for d in docs:
        t0 = time.perf_counter()
        predict(d.text)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def describe_ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return (
        f"median {statistics.median(ordered):6.1f} ms   p95 {p95:6.1f} ms   "
        f"max {ordered[-1]:6.1f} ms   (n={len(ordered)})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,200,1000", help="training set sizes")
    parser.add_argument("--test", type=int, default=200, help="articles in the fixed test set")
    parser.add_argument("--dev", type=int, default=50, help="articles to choose the epoch on")
    parser.add_argument("--epochs", type=int, default=10, help="epochs at most (patience 3)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-model", action="store_true", help="rules only")
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",") if x]
    print(f"bench_suggest: {os.cpu_count()} CPUs, seed {args.seed}")

    t0 = time.perf_counter()
    rules = RuleSuggester(LABELS)
    rules.suggest("Kota Makassar")
    build = time.perf_counter() - t0

    def by_rules(text: str) -> list[Triple]:
        return [(s.start, s.end, s.label) for s in rules.suggest(text)]

    # 1. rule quality on the hand-checked set
    for path in (HELD_OUT, TUNING):
        part = eval_set(path)
        got = pairs(part, by_rules)
        print_scores(
            f"\n1. rules on {path.relative_to(ROOT)} ({len(part)} articles, hand-checked)",
            score(got, "exact"),
            score(got, "overlap"),
        )
    hand = eval_set(HELD_OUT) + eval_set(TUNING)

    # the fixed test set and the dev set of generated articles (never trained on)
    top = max(sizes) if sizes else 0
    test = generated(top + args.dev, args.test, args.seed)
    dev = generated(top, args.dev, args.seed)
    got = pairs(test, by_rules)
    print_scores(
        f"\n   rules on the generated test set ({len(test)} articles)",
        score(got, "exact"),
        score(got, "overlap"),
    )

    # 3a. rule speed
    print("\n3. suggestion time per article")
    print(f"   rules: built in {build * 1000:.0f} ms (gazetteer tries, one date regex)")
    print(f"   rules, hand-checked set : {describe_ms(timing(hand * 5, rules.suggest))}")
    print(f"   rules, generated ~3 KB  : {describe_ms(timing(test, rules.suggest))}")
    if args.skip_model:
        return 0

    # 2. learning curve
    print(
        f"\n2. model learning curve (blank spaCy 'id' + ner, CPU, up to {args.epochs} epochs, "
        f"best on {len(dev)} dev articles, F1 on {len(test)} test articles)"
    )
    print(f"   {'train docs':>10}  {'epochs':>6}  {'train time':>10}  exact P  exact R  exact F1")
    last: ModelSuggester | None = None
    for n in sizes:
        train_docs = generated(0, n, args.seed)
        t0 = time.perf_counter()
        fitted = fit(train_docs, dev, LABELS, epochs=args.epochs, seed=args.seed)
        seconds = time.perf_counter() - t0
        result = score(pairs(test, fitted.model.spans), "exact")
        print(
            f"   {n:>10}  {fitted.best_epoch}/{len(fitted.history):<4}  {seconds:>8.1f} s  "
            f"{pct(result.precision)}  {pct(result.recall)}  {pct(result.f1)}",
            flush=True,
        )
        last = fitted.model

    # 3b. model speed (the largest model), and loading it from disk
    if last is not None:
        with tempfile.TemporaryDirectory() as tmp:
            last.nlp.to_disk(Path(tmp) / "spacy")
            t0 = time.perf_counter()
            loaded = ModelSuggester.load(Path(tmp))
            load = time.perf_counter() - t0
        print(f"\n   model: loaded from disk in {load * 1000:.0f} ms (spaCy already imported)")
        print(f"   model, generated ~3 KB  : {describe_ms(timing(test, loaded.suggest))}")
        print(f"   model, hand-checked set : {describe_ms(timing(hand, loaded.suggest))}")
        got = pairs(hand, loaded.spans)
        print_scores(
            f"\n   the {sizes[-1]}-article model on the hand-checked set (trained on generated "
            "text only)",
            score(got, "exact"),
            score(got, "overlap"),
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
