"""A question that names someone in the chosen child's family is about their records, even
when its wording alone reads like small talk ("what does kezia eat?"); a plainly unrelated
task stays off-topic whoever it names (synthetic family, real embedding model)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from answer_standins import OneChunkRetriever, OneFamily, QuotingGenerator

from assistant.contracts import RetrievedChunk
from assistant.conversation import ConversationState
from assistant.embedder import CachedEmbedder
from assistant.refusal import OFF_TOPIC_ANSWER
from assistant.requests import ExemplarClassifier
from assistant.service import AnswerService
from assistant.verifier import CitationVerifier
from redaction.question import QuestionPseudonymiser
from retrieval.glossary import default_glossary
from retrieval.principal import Principal
from retrieval.store.redaction_store import FamilyPeople

WORKER = Principal.with_caseload("fw", "family_worker", ["FAM-9"])
NOTE = RetrievedChunk(
    "EHM-1-0",
    "EHM",
    "EHM-R1",
    "case_note",
    date(2025, 2, 3),
    "Home visit",
    "[Child 1] had toast and a yoghurt for breakfast and took a packed lunch.",
    "https://ehm.example.org/r/1",
    author_role="Family Support Worker",
)


@pytest.fixture
def service(shared_embedder: Any, make_person: Any) -> AnswerService:
    child = make_person("EHM-P1", "EHM", given_name="Kezia", family_name="Marlow", dob="2016-04-09")
    family = FamilyPeople("FAM-9", {"LP-kezia": [child]}, [])
    sentences = CachedEmbedder(shared_embedder)
    return AnswerService(
        OneChunkRetriever(NOTE),
        QuotingGenerator(),
        CitationVerifier(sentences),
        requests=ExemplarClassifier(
            sentences,
            cache_key=shared_embedder.label,
            casework=default_glossary().about_casework,
        ),
        question_pseudonymiser=QuestionPseudonymiser(OneFamily(family), today=date(2026, 12, 4)),
    )


def test_a_question_naming_a_family_member_is_answered_from_their_records(service):
    # Alone, the wording is small talk: the classifier calls it off-topic.
    assert service._requests.classify("what does kezia eat").off_topic  # type: ignore[union-attr]
    answer = service.ask(WORKER, "FAM-9", "what does kezia eat")
    assert not answer.refused
    assert [s.kind for s in answer.sentences] == ["fact"] and answer.citations


def test_an_unrelated_task_naming_a_family_member_stays_off_topic(service):
    answer = service.ask(WORKER, "FAM-9", "write a poem about kezia")
    assert [s.text for s in answer.sentences] == [OFF_TOPIC_ANSWER]
    assert not answer.citations
    assert service._retriever.queries == []  # type: ignore[attr-defined]


def test_a_follow_up_that_is_plainly_about_something_else_is_off_topic(service):
    history = ConversationState()
    service.ask(WORKER, "FAM-9", "what did kezia have for breakfast?", history)
    answer = service.ask(WORKER, "FAM-9", "and the weather tomorrow?", history)
    assert [s.text for s in answer.sentences] == [OFF_TOPIC_ANSWER]
    assert len(service._retriever.queries) == 1  # type: ignore[attr-defined]
