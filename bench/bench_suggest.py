"""Benchmark of suggestions: rules on held-out text, the model's learning curve, rule speed.

    python bench/bench_suggest.py [--sizes 5,10,20,50] [--generated 0] [--seed 0]
                                  [--skip-model]

Prints:

1. the rule suggester on ``tests/data/suggest_held_out.jsonl`` (articles never tuned on; see
   ``tests/data/README.md``) beside ``tests/data/suggest_tuning.jsonl`` (the articles the rules
   were developed against): per label, precision, recall and F1 counted strictly (same start,
   end and label) and by overlap (same label, one shared character at least, one to one), and
   the held-out articles written for it alone (``ho-``);
3. the model's learning curve on the held-out part: a blank spaCy model trained as ``annotator
   train`` trains it (``training.fit``, its epoch chosen on a fifth of the documents) on the
   first N tuning articles, then its F1 alone and in ``both`` mode (the rules, and the model in
   their gaps for the labels it has earned trust on), beside the rules alone. ``--generated
   M`` adds a row trained on the tuning articles and M generated ones (``make_corpus``);
2. the rules' CPU time per article of about 3 KB (generated) and per held-out article, beside
   the time to tokenize the same articles (the floor any rule pays).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import make_corpus  # noqa: E402

from annotator.core.suggest.engine import combine  # noqa: E402
from annotator.core.suggest.evaluate import Scores, Triple, score  # noqa: E402
from annotator.core.suggest.model import ModelInfo, TrainingDoc  # noqa: E402
from annotator.core.suggest.record import Suggestion  # noqa: E402
from annotator.core.suggest.rules import RuleSuggester  # noqa: E402
from annotator.core.suggest.training import fit, held_out_split  # noqa: E402
from annotator.core.tokens import tokenize  # noqa: E402

LABELS = ("PERSON", "AGENCY", "CITY", "DATE", "PROGRAM")
DATA = ROOT / "tests" / "data"
HELD_OUT = DATA / "suggest_held_out.jsonl"
TUNING = DATA / "suggest_tuning.jsonl"
Pairs = list[tuple[tuple[Triple, ...], list[Triple]]]


def pct(value: float | None) -> str:
    return "    n/a" if value is None else f"{100 * value:6.1f}%"


def print_scores(title: str, strict: Scores, overlap: Scores) -> None:
    print(title)
    print(
        f"  {'label':8} {'support':>7}   {'strict P':>8} {'R':>7} {'F1':>7}"
        f"   {'overlap P':>9} {'R':>7} {'F1':>7}"
    )
    rows = [(label, strict.label(label), overlap.label(label)) for label in LABELS]
    for label, s, o in rows:
        print(
            f"  {label:8} {s['support']:>7}   {pct(s['precision']):>8} {pct(s['recall'])} "
            f"{pct(s['f1'])}   {pct(o['precision']):>9} {pct(o['recall'])} {pct(o['f1'])}"
        )
    print(
        f"  {'all':8} {strict.reference:>7}   {pct(strict.precision):>8} {pct(strict.recall)} "
        f"{pct(strict.f1)}   {pct(overlap.precision):>9} {pct(overlap.recall)} "
        f"{pct(overlap.f1)}"
    )


def targets(overlap: Scores) -> None:
    """The targets of the rules on held-out text, each with the figure it is judged on."""
    person = overlap.label("PERSON")
    checks = [
        (
            "PERSON overlap recall >= 0.85 at precision >= 0.90",
            (person["recall"] or 0) >= 0.85 and (person["precision"] or 0) >= 0.9,
        )
    ]
    for label in LABELS:
        f1 = overlap.label(label)["f1"]
        checks.append((f"{label} overlap F1 >= 0.80 ({pct(f1).strip()})", (f1 or 0) >= 0.8))
    for text, ok in checks:
        print(f"  {'met ' if ok else 'MISSED'}  {text}")


def load(path: Path) -> list[TrainingDoc]:
    with open(path, encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    return [
        TrainingDoc(
            r["id"], r["text"], tuple((s["start"], s["end"], s["label"]) for s in r["spans"])
        )
        for r in records
    ]


def generated(count: int, seed: int, start: int = 0) -> list[TrainingDoc]:
    out = []
    for i in range(start, start + count):
        doc_id, text, spans = make_corpus.generate_article(i, seed)
        out.append(TrainingDoc(doc_id, text, tuple((s, e, label) for s, e, label in spans)))
    return out


def pairs(docs: Sequence[TrainingDoc], predict: Callable[[TrainingDoc], list[Triple]]) -> Pairs:
    return [(d.spans, predict(d)) for d in docs]


def triples(suggestions: Sequence[Suggestion]) -> list[Triple]:
    return [(s.start, s.end, s.label) for s in suggestions]


def cpu_ms(texts: Sequence[str], run: Callable[[str], object]) -> list[float]:
    out = []
    for text in texts:
        t0 = time.process_time()
        run(text)
        out.append((time.process_time() - t0) * 1000)
    return out


def describe(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return f"median {statistics.median(ordered):5.2f} ms   p95 {p95:5.2f} ms   (n={len(ordered)})"


def curve_row(
    name: str,
    docs: Sequence[TrainingDoc],
    held: Sequence[TrainingDoc],
    rule_out: dict[str, list[Suggestion]],
    rules_f1: tuple[float | None, float | None],
    seed: int,
) -> None:
    train_docs, dev = held_out_split(docs, 0.2, seed)
    t0 = time.process_time()
    fitted = fit(train_docs, dev, LABELS, seed=seed)
    seconds = time.process_time() - t0
    per_label = {label: fitted.scores.label(label) for label in LABELS}
    info = ModelInfo(Path(), None, None, None, per_label, "", 0, 0, 0, "", LABELS, 0.0)
    trusted = info.trusted_labels()
    model_out = {d.id: fitted.model.suggest(d.text) for d in held}
    alone = pairs(held, lambda d: triples(model_out[d.id]))
    both = pairs(held, lambda d: triples(combine(rule_out[d.id], model_out[d.id], trusted)))
    figures = []
    for got in (alone, both):
        figures += [score(got, "exact").f1, score(got, "overlap").f1]
    gain = None if figures[3] is None or rules_f1[1] is None else figures[3] - rules_f1[1]
    print(
        f"  {name:>16} {len(fitted.history):>3}/{fitted.best_epoch or 0:<3} {seconds:>7.0f} s  "
        + "  ".join(pct(f) for f in figures)
        + f"   {'n/a' if gain is None else f'{100 * gain:+5.1f}'}   "
        + (",".join(sorted(trusted)) or "none"),
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="5,10,20,50", help="done documents to train on")
    parser.add_argument("--generated", type=int, default=0, help="generated articles added")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-model", action="store_true", help="rules only")
    args = parser.parse_args()
    print(f"bench_suggest: {os.cpu_count()} CPUs, seed {args.seed}")

    t0 = time.process_time()
    rules = RuleSuggester(LABELS)
    rules.suggest("Kota Makassar")
    build = time.process_time() - t0
    held, tuning = load(HELD_OUT), load(TUNING)

    # 1. rule quality
    rule_out = {d.id: rules.suggest(d.text) for d in [*held, *tuning]}
    by_rules: dict[str, Pairs] = {}
    for name, docs in (("held-out", held), ("tuning", tuning)):
        got = pairs(docs, lambda d: triples(rule_out[d.id]))
        by_rules[name] = got
        where = HELD_OUT if name == "held-out" else TUNING
        entities = sum(len(d.spans) for d in docs)
        print_scores(
            f"\n1. rules on the {name} part, {where.relative_to(ROOT)} "
            f"({len(docs)} articles, {entities} entities)",
            score(got, "exact"),
            score(got, "overlap"),
        )
        if name == "held-out":
            targets(score(got, "overlap"))
    new = [d for d in held if d.id.startswith("ho-")]
    got = pairs(new, lambda d: triples(rule_out[d.id]))
    strict, overlap = score(got, "exact"), score(got, "overlap")
    print(
        f"\n   held-out articles written for it alone ({len(new)}): strict F1 {pct(strict.f1)}, "
        f"overlap P {pct(overlap.precision)} R {pct(overlap.recall)} F1 {pct(overlap.f1)}"
    )

    # 2. rule speed
    articles = [d.text for d in generated(200, args.seed, start=10_000)]
    size = statistics.mean(len(t.encode("utf-8")) for t in articles) / 1000
    rules_ms = cpu_ms(articles, rules.suggest)
    tokens_ms = cpu_ms(articles, tokenize)
    print(f"\n2. rule time per article (CPU time; rules built in {build * 1000:.0f} ms)")
    print(f"   generated, {size:.1f} KB : {describe(rules_ms)}   (target < 5 ms)")
    print(
        f"   tokenizing them alone : {describe(tokens_ms)}   rules / tokenizing = "
        f"{statistics.median(rules_ms) / statistics.median(tokens_ms):.1f}x"
    )
    print(
        f"   held-out articles     : {describe(cpu_ms([d.text for d in held] * 3, rules.suggest))}"
    )
    if args.skip_model:
        return 0

    # 3. learning curve
    strict_f1 = score(by_rules["held-out"], "exact").f1
    overlap_f1 = score(by_rules["held-out"], "overlap").f1
    print(
        f"\n3. model learning curve on the held-out part (blank spaCy + ner on the CPU, trained "
        f"on the first N tuning articles)\n   rules alone: strict F1 {pct(strict_f1)}, overlap "
        f"F1 {pct(overlap_f1)}; 'both' = rules + the model in their gaps for trusted labels"
    )
    print(
        f"  {'done documents':>16} {'epochs':>7} {'train':>9}  {'model strict':>12} "
        f"{'overlap':>8}  {'both strict':>11} {'overlap':>8}   {'gain':>5}   trusted labels"
    )
    sizes = [int(x) for x in args.sizes.split(",") if x]
    for n in sizes:
        curve_row(
            str(min(n, len(tuning))), tuning[:n], held, rule_out, (strict_f1, overlap_f1), args.seed
        )
    if args.generated:
        docs = [*tuning, *generated(args.generated, args.seed)]
        name = f"{len(tuning)}+{args.generated} gen"
        curve_row(name, docs, held, rule_out, (strict_f1, overlap_f1), args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
