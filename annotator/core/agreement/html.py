"""The self-contained HTML agreement report: one file, inline SVG and CSS, no script, no network.

Sections: the headline numbers, the pair heatmaps (strict F1 and Cohen's kappa), per-label bars
(strict and type F1), the pairs table, the label-confusion table, the documents sorted by
disagreement, each annotator against gold (when there is gold), exclusions and data warnings.
Undefined values read "n/a" with the reason in a tooltip and a footnote, never 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from itertools import pairwise

from annotator.core.agreement.gold import GoldScores
from annotator.core.agreement.intervals import NO_VALUE, Interval
from annotator.core.agreement.report import AgreementReport, PairReport
from annotator.core.agreement.spans import SCHEMES, Scheme

MAX_DOCUMENTS = 1000  # rows of the disagreement list; the JSON has every document
MAX_WARNINGS = 200

CSS = """
:root { color-scheme: light dark; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de;
  --card: #f6f8fa; --bar: #4e79a7; --bar2: #a0cbe8; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #8d96a0; --line: #30363d;
  --card: #161b22; --bar: #6ea8e0; --bar2: #3b6d99; } }
body { font: 14px/1.45 system-ui, sans-serif; color: var(--fg); margin: 2rem auto;
  max-width: 72rem; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
.muted { color: var(--muted); } .cards { display: flex; flex-wrap: wrap; gap: .6rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 6px;
  padding: .5rem .8rem; min-width: 9rem; }
.card b { display: block; font-size: 1.35rem; }
.card span { color: var(--muted); font-size: .85rem; }
table { border-collapse: collapse; margin: .5rem 0; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid var(--line); padding: .25rem .6rem; text-align: right; }
th:first-child, td:first-child { text-align: left; white-space: nowrap; } th { font-weight: 600; }
td.na { color: var(--muted); } .bar { display: inline-block; height: .7rem;
  background: var(--bar); vertical-align: middle; } svg text { fill: var(--fg); }
.plots { display: flex; flex-wrap: wrap; gap: 2rem; align-items: flex-start; }
"""


def _num(
    value: float | None, reason: str = "", digits: int = 3, interval: Interval | None = None
) -> str:
    if value is None:
        tip = f' title="{escape(reason)}"' if reason else ""
        return f'<td class="na"{tip}>n/a</td>'
    if interval is None:
        return f"<td>{value:.{digits}f}</td>"
    bounds = interval.bounds
    if bounds is None:
        note = f'<small class="muted" title="{escape(interval.reason or "")}">no interval</small>'
    else:
        note = f'<small class="muted">{bounds[0]:.{digits}f}&ndash;{bounds[1]:.{digits}f}</small>'
    return f"<td>{value:.{digits}f}<br>{note}</td>"


def _card_interval(interval: Interval | None) -> str:
    """The 95% interval under a card's figure (or why there is none)."""
    if interval is None:
        return ""
    bounds = interval.bounds
    if bounds is None:
        if interval.reason == NO_VALUE:
            return ""
        return f'<span title="{escape(interval.reason or "")}">no 95% interval</span>'
    return f"<span>95% CI {bounds[0]:.3f}&ndash;{bounds[1]:.3f}</span>"


def _fmt(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _colour(value: float | None) -> str:
    """Red (0) through yellow (0.5) to green (1); grey for n/a. Kappas below 0 are red."""
    if value is None:
        return "#9aa0a6"
    v = min(max(value, 0.0), 1.0)
    stops = ((0.0, (215, 48, 39)), (0.5, (254, 224, 139)), (1.0, (26, 152, 80)))
    for (x0, c0), (x1, c1) in pairwise(stops):
        if v <= x1:
            t = (v - x0) / (x1 - x0)
            r, g, b = (round(a + (z - a) * t) for a, z in zip(c0, c1, strict=True))
            return f"#{r:02x}{g:02x}{b:02x}"
    return "#1a9850"


def heatmap(report: AgreementReport, what: str) -> str:
    """SVG matrix of the annotators: strict F1 (``what="f1"``) or Cohen's kappa per pair."""
    names = report.annotators
    cell, left, top = 56, 110, 100
    size_w, size_h = left + cell * len(names) + 10, top + cell * len(names) + 10
    title = "strict span F1" if what == "f1" else "Cohen's kappa (tokens)"
    out = [
        f'<svg width="{size_w}" height="{size_h}" '
        f'role="img" aria-label="{escape(title)} per pair">',
        f'<text x="0" y="16" font-weight="600">{escape(title)}</text>',
    ]
    for k, name in enumerate(names):
        x = left + k * cell + cell / 2
        out.append(
            f'<text x="{x}" y="{top - 8}" font-size="12" text-anchor="start" '
            f'transform="rotate(-45 {x} {top - 8})">{escape(name)}</text>'
        )
        out.append(
            f'<text x="{left - 8}" y="{top + k * cell + cell / 2 + 4}" font-size="12" '
            f'text-anchor="end">{escape(name)}</text>'
        )
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            x, y = left + j * cell, top + i * cell
            if i == j:
                out.append(
                    f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" '
                    'fill="none" stroke="#9aa0a6"/>'
                )
                continue
            pair = report.pair(a, b)
            assert pair is not None
            value = pair.f1() if what == "f1" else pair.cohen.value
            reason = (pair.reason if what == "f1" else pair.cohen.reason) or ""
            tip = f"{a} vs {b}: {_fmt(value)}" + (f" ({reason})" if value is None else "")
            ink = "#000" if value is None or 0.25 < value < 0.85 else "#fff"
            out.append(
                f'<g><title>{escape(tip)}</title><rect x="{x}" y="{y}" width="{cell - 2}" '
                f'height="{cell - 2}" fill="{_colour(value)}"/><text x="{x + cell / 2 - 1}" '
                f'y="{y + cell / 2 + 4}" font-size="12" text-anchor="middle" '
                f'style="fill:{ink}">{_fmt(value, 2)}</text></g>'
            )
    out.append("</svg>")
    return "".join(out)


_LABEL_BARS: tuple[tuple[Scheme, str], ...] = (("strict", "var(--bar)"), ("type", "var(--bar2)"))


def label_bars(report: AgreementReport) -> str:
    """SVG bars per label: strict F1 (dark) and type F1 (light), mean over pairs."""
    labels = report.labels
    row, left, width = 34, 90, 300
    height = 30 + row * len(labels) + 20
    out = [
        f'<svg width="{left + width + 70}" height="{height}" role="img" aria-label="F1 per label">',
        '<text x="0" y="16" font-weight="600">F1 per label (mean over pairs)</text>',
    ]
    for k, label in enumerate(labels):
        y = 30 + k * row
        out.append(f'<text x="0" y="{y + 15}" font-size="12">{escape(label)}</text>')
        for n, (scheme, colour) in enumerate(_LABEL_BARS):
            value = report.per_label[label][scheme]
            w = 0 if value is None else max(value, 0) * width
            tip = f"{label} {scheme} F1: {_fmt(value)}"
            out.append(
                f'<g><title>{escape(tip)}</title><rect x="{left}" y="{y + n * 12}" '
                f'width="{w:.1f}" height="11" style="fill:{colour}"/><text x="{left + w + 4:.1f}" '
                f'y="{y + n * 12 + 10}" font-size="10">{scheme} {_fmt(value, 2)}</text></g>'
            )
    out.append(
        f'<line x1="{left}" x2="{left}" y1="26" y2="{height - 14}" stroke="#9aa0a6"/>'
        f'<text x="{left + width}" y="{height - 2}" font-size="10" text-anchor="end">1.0</text>'
        "</svg>"
    )
    return "".join(out)


def _pairs_table(pairs: Sequence[PairReport]) -> str:
    head = (
        "<tr><th>pair</th><th>documents</th><th>strict P</th><th>strict R</th>"
        "<th>strict F1</th><th>exact F1</th><th>type F1</th><th>partial F1</th><th>tokens</th>"
        "<th>observed</th><th>Cohen's kappa</th><th>kappa, annotated tokens</th></tr>"
    )
    rows = []
    for p in pairs:
        why = p.reason or ""
        strict = p.counts["strict"]
        rows.append(
            f"<tr><td>{escape(p.a)} &ndash; {escape(p.b)}</td><td>{p.documents:,}</td>"
            + _num(strict.precision, why)
            + _num(strict.recall, why)
            + "".join(_num(p.f1(s), why, interval=p.ci.get(s)) for s in SCHEMES)
            + f"<td>{p.cohen.items:,}</td>"
            + _num(p.cohen.observed, p.cohen.reason or "")
            + _num(p.cohen.value, p.cohen.reason or "", interval=p.ci.get("cohen_kappa"))
            + _num(p.cohen_annotated.value, p.cohen_annotated.reason or "")
            + "</tr>"
        )
    return f"<table>{head}{''.join(rows)}</table>"


def _confusion_table(report: AgreementReport) -> str:
    names = ("O", *report.labels)
    used = [n for n in names if any(n in cell for cell in report.confusion)]
    if not used:
        return '<p class="muted">No two annotators marked the same characters.</p>'
    top = max(report.confusion.values())
    head = "<tr><th>first \\ second</th>" + "".join(f"<th>{escape(n)}</th>" for n in used) + "</tr>"
    rows = []
    for a in used:
        cells = []
        for b in used:
            n = report.confusion.get((a, b), 0)
            shade = 0.08 + 0.6 * n / top if n else 0
            hue = "26,152,80" if a == b else "215,48,39"
            style = f' style="background: rgba({hue},{shade:.2f})"' if n else ""
            cells.append(f"<td{style}>{n:,}</td>")
        rows.append(f"<tr><th>{escape(a)}</th>{''.join(cells)}</tr>")
    return f"<table>{head}{''.join(rows)}</table>"


def _documents_table(report: AgreementReport, limit: int) -> str:
    queue = report.queue()
    rows = []
    for d in queue[:limit]:
        value = d.strict_f1
        bar = "" if value is None else f'<span class="bar" style="width:{value * 5:.2f}rem"></span>'
        pairs = ", ".join(
            f"{escape(a)}&ndash;{escape(b)} {_fmt(v, 2)}" for (a, b), v in d.pairs.items()
        )
        rows.append(
            f"<tr><td>{escape(d.id)}</td><td style='text-align:left'>{escape(d.title[:90])}</td>"
            + _num(value, "no spans from anyone")
            + f"<td style='text-align:left'>{bar}</td>"
            + _num(d.type_f1, "no spans from anyone")
            + f"<td style='text-align:left'>{pairs}</td></tr>"
        )
    more = (
        f'<p class="muted">{len(queue) - limit:,} more documents are in the JSON report '
        "(<code>annotator agreement --json</code>).</p>"
        if len(queue) > limit
        else ""
    )
    return (
        "<table><tr><th>document</th><th style='text-align:left'>title</th><th>strict F1</th>"
        "<th></th><th>type F1</th><th style='text-align:left'>pairs</th></tr>"
        + "".join(rows)
        + "</table>"
        + more
    )


def _gold_table(scores: Sequence[GoldScores], labels: Sequence[str]) -> str:
    head = (
        "<tr><th>annotator</th><th>documents</th><th>precision</th><th>recall</th>"
        "<th>strict F1</th><th>type F1</th>"
        + "".join(f"<th>{escape(label)} F1</th>" for label in labels)
        + "</tr>"
    )
    rows = []
    for s in scores:
        strict = s.counts["strict"]
        why = "no documents submitted by both" if not s.documents else "no spans"
        rows.append(
            f"<tr><td>{escape(s.annotator)}</td><td>{s.documents:,}</td>"
            + _num(strict.precision, why)
            + _num(strict.recall, why)
            + _num(strict.f1, why)
            + _num(s.f1("type"), why)
            + "".join(_num(s.per_label[label]["strict"].f1, why) for label in labels)
            + "</tr>"
        )
    return f"<table>{head}{''.join(rows)}</table>"


def render_html(
    report: AgreementReport,
    gold: Sequence[GoldScores] = (),
    title: str = "Inter-annotator agreement",
    max_documents: int = MAX_DOCUMENTS,
) -> str:
    """The whole report as one HTML page."""
    r = report
    why = r.reasons
    g = r.intervals
    cards = [
        ("strict span F1", _fmt(r.span_f1["strict"]), "mean over pairs (headline)"),
        ("type span F1", _fmt(r.span_f1["type"]), "overlap, same label"),
        ("Fleiss' kappa", _fmt(r.fleiss.value), why.get("fleiss_kappa", "tokens, O included")),
        ("Krippendorff's alpha", _fmt(r.alpha.value), why.get("krippendorff_alpha", "nominal")),
        ("Light's kappa", _fmt(r.light_kappa), "mean of Cohen's kappa"),
        ("documents compared", f"{r.documents_compared:,}", f"of {r.documents_total:,}"),
    ]
    bounds: list[Interval | None] = (
        [g.span_f1["strict"], g.span_f1["type"], g.fleiss, g.alpha, g.light_kappa, None]
        if g is not None
        else [None] * len(cards)
    )
    lo, hi = r.span_f1_min["strict"], r.span_f1_max["strict"]
    spread = (
        f"Pairs range from {lo.value:.3f} ({escape(lo.a)}&ndash;{escape(lo.b)}) to {hi.value:.3f} "
        f"({escape(hi.a)}&ndash;{escape(hi.b)})."
        if lo and hi
        else ""
    )
    per_annotator = ", ".join(f"{escape(n)} {_fmt(v)}" for n, v in r.per_annotator.items())
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="muted">{len(r.annotators)} annotators: {escape(", ".join(r.annotators))}. '
        "Span F1 is micro over the documents both annotators submitted, then averaged over "
        "pairs; kappas and alpha count tokens (O included).</p>",
        '<div class="cards">'
        + "".join(
            f'<div class="card" title="{escape(tip)}"><span>{escape(name)}</span><b>{value}</b>'
            f"{_card_interval(interval)}<span>{escape(tip)}</span></div>"
            for (name, value, tip), interval in zip(cards, bounds, strict=True)
        )
        + "</div>",
        f'<p class="muted">Each figure has its 95% confidence interval: a percentile bootstrap '
        f"over the documents it is computed on, {r.bootstrap.resamples:,} resamples with a fixed "
        f"seed; none on fewer than {r.bootstrap.min_documents} documents.</p>",
        f"<p>{spread} Mean strict F1 of each annotator against the others: {per_annotator}.</p>",
        '<h2>Pairs</h2><div class="plots">' + heatmap(r, "f1") + heatmap(r, "kappa") + "</div>",
        _pairs_table(r.pairs),
        "<h2>Per label</h2>" + label_bars(r),
        "<h2>Label confusion</h2><p class='muted'>Spans with the same boundaries: rows are the "
        "label given by the first annotator of each pair (alphabetical), columns by the second. "
        "Off the diagonal: same characters, different label.</p>" + _confusion_table(r),
        "<h2>Documents by disagreement</h2><p class='muted'>Lowest strict F1 first (mean over "
        "the pairs that submitted the document): the adjudication queue.</p>"
        + _documents_table(r, max_documents),
    ]
    if gold:
        parts.append(
            "<h2>Against gold</h2><p class='muted'>Gold is the reference: precision is the share "
            "of the annotator's spans that gold has, recall the share of gold's spans the "
            "annotator found (strict).</p>" + _gold_table(gold, r.labels)
        )
    excluded = [f"<li>{escape(e.id)}: {escape(e.reason)}</li>" for e in r.excluded]
    parts.append(
        "<h2>Documents left out</h2>"
        f"<p>{r.single:,} submitted by only one annotator; "
        f"{r.documents_compared - r.fleiss_documents:,} compared but not submitted by everyone "
        "(left out of Fleiss' kappa, kept for alpha); "
        f"{len(r.excluded):,} excluded:</p><ul>{''.join(excluded)}</ul>"
    )
    if r.warnings:
        shown = "".join(f"<li><code>{escape(w)}</code></li>" for w in r.warnings[:MAX_WARNINGS])
        extra = len(r.warnings) - MAX_WARNINGS
        more = f"<li>… and {extra:,} more</li>" if extra > 0 else ""
        parts.append(f"<h2>Data warnings</h2><ul>{shown}{more}</ul>")
    if why:
        notes = "".join(f"<li>{escape(k)}: n/a, {escape(v)}</li>" for k, v in why.items())
        parts.append(f"<h2>Undefined values</h2><ul>{notes}</ul>")
    parts.append("</body></html>\n")
    return "\n".join(parts)
