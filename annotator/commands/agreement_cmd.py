"""``annotator agreement PROJECT [--annotators A,B,...] [--json] [--html FILE]``.

A readable table on a terminal, the docs/design.md section 7 JSON with ``--json`` (one line, so it
streams; pipe it to ``jq`` to read it), and the self-contained HTML report with ``--html``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.agreement.gold import GoldScores, against_gold, gold_json
from annotator.core.agreement.html import render_html
from annotator.core.agreement.intervals import NO_VALUE, PAIR_FIGURES, Interval
from annotator.core.agreement.loading import choose_annotators, load_corpus
from annotator.core.agreement.report import AgreementReport, agreement_report, report_json
from annotator.core.agreement.spans import LABEL_SCHEMES, SCHEMES, mean
from annotator.core.errors import AnnotatorError
from annotator.core.jsonl import atomic_write
from annotator.core.model import GOLD
from annotator.core.open import opened
from annotator.core.printable import counted, one_line
from annotator.core.storage import ProjectStore

if TYPE_CHECKING:
    from annotator.core.pg.parts_server import Written

SHOWN_WARNINGS = 10
SHOWN_DOCUMENTS = 5


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``agreement``."""
    parser.add_argument("project", help="project folder or postgresql:// URL")
    parser.add_argument(
        "--annotators",
        metavar="A,B,...",
        help="compare only these annotators (default: every annotator but gold)",
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--html", metavar="FILE", type=Path, help="write the HTML report")


def _progress() -> Callable[[int, int], None] | None:
    """A byte progress bar on a terminal (reading the files is the long part), else nothing."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    bars: list[Any] = []

    def update(done: int, total: int) -> None:
        if not bars:  # made on the first call, when the total is known
            bars.append(tqdm(total=total, unit="B", unit_scale=True, desc="reading", leave=False))
        bar = bars[0]
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return update


def run(args: argparse.Namespace) -> int:
    """Compute and print (or write) the agreement report."""
    with opened(args.project) as project:
        return _report(args, project)


def _report(args: argparse.Namespace, project: ProjectStore) -> int:
    wanted = None
    if args.annotators is not None:
        wanted = [n.strip() for n in args.annotators.split(",") if n.strip()]
    raters = choose_annotators(project, wanted)
    if len(raters) < 2:
        have = ", ".join(raters) or "none"
        raise AnnotatorError(
            f"agreement needs at least two annotators; {len(raters)} to compare ({have})"
        )
    gold: list[GoldScores] = []
    try:
        report = kept_report(project, raters)
    except RecursionError:  # a row's spans the kept parts cannot decode: the report over
        report = None  # every annotation leaves that row out and names it (decision 0117)
    if report is None:
        corpus = load_corpus(project, raters, include_gold=True, progress=_progress())
        report = agreement_report(corpus, raters)
        gold = against_gold(corpus, raters)
    if args.html is not None:
        page = render_html(report, gold, title=f"Agreement: {project.config.name}")
        try:
            atomic_write(args.html, [page.encode("utf-8")])
        except OSError as exc:
            raise AnnotatorError(f"cannot write {args.html}: {exc.strerror or exc}") from None
        print(f"wrote {args.html}", file=sys.stderr if args.json else sys.stdout)
    if args.json:
        data = report_json(report)
        if gold:
            data["against_gold"] = gold_json(gold)
        print(json.dumps(data, ensure_ascii=False, allow_nan=False))
        return 0
    print_table(report, gold, project.config.name)
    return 0


def kept_report(
    project: ProjectStore, raters: list[str], share: bool = False, written: Written | None = None
) -> AgreementReport | None:
    """A lead's report on a server project from the parts the server keeps, computed again
    only where annotations changed (decision 0089); None where that does not apply (a
    folder, no lead, gold to score, edits of theirs not yet sent from here). ``share``: the
    state it was made of is kept on the server for every lead (a push or an import keeping
    it after its bulk write, decision 0106); ``written``: the parts that write has just kept,
    taken from memory rather than read back."""
    server = sys.modules.get("annotator.core.pg.store")  # loaded only if a URL was opened
    if server is None or not isinstance(project, server.PgProject):
        return None
    if GOLD in project.annotators(include_gold=True):
        return None
    from annotator.core.pg.parts import fast_report

    return fast_report(project, raters, share=share, written=written)


def _f(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _ci(interval: Interval | None) -> str:
    """`` [low, high]`` beside a figure, `` [n/a]`` when there is none (the notes say why)."""
    if interval is None:
        return ""
    bounds = interval.bounds
    return " [n/a]" if bounds is None else f" [{bounds[0]:.3f}, {bounds[1]:.3f}]"


def _range(interval: Interval | None) -> str:
    bounds = interval.bounds if interval is not None else None
    return "n/a" if bounds is None else f"{bounds[0]:.3f}-{bounds[1]:.3f}"


def _rows(head: list[str], rows: list[list[str]], indent: str = "  ") -> list[str]:
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    return [
        indent
        + "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in [head, *rows]
    ]


def table_lines(report: AgreementReport, gold: Sequence[GoldScores], name: str) -> list[str]:
    """The terminal report, line by line."""
    r = report
    out = [f"project {one_line(name)}: {len(r.annotators)} annotators ({', '.join(r.annotators)})"]
    out.append(
        f"documents: {r.documents_total:,} in all, {r.documents_compared:,} compared "
        f"(submitted by two or more), {r.single:,} submitted by only one, "
        f"{len(r.excluded):,} excluded"
    )
    out += [
        f"  excluded {one_line(e.id)}: {one_line(e.reason)}" for e in r.excluded[:SHOWN_WARNINGS]
    ]
    if len(r.excluded) > SHOWN_WARNINGS:
        out.append(f"  ... and {len(r.excluded) - SHOWN_WARNINGS:,} more (see --json)")
    out.append("")
    group = r.intervals
    means = "  ".join(f"{s} {_f(r.span_f1[s])}" for s in SCHEMES)
    out.append(f"span F1, mean over pairs: {means}")
    if group is not None:
        bounds = "  ".join(f"{s}{_ci(group.span_f1[s])}" for s in SCHEMES)
        out.append(f"  95% intervals:          {bounds}")
    lo, hi = r.span_f1_min["strict"], r.span_f1_max["strict"]
    if lo and hi and len(r.pairs) > 1:
        out.append(
            f"  strict F1 ranges from {lo.value:.3f} ({lo.a}-{lo.b}) to {hi.value:.3f} "
            f"({hi.a}-{hi.b}); each against the others: "
            + ", ".join(f"{n} {_f(v)}" for n, v in r.per_annotator.items())
        )
    out.append("")
    head = ["pair", "docs", "strict P", "R", "F1", "exact", "type", "partial", "tokens"]
    head += ["observed", "kappa", "kappa*"]
    rows = []
    notes: list[str] = []
    for p in r.pairs:
        strict = p.counts["strict"]
        rows.append(
            [
                f"{p.a} - {p.b}",
                f"{p.documents:,}",
                _f(strict.precision),
                _f(strict.recall),
                *(_f(p.f1(s)) for s in SCHEMES),
                f"{p.cohen.items:,}",
                _f(p.cohen.observed),
                _f(p.cohen.value),
                _f(p.cohen_annotated.value),
            ]
        )
        if p.reason:
            notes.append(f"{p.a} - {p.b}: span F1 n/a, {p.reason}")
        elif p.cohen.value is None and p.cohen.reason:
            notes.append(f"{p.a} - {p.b}: kappa n/a, {p.cohen.reason}")
    out += _rows(head, rows)
    out.append("  observed: raw token agreement; kappa*: on tokens either annotator labelled")
    out.append("")
    out.append(
        f"95% intervals (bootstrap over the documents each pair submitted, "
        f"{r.bootstrap.resamples:,} resamples):"
    )
    ci_head = ["pair", "docs", "strict F1", "exact", "type", "partial", "kappa"]
    out += _rows(
        ci_head,
        [
            [f"{p.a} - {p.b}", f"{p.documents:,}"]
            + [_range(p.ci.get(name)) for name in PAIR_FIGURES]
            for p in r.pairs
        ],
    )
    for p in r.pairs:
        reasons = {iv.reason for iv in p.ci.values() if iv.bounds is None and iv.reason}
        reasons.discard(NO_VALUE)
        notes += [f"{p.a} - {p.b}: no 95% interval, {why}" for why in sorted(reasons)]
    out.append("")
    out.append("per-label F1, mean over pairs:")
    out += _rows(
        ["label", "strict", "type"],
        [[label, _f(v["strict"]), _f(v["type"])] for label, v in r.per_label.items()],
    )
    macro = {s: mean(p.macro_label_f1[s] for p in r.pairs) for s in LABEL_SCHEMES}
    out.append(f"  macro over labels: strict {_f(macro['strict'])}  type {_f(macro['type'])}")
    worst = [d for d in r.queue()[:SHOWN_DOCUMENTS] if d.strict_f1 is not None and d.strict_f1 < 1]
    if worst:
        out += ["", "least agreement (strict F1, the adjudication queue; all in --json/--html):"]
        out += [
            f"  {one_line(d.id)}  {d.strict_f1:.3f}  {one_line(d.title[:60])}"
            for d in worst
            if d.strict_f1 is not None
        ]
    out.append("")
    fleiss_left_out = r.documents_compared - r.fleiss_documents
    out.append(
        f"Fleiss' kappa         {_f(r.fleiss.value)}{_ci(group.fleiss if group else None)}  on "
        f"{counted(r.fleiss_documents, 'document')} "
        f"submitted by all ({fleiss_left_out:,} left out), {counted(r.fleiss.items, 'token')}"
    )
    out.append(
        f"Krippendorff's alpha  {_f(r.alpha.value)}{_ci(group.alpha if group else None)}  on "
        f"{counted(r.alpha_documents, 'document')}, "
        f"{counted(r.alpha.units, 'token')} (missing annotators allowed)"
    )
    out.append(
        f"Light's kappa         {_f(r.light_kappa)}{_ci(group.light_kappa if group else None)}  "
        "(mean of the pairs' Cohen's kappa)"
    )
    if group is not None:
        named = {f"span F1 {s}": iv for s, iv in group.span_f1.items()}
        named |= {"Fleiss' kappa": group.fleiss, "alpha": group.alpha}
        notes += [
            f"{name}: no 95% interval, {iv.reason}"
            for name, iv in named.items()
            if iv.bounds is None and iv.reason and iv.reason != NO_VALUE
        ]
    notes += [f"{key}: n/a, {why}" for key, why in r.reasons.items()]
    if gold:
        out += ["", "against gold (gold is the reference):"]
        out += _rows(
            ["annotator", "docs", "precision", "recall", "strict F1", "type F1"],
            [
                [
                    g.annotator,
                    f"{g.documents:,}",
                    _f(g.counts["strict"].precision),
                    _f(g.counts["strict"].recall),
                    _f(g.f1("strict")),
                    _f(g.f1("type")),
                ]
                for g in gold
            ],
        )
    if notes:
        out += ["", "n/a means undefined (0/0), not zero:"] + [f"  {n}" for n in notes]
    if r.warnings:
        out += ["", f"{len(r.warnings):,} data warnings:"]
        out += [f"  {one_line(w)}" for w in r.warnings[:SHOWN_WARNINGS]]
        if len(r.warnings) > SHOWN_WARNINGS:
            out.append(f"  ... and {len(r.warnings) - SHOWN_WARNINGS:,} more (see --json)")
    return out


def print_table(report: AgreementReport, gold: Sequence[GoldScores], name: str) -> None:
    """Print the terminal report."""
    print("\n".join(table_lines(report, gold, name)))
