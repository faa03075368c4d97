"""The citation verifier on drafts with invented, wrong and right citations, over chunks
retrieved from the real (pseudonymised, indexed) stack."""

from __future__ import annotations

import pytest

from assistant.contracts import DraftSentence, NumberedSource
from assistant.embedder import CachedEmbedder
from assistant.retrieval_adapter import SearchRetriever
from assistant.verifier import CitationVerifier


@pytest.fixture(scope="module")
def sources(real_stack):
    retriever = SearchRetriever(real_stack.searcher)
    principal = real_stack.principal("evaluator")
    family = real_stack.family("FAM-00001")
    drug = next(
        c
        for c in retriever.retrieve(principal, family, "cannabis", 24).chunks
        if "cannabis" in c.text
    )
    other = next(
        c
        for c in retriever.retrieve(principal, family, "school attendance", 24).chunks
        if c.record_type == "attendance"
    )
    verifier = CitationVerifier(CachedEmbedder(real_stack.embedder))
    return verifier, [NumberedSource(1, drug), NumberedSource(2, other)]


def _sentence_with(text: str, word: str) -> str:
    from assistant.text import split_sentences

    return next(s for s in split_sentences(text) if word in s)


def test_invented_citation_removed_and_right_one_kept(sources):
    verifier, numbered = sources
    sentence = _sentence_with(numbered[0].chunk.text, "cannabis")
    [v] = verifier.verify([DraftSentence(sentence, (1, 7))], numbered)
    assert v.supported and v.citations == (1,) and v.invented == (7,)


def test_wrong_citation_makes_sentence_unsupported(sources):
    verifier, numbered = sources
    sentence = _sentence_with(numbered[0].chunk.text, "cannabis")
    [v] = verifier.verify([DraftSentence(sentence, (2,))], numbered)
    assert not v.supported and v.unsupporting == (2,)


def test_uncited_or_invented_claim_is_unsupported(sources):
    verifier, numbered = sources
    drafts = [
        DraftSentence("The mother was convicted of drug dealing in 2019.", (1,)),
        DraftSentence("There was a strong smell of cannabis in the property.", ()),
    ]
    assert [v.supported for v in verifier.verify(drafts, numbered)] == [False, False]


def test_service_never_shows_unsupported_as_fact(real_stack):
    from assistant.service import AnswerService

    class Inventing:
        name = "inventing"
        model = None
        prompt = None

        def build_messages(self, question, sources):
            return {"sources": [s.chunk.chunk_id for s in sources]}

        def generate(self, question, sources, *, history=(), about=frozenset()):
            yield DraftSentence("The father has a conviction for arson.", (1,))
            yield DraftSentence("Nothing here.", (99,))

    verifier = CitationVerifier(CachedEmbedder(real_stack.embedder))
    service = AnswerService(SearchRetriever(real_stack.searcher), Inventing(), verifier)
    answer = service.ask(
        real_stack.principal("evaluator"),
        real_stack.family("FAM-00001"),
        "What is recorded about drugs?",
    )
    facts = [s for s in answer.sentences if s.kind == "fact"]
    assert facts and not any(s.supported for s in facts)
    assert all(s.citations == [] for s in facts)
    assert answer.citations == []
    assert answer.sentences[-1].kind == "absence"
