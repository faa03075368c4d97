"""No decisions: recognise requests for decisions, risk scores, predictions or judgements.

caselens shares recorded facts; a practitioner decides. A refused question still gets an
answer: the factual core (the recorded concerns on its topic, plus protective factors and
strengths), so the refusal is never a dead end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import Literal

from assistant.topics import question_topics, topic_labels

RefusalKind = Literal["decision", "risk_score", "prediction", "judgement"]

_I = re.IGNORECASE
_PATTERNS: tuple[tuple[RefusalKind, re.Pattern[str]], ...] = (
    ("risk_score", re.compile(r"\b(?:risk|danger)\s+(?:score|rating)", _I)),
    ("risk_score", re.compile(r"\b(?:rate|score|assess|quantify|grade)\b.{0,40}\brisk", _I)),
    (
        "risk_score",
        re.compile(
            r"\bis (?:this|the|their) (?:family|child|case|mother|father|household)\b.{0,25}"
            r"\b(?:high|low|medium|significant)[- ]risk",
            _I,
        ),
    ),
    ("risk_score", re.compile(r"\bhow (?:dangerous|risky)\b", _I)),
    ("prediction", re.compile(r"\b(?:predict|forecast)", _I)),
    ("prediction", re.compile(r"\bhow likely\b|\blikely to\b|\bchances?\b|\bprobability\b", _I)),
    (
        "prediction",
        re.compile(
            r"\bwill (?:he|she|they|dad|mum|the \w+)\b.{0,40}"
            r"\b(?:again|reoffend|re-offend|relapse|hurt|harm|go missing|be excluded|start|stop|"
            r"change|cope)",
            _I,
        ),
    ),
    (
        "judgement",
        re.compile(
            r"\bis\b.{0,30}\b(?:good|bad|fit|unfit|safe|poor|adequate|capable|suitable|"
            r"neglectful|abusive) (?:enough )?(?:parent|mother|father|carer|mum|dad)",
            _I,
        ),
    ),
    ("judgement", re.compile(r"\b(?:is|are) (?:she|he|they|the \w+) lying\b", _I)),
    ("judgement", re.compile(r"\bwho is (?:to blame|at fault|responsible)\b", _I)),
    ("judgement", re.compile(r"\bjudge\b", _I)),
    (
        "judgement",
        re.compile(
            r"\b(?:your|caselens'?s?) (?:opinion|view|assessment|judgement|judgment|"
            r"recommendation)",
            _I,
        ),
    ),
    ("judgement", re.compile(r"\bin your (?:opinion|view)\b|\bdo you think\b|\bbetter off\b", _I)),
    ("judgement", re.compile(r"\bdoes\b.{0,40}\bmeets? (?:the )?threshold", _I)),
    ("decision", re.compile(r"\bis it (?:safe|right|best|appropriate) (?:for|to)\b", _I)),
    (
        "decision",
        re.compile(r"\bshould\b(?!.{0,60}\b(?:recorded|say|says|said|agreed|according)\b)", _I),
    ),
    (
        "decision",
        re.compile(
            r"\b(?:do|would|can|could) you (?:recommend|suggest|advise)\b|^\s*recommend\b", _I
        ),
    ),
    (
        "decision",
        re.compile(
            r"\b(?:you|caselens) (?:decide|choose)\b|\bdecide (?:whether|if|what|who)\b|"
            r"\bmake a decision\b",
            _I,
        ),
    ),
    (
        "decision",
        re.compile(r"\bwould be (?:best|better)\b|\bbest (?:option|placement|course)\b", _I),
    ),
)

EXPLANATIONS: dict[RefusalKind, str] = {
    "decision": "what should happen is a decision for the practitioner and their manager, "
    "with the family",
    "risk_score": "scoring or rating risk is a professional judgement that caselens does not make",
    "prediction": "caselens does not predict what people will do",
    "judgement": "caselens does not judge people or give opinions about them",
}


@dataclass(frozen=True)
class RefusalDecision:
    refused: bool
    kind: RefusalKind | None = None
    #: Shown to the user: why caselens will not answer the question as asked.
    reason: str | None = None
    #: A factual question on the same topics that caselens does answer.
    factual_question: str | None = None


def assess(question: str) -> RefusalDecision:
    """Refuse decision/judgement requests; otherwise let the question through."""
    if not question.strip():
        raise ValueError("the question is empty")
    for kind, pattern in _PATTERNS:
        if pattern.search(question):
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
    return RefusalDecision(refused=False)


def factual_core(question: str) -> str:
    """The recorded facts behind a refused question: its topics, concerns and strengths."""
    topics = [t for t in question_topics(question) if t != "protective"]
    if topics:
        about = ", ".join(topic_labels(tuple(topics)))
        return f"What is recorded about {about}, and what protective factors and strengths?"
    return "What concerns, risks, protective factors and strengths are recorded?"


def load_phrasings(name: str) -> list[str]:
    """A packaged question set (``refusal_set`` or ``factual_set``), comments skipped."""
    text = resources.files("assistant").joinpath(f"data/{name}.txt").read_text(encoding="utf-8")
    return [
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
