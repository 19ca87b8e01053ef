"""The model suggester: training on a small project, loading, predicting, cancelling."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from _helpers_suggest import tiny_article, tiny_project
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.errors import AnnotatorError
from annotator.core.project import Project
from annotator.core.suggest import Suggester, load_model, model_info, train
from annotator.core.suggest.model import (
    SPACY_MISSING,
    TrainingDoc,
    chunk_bounds,
    model_dir,
    words_and_spaces,
)
from annotator.core.suggest.training import MAX_EPOCHS, MIN_EPOCHS, held_out_split, plan_epochs
from annotator.core.tokens import TokenIndex


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """One small project with a model trained on it (shared: training takes a few seconds)."""
    project = tiny_project(tmp_path_factory.mktemp("model") / "p", n=30)
    progress: list[tuple[float, str]] = []
    result = train(project, lambda f, m: progress.append((f, m)), lambda: False, epochs=6)
    assert not result.cancelled
    assert result.info is not None
    fractions = [f for f, _ in progress]
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1.0
    assert any("held-out F1" in m for _, m in progress)
    return project


def test_training_writes_a_model_with_its_held_out_figures(trained: Project) -> None:
    info = model_info(trained)
    assert info is not None
    assert (model_dir(trained) / "spacy").is_dir()
    assert info.documents + info.held_out == 30
    assert info.held_out >= 1
    assert info.f1 is not None
    assert info.f1 >= 0.5
    assert set(info.per_label) == {"PERSON", "AGENCY", "CITY", "DATE", "PROGRAM"}
    assert info.trained_at.endswith("Z")
    assert "F1" in info.describe()


def test_the_model_loads_and_predicts_aligned_spans_on_unseen_text(trained: Project) -> None:
    model = load_model(trained)
    assert model is not None
    text, gold = tiny_article(57)  # not among the 30 training articles
    found = model.suggest(text)
    index = TokenIndex(text)
    assert found
    assert all(index.is_aligned(s.start, s.end) and s.source == "model" for s in found)
    assert {(s.start, s.end, s.label) for s in found} & set(gold)
    info = model_info(trained)
    assert info is not None
    city = next(s for s in found if s.label == "CITY")
    assert city.score == pytest.approx(info.label_precision("CITY"))
    # the window's path: mode "model" through the Suggester
    assert Suggester(trained, "model").live(text) == sorted(found, key=lambda s: s.start)


def test_cancelling_keeps_the_previous_model(trained: Project) -> None:
    before = (model_dir(trained) / "meta.json").read_bytes()
    calls = 0

    def stop_soon() -> bool:
        nonlocal calls
        calls += 1
        return calls > 3

    result = train(trained, None, stop_soon, epochs=3)
    assert result.cancelled
    assert result.info is None
    assert (model_dir(trained) / "meta.json").read_bytes() == before
    assert load_model(trained) is not None


def test_too_few_done_documents_is_one_line(tmp_path: Path) -> None:
    project = tiny_project(tmp_path / "p", n=3)
    with pytest.raises(AnnotatorError, match="at least 5 done documents"):
        train(project, epochs=1)


def test_without_spacy_the_error_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tiny_project(tmp_path / "p", n=6)
    monkeypatch.setitem(sys.modules, "spacy", None)  # "import spacy" now raises ImportError
    with pytest.raises(AnnotatorError) as info:
        train(project, epochs=1)
    assert str(info.value) == SPACY_MISSING
    assert "pip install" in SPACY_MISSING


def test_the_held_out_share_is_the_share_asked_for_and_does_not_depend_on_order() -> None:
    docs = [TrainingDoc(f"d{i}", "x", ()) for i in range(200)]
    assert len(held_out_split(docs[:14], 0.3)[1]) == 4  # not 1, as a coin per document gave
    assert len(held_out_split(docs[:5], 0.2)[1]) == 1
    assert len(held_out_split(docs, 0.2)[1]) == 40
    assert len(held_out_split(docs[:2], 0.9)[0]) == 1  # one document is always left to train
    assert len(held_out_split(docs[:1], 0.2)[1]) == 1
    train_a, held_a = held_out_split(docs[:50], 0.2)
    _, held_b = held_out_split(list(reversed(docs[:50])), 0.2)
    assert {d.id for d in held_a} == {d.id for d in held_b}
    assert not {d.id for d in train_a} & {d.id for d in held_a}
    # growing the project moves few documents across: most held-out ones stay held out
    _, held_big = held_out_split(docs, 0.2)
    stayed = {d.id for d in held_a} & {d.id for d in held_big}
    assert len(stayed) >= 7


def test_epochs_are_planned_for_enough_updates_within_bounds() -> None:
    assert plan_epochs(40) == MAX_EPOCHS  # 14 short articles: as many passes as allowed
    assert MIN_EPOCHS < plan_epochs(200) < MAX_EPOCHS
    assert plan_epochs(100_000) == MIN_EPOCHS
    assert [plan_epochs(n) for n in (50, 100, 400, 1600)] == sorted(
        (plan_epochs(n) for n in (50, 100, 400, 1600)), reverse=True
    )


def test_training_without_annotations_says_what_to_do(tmp_path: Path) -> None:
    project = Project.init(tmp_path / "p")
    with pytest.raises(AnnotatorError) as info:
        train(project, epochs=1)
    message = str(info.value)
    assert "no annotations yet" in message
    assert "Ctrl+Enter" in message
    assert "nothing to export" not in message


def test_a_model_that_finds_nothing_is_not_saved_and_the_message_says_why(
    tmp_path: Path,
) -> None:
    project = tiny_project(tmp_path / "p", n=6)
    with pytest.raises(AnnotatorError) as info:
        train(project, epochs=1)
    message = str(info.value)
    assert "found none of the" in message
    assert "needs more done documents" in message
    assert "no model was saved" in message
    assert model_info(project) is None


TEXTS = st.lists(
    st.sampled_from(["Kota", "Makassar", " ", "  ", "\n", "\n\n", "😀", "e\u0301", ".", "\r\n"]),
    max_size=30,
).map("".join)


@settings(max_examples=60, deadline=None)
@given(TEXTS)
def test_words_and_spaces_rebuild_the_text_and_place_every_token(text: str) -> None:
    index = TokenIndex(text)
    words, spaces, where = words_and_spaces(text, index)
    assert "".join(w + (" " if s else "") for w, s in zip(words, spaces, strict=True)) == text
    assert [words[k] for k in where] == [text[t.start : t.end] for t in index.tokens]


@settings(max_examples=60, deadline=None)
@given(TEXTS, st.integers(1, 8))
def test_chunks_cover_the_text_and_never_cut_a_span(text: str, limit: int) -> None:
    tokens = TokenIndex(text).tokens
    spans = [
        (tokens[k].start, tokens[min(k + 2, len(tokens) - 1)].end, "CITY")
        for k in range(0, len(tokens), 3)
    ]
    bounds = chunk_bounds(text, spans, limit)
    assert "\n".join(text[a:b] for a, b in bounds).split() == text.split()
    for s, e, _ in spans:
        assert any(a <= s and e <= b for a, b in bounds) or not text[s:e].strip()
