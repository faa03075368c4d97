"""The citation verifier on drafts with invented, wrong and right citations."""

from __future__ import annotations

import pytest

from assistant.contracts import DraftSentence, NumberedSource
from assistant.testing import estate_stack


@pytest.fixture(scope="module")
def sources():
    stack = estate_stack()
    chunks = stack.retriever.chunks_of("FAM-00001")
    drug = next(c for c in chunks if "cannabis" in c.text)
    other = next(c for c in chunks if c.record_type == "attendance")
    return stack, [NumberedSource(1, drug), NumberedSource(2, other)]


def _sentence_with(text: str, word: str) -> str:
    from assistant.text import split_sentences

    return next(s for s in split_sentences(text) if word in s)


def test_invented_citation_removed_and_right_one_kept(sources):
    stack, numbered = sources
    sentence = _sentence_with(numbered[0].chunk.text, "cannabis")
    [v] = stack.verifier.verify([DraftSentence(sentence, (1, 7))], numbered)
    assert v.supported and v.citations == (1,) and v.invented == (7,)


def test_wrong_citation_makes_sentence_unsupported(sources):
    stack, numbered = sources
    sentence = _sentence_with(numbered[0].chunk.text, "cannabis")
    [v] = stack.verifier.verify([DraftSentence(sentence, (2,))], numbered)
    assert not v.supported and v.unsupporting == (2,)


def test_uncited_or_invented_claim_is_unsupported(sources):
    stack, numbered = sources
    drafts = [
        DraftSentence("The mother was convicted of drug dealing in 2019.", (1,)),
        DraftSentence("There was a strong smell of cannabis in the property.", ()),
    ]
    assert [v.supported for v in stack.verifier.verify(drafts, numbered)] == [False, False]


def test_service_never_shows_unsupported_as_fact():
    from assistant.service import AnswerService

    stack = estate_stack()

    class Inventing:
        name = "inventing"

        def generate(self, question, sources, *, history=()):
            yield DraftSentence("The father has a conviction for arson.", (1,))
            yield DraftSentence("Nothing here.", (99,))

    service = AnswerService(stack.retriever, Inventing(), stack.verifier)
    answer = service.ask(stack.principal(), "FAM-00001", "What is recorded about drugs?")
    facts = [s for s in answer.sentences if s.kind == "fact"]
    assert facts and not any(s.supported for s in facts)
    assert all(s.citations == [] for s in facts)
    assert answer.citations == []
    assert answer.sentences[-1].kind == "absence"
