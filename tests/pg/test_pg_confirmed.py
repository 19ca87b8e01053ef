"""The desktop's record of the last confirmed state of each document (decision 0122).

Whatever the order of confirmations, saves and torn appends, the file gives back the last
confirmed state of every document, and it stays within twice as many lines as documents.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.annotation_file import parse_annotation
from annotator.core.model import Annotation, make_span, sha256_text
from annotator.core.pg.outbox import Outgoing
from annotator.core.pg.restored import Confirmed

TEXTS = {
    "berita-1": "Gubernur Anies Baswedan di Jakarta 😀 pada Senin.",
    "berita-2": "Kartu Prakerja\r\ndibagikan di Surabaya.",
    "berita-3": "Cafe\u0301 milik Sri Mulyani di Bandung.",
}
WORDS = ["Jakarta", "Surabaya", "Bandung", "Anies", "Prakerja", "Sri", "Senin", "milik"]


def text_for(doc_id: str, sha: str) -> str | None:
    text = TEXTS.get(doc_id)
    return text if text is not None and sha256_text(text) == sha else None


def parse(path: str, lineno: int, record: dict[str, Any]) -> Annotation:
    return parse_annotation(path, lineno, record, None)


def state(doc_id: str, n: int) -> Annotation | None:
    """The n-th state of a document: untouched now and then, else a span and a time."""
    text = TEXTS[doc_id]
    words = [w for w in WORDS if w in text]
    if n % 5 == 4:
        return None
    word = words[n % len(words)]
    start = text.index(word)
    span = make_span(text, start, start + len(word), "CITY")
    return Annotation(
        id=doc_id, text=text, spans=(span,), status="in_progress", annotator="ani", seconds=n
    )


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(sorted(TEXTS)), st.booleans(), st.booleans()),
        min_size=1,
        max_size=150,
    )
)
def test_the_last_confirmed_state_of_each_document_comes_back(
    tmp_path_factory: Any, steps: list[tuple[str, bool, bool]]
) -> None:
    folder: Path = tmp_path_factory.mktemp("desk")
    model: dict[str, Annotation | None] = {}
    confirmed = Confirmed(folder, "ani")
    for seq, (doc_id, save, torn) in enumerate(steps, 1):
        after = state(doc_id, seq)
        confirmed.note(Outgoing(seq, doc_id, seq - 1, None, after))
        model[doc_id] = after
        if save:
            confirmed.keep()
            if torn:  # a crash cut an append short; a new desktop process goes on from here
                with open(confirmed.path, "ab") as f:
                    f.write(b'{"seq": 99999, "id": "berita-1", "untou')
                confirmed = Confirmed(folder, "ani")
    confirmed.keep()
    latest: dict[str, Annotation | None] = {}
    for edit in Confirmed(folder, "ani").after(0, text_for, parse):
        latest[edit.doc_id] = edit.state
    assert latest == model
    assert confirmed.path.read_bytes().count(b"\n") <= 2 * len(model) + 64  # written anew past


def test_the_file_is_written_anew_once_it_holds_twice_its_documents(tmp_path: Path) -> None:
    confirmed = Confirmed(tmp_path, "ani")
    sizes = []
    for seq in range(1, 301):
        doc_id = sorted(TEXTS)[seq % 3]
        confirmed.note(Outgoing(seq, doc_id, 0, None, state(doc_id, seq)))
        confirmed.keep()
        sizes.append(confirmed.path.read_bytes().count(b"\n"))
    assert max(sizes) == 2 * 3 + 64
    assert sizes[-1] < 2 * 3 + 64
    assert sizes.count(3) >= 4  # written anew, one line per document, again and again
