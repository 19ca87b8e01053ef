"""Inter-annotator agreement (docs/agreement.md): span F1, token kappas, alpha, and accuracy
against gold, as pure functions the command line and the window share.

Typical use::

    corpus = load_corpus(project)             # each annotator's done annotations
    report = agreement_report(corpus)         # every statistic, as dataclasses, with 95%
                                              # intervals (pair.ci, report.intervals)
    data = report_json(report)                # the ``agreement --json`` document
    gold = against_gold(corpus)               # each annotator against gold
    page = render_html(report, gold)          # the self-contained HTML report

``match_spans`` marks which spans of two annotators agree in one document.
"""

from annotator.core.agreement.corpus import Corpus, Exclusion, Submission
from annotator.core.agreement.gold import GoldScores, against_gold, gold_json
from annotator.core.agreement.html import render_html
from annotator.core.agreement.intervals import Bootstrap, GroupIntervals, Interval
from annotator.core.agreement.loading import choose_annotators, load_corpus
from annotator.core.agreement.report import (
    AgreementReport,
    DocumentReport,
    PairReport,
    agreement_report,
    report_json,
)
from annotator.core.agreement.spans import SCHEMES, Counts, Matching, match_spans, score
from annotator.core.agreement.tokens import (
    Alpha,
    Kappa,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    token_labels,
)

__all__ = [
    "SCHEMES",
    "AgreementReport",
    "Alpha",
    "Bootstrap",
    "Corpus",
    "Counts",
    "DocumentReport",
    "Exclusion",
    "GoldScores",
    "GroupIntervals",
    "Interval",
    "Kappa",
    "Matching",
    "PairReport",
    "Submission",
    "against_gold",
    "agreement_report",
    "choose_annotators",
    "cohen_kappa",
    "fleiss_kappa",
    "gold_json",
    "krippendorff_alpha",
    "load_corpus",
    "match_spans",
    "render_html",
    "report_json",
    "score",
    "token_labels",
]
