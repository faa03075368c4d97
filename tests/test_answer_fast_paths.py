"""The answer path's shortcuts (verbatim sentences, lexical failures, topic answers without
ranking, the shared question vector) skip model calls but never change a decision: checked
against the full two-evidence check on chunks retrieved from the REAL stack."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from assistant.contracts import DraftSentence, NumberedSource
from assistant.embedder import CachedEmbedder
from assistant.retrieval_adapter import SearchRetriever
from assistant.text import split_sentences
from assistant.verifier import CitationVerifier


class CountingModel:
    """The real embedding model, counting the texts it is asked to embed."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.texts: list[str] = []

    @property
    def dimension(self) -> int:
        return int(self.inner.dimension)

    @property
    def label(self) -> str:
        return str(self.inner.label)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.texts.extend(texts)
        return self.inner.embed(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.embed([text])[0].tolist()


@pytest.fixture(scope="module")
def drug_sources(real_stack) -> list[NumberedSource]:
    retriever = SearchRetriever(real_stack.searcher)
    family = real_stack.family("FAM-00001")
    chunks = retriever.retrieve(
        real_stack.principal("evaluator"), family, "cannabis drug alcohol misuse", 24
    ).chunks
    return [NumberedSource(i + 1, c) for i, c in enumerate(chunks)]


def _verifier(real_stack) -> tuple[CitationVerifier, CountingModel]:
    model = CountingModel(real_stack.embedder)
    return CitationVerifier(CachedEmbedder(model)), model


def test_verbatim_sentence_is_supported_without_an_embedding(real_stack, drug_sources):
    verifier, model = _verifier(real_stack)
    source = next(s for s in drug_sources if "cannabis" in s.chunk.text)
    sentence = next(s for s in split_sentences(source.chunk.text) if "cannabis" in s)
    [v] = verifier.verify([DraftSentence(sentence, (source.n,))], drug_sources)
    assert v.supported and v.citations == (source.n,) and v.quotes[source.n] == sentence
    assert model.texts == []
    # The full check agrees (and did need the model).
    assert verifier.evidence(sentence, source.chunk.text).supports(verifier.thresholds)
    assert model.texts


def test_unrelated_citation_fails_without_an_embedding(real_stack, drug_sources):
    verifier, model = _verifier(real_stack)
    claim = "The father attended every parenting course and completed the housing application."
    [v] = verifier.verify([DraftSentence(claim, (1, 2))], drug_sources)
    assert not v.supported and v.unsupporting == (1, 2)
    assert model.texts == []


def test_fragment_of_a_sentence_still_gets_the_embedding_check(real_stack, drug_sources):
    verifier, model = _verifier(real_stack)
    source = max(drug_sources, key=lambda s: max(len(x) for x in split_sentences(s.chunk.text)))
    whole = max(split_sentences(source.chunk.text), key=len)
    fragment = " ".join(whole.split()[2:])
    v = verifier.verify_one(DraftSentence(fragment, (source.n,)), {source.n: source})
    assert fragment in model.texts  # not taken as verbatim
    full = verifier.evidence(fragment, source.chunk.text)
    assert v.supported == full.supports(verifier.thresholds)


def test_every_decision_matches_the_full_check(real_stack, drug_sources):
    """Whole sentences, fragments and cross-citations: same citations kept, same quotes."""
    verifier, _ = _verifier(real_stack)
    by_n = {s.n: s for s in drug_sources}
    drafts: list[DraftSentence] = []
    for source in drug_sources[:6]:
        other = drug_sources[(source.n % len(drug_sources))].n
        for sentence in split_sentences(source.chunk.text)[:4]:
            drafts.append(DraftSentence(sentence, (source.n, other)))
            drafts.append(DraftSentence(" ".join(sentence.split()[1:]), (source.n,)))
    assert len(drafts) > 20
    for draft in drafts:
        v = verifier.verify_one(draft, by_n)
        full = {
            n: verifier.evidence(draft.text.strip(), by_n[n].chunk.text) for n in draft.citations
        }
        expected = tuple(n for n, e in full.items() if e.supports(verifier.thresholds))
        assert v.citations == expected, draft.text
        assert v.quotes == {n: full[n].quote for n in expected}


def test_answers_embed_no_source_sentence_the_index_already_embedded(real_stack):
    """The index writer stored every chunk sentence's vector, so a cold service (empty
    in-memory cache) embeds only the question and its parts, never a source sentence."""
    from api.backends import build_answer_service

    model = CountingModel(real_stack.embedder)
    question = "Is there any record of drug and alcohol misuse?"
    with build_answer_service(
        real_stack.settings, embedder=model, vectors=real_stack.vectors, reidentify=False
    ) as service:
        answer = service.ask(
            real_stack.principal("evaluator"), real_stack.family("FAM-00001"), question
        )
    from assistant.relevance import sentence_texts
    from retrieval.glossary import default_glossary

    shown = [s.text for s in answer.sentences if s.kind in ("fact", "closest")]
    assert shown
    recorded = {
        t
        for r in real_stack.store.iter_pseudonymised()
        for t in [*sentence_texts(r.text, default_glossary()), *sentence_texts(r.text)]
    }
    assert not set(model.texts) & recorded, set(model.texts) & recorded


def test_service_embeds_the_question_once(real_stack):
    from api.backends import build_answer_service

    model = CountingModel(real_stack.embedder)
    question = "What worries were raised about the home conditions?"  # no topic: scored
    with build_answer_service(
        real_stack.settings, embedder=model, vectors=real_stack.vectors, reidentify=False
    ) as service:
        answer = service.ask(
            real_stack.principal("evaluator"), real_stack.family("FAM-00002"), question
        )
        assert answer.sentences
        assert model.texts.count(question) == 1  # the search's; the generator reused it
        before = len(model.texts)
        again = service.ask(
            real_stack.principal("evaluator"), real_stack.family("FAM-00002"), question
        )
        assert len(model.texts) == before  # everything cached: no forward pass at all
        assert [s.text for s in again.sentences] == [s.text for s in answer.sentences]


def test_cached_query_vector_is_the_models():
    class Fixed:
        def embed(self, texts: Sequence[str]) -> np.ndarray:
            return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)

    cached = CachedEmbedder(Fixed())
    assert cached.embed_query("abc") == [3.0, 1.0]
    assert cached.encode(["abc", "de"]).tolist() == [[3.0, 1.0], [2.0, 1.0]]
