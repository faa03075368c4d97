"""No decisions: refuse requests for decisions, risk scores, predictions, judgements or
choices, and answer questions that are not about the records at all in one sentence.

caselens shares recorded facts; a practitioner decides. A refused question still gets an
answer: the factual core (the recorded concerns on its topic, plus protective factors and
strengths), so the refusal is never a dead end. What kind of request a question is comes
from a ``RequestClassifier`` (``assistant.requests``): the answer service is given one
that adds exemplar embeddings to the patterns; ``assess`` without one uses the patterns.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.requests import (
    PatternClassifier,
    RefusalKind,
    RequestClassifier,
    load_phrasings,
)
from assistant.topics import question_topics, topic_labels

__all__ = [
    "EXPLANATIONS",
    "OFF_TOPIC_ANSWER",
    "RefusalDecision",
    "RefusalKind",
    "assess",
    "factual_core",
    "load_phrasings",
]

EXPLANATIONS: dict[RefusalKind, str] = {
    "decision": "what should happen is a decision for the practitioner and their manager, "
    "with the family",
    "risk_score": "scoring or rating risk is a professional judgement that caselens does not make",
    "prediction": "caselens does not predict what people will do",
    "judgement": "caselens does not judge people or give opinions about them",
    "choice": "choosing between people, professionals' views or options is a judgement that "
    "caselens does not make",
    "disclosure": "caselens does not list contact details or identifiers, show sealed or "
    "restricted records, or set its rules aside; the source system shows them to people "
    "allowed to see them",
}
#: The whole answer to a question that is not about a child's or family's records.
OFF_TOPIC_ANSWER = "caselens answers questions about the records of this child or family."

_PATTERNS_ONLY = PatternClassifier()


@dataclass(frozen=True)
class RefusalDecision:
    refused: bool
    kind: RefusalKind | None = None
    #: Shown to the user: why caselens will not answer the question as asked.
    reason: str | None = None
    #: A factual question on the same topics that caselens does answer.
    factual_question: str | None = None
    #: Not about the records of a child or family: answered with ``OFF_TOPIC_ANSWER``
    #: alone (no retrieval, no case facts).
    off_topic: bool = False
    #: Off-topic as a plainly unrelated task ("write a poem", "what's the weather"), not
    #: only by nearness to the off-topic exemplars: off-topic whoever it names, and even
    #: as a follow-up.
    unrelated_task: bool = False


def assess(question: str, classifier: RequestClassifier | None = None) -> RefusalDecision:
    """Refuse decision/judgement requests, mark off-topic questions; otherwise let the
    question through. Without a classifier, the patterns alone decide."""
    if not question.strip():
        raise ValueError("the question is empty")
    decision = (classifier or _PATTERNS_ONLY).classify(question)
    if decision.off_topic:
        return RefusalDecision(
            refused=False,
            reason=OFF_TOPIC_ANSWER,
            off_topic=True,
            unrelated_task=decision.signal == "off_topic_pattern",
        )
    kind = decision.kind
    if kind is None:
        return RefusalDecision(refused=False)
    return RefusalDecision(
        refused=True,
        kind=kind,
        reason=(
            f"I can't answer that as asked: {EXPLANATIONS[kind]}. caselens shares what "
            "the records say so that a person can decide. Here is what is recorded "
            "instead."
        ),
        factual_question=factual_core(question),
    )


def factual_core(question: str) -> str:
    """The recorded facts behind a refused question: its topics, concerns and strengths."""
    topics = [t for t in question_topics(question) if t != "protective"]
    if topics:
        about = ", ".join(topic_labels(tuple(topics)))
        return f"What is recorded about {about}, and what protective factors and strengths?"
    return "What concerns, risks, protective factors and strengths are recorded?"
