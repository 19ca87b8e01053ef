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
    held_out_split,
    model_dir,
    words_and_spaces,
)
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


def test_held_out_documents_stay_held_out_as_the_project_grows() -> None:
    docs = [TrainingDoc(f"d{i}", "x", ()) for i in range(200)]
    _, held_small = held_out_split(docs[:50], 0.2)
    _, held_big = held_out_split(docs, 0.2)
    assert {d.id for d in held_small} == {d.id for d in held_big if int(d.id[1:]) < 50}
    assert 20 <= len(held_big) <= 60
    assert len(held_out_split(docs[:1], 0.2)[1]) == 1


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
