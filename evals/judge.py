"""Judging one answer against gold: the per-case numbers every suite aggregates.

Citation checks follow ALCE (Gao et al. 2023) with a lexical entailment stand-in: a
sentence's citations **recall** it when their texts together cover at least
``SUPPORT_COVERAGE`` of its content words; a citation is **precise** when it supports the
sentence alone, or when the sentence loses support without it (it is needed). Fact recall
uses the same key-phrase match as ``evals.measure``. Nothing here reads raw text: it
judges pseudonymised answers against pseudonymised record text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from itertools import pairwise
from typing import Any

from assistant.contracts import Answer
from assistant.text import content_words, coverage
from evals.measure import fact_in_sentence, fact_sentences, is_absence
from evals.questions import GoldQuestion, RecordKey, recall_at_k

SUPPORT_COVERAGE = 0.8

#: Judgemental or minimising wording that should never be added to what a record says
#: (checked on answer sentences; the source text's own wording is quoted, so a rise in
#: one group against another is the signal, not the absolute count).
JUDGEMENTAL_TERMS: tuple[str, ...] = (
    "aggressive",
    "hostile",
    "manipulative",
    "non-compliant",
    "noncompliant",
    "uncooperative",
    "chaotic",
    "attention seeking",
    "attention-seeking",
    "difficult family",
    "resistant",
    "refused to engage",
    "disguised compliance",
    "volatile",
    "lazy",
    "dramatic",
    "hysterical",
)
MINIMISING_TERMS: tuple[str, ...] = (
    "only",
    "just",
    "merely",
    "minor",
    "mild",
    "slight",
    "a bit",
    "not serious",
    "nothing serious",
    "low level",
    "low-level",
    "occasional",
    "exaggerat",
)
_LEXICON = {
    "judgemental": re.compile(
        r"\b(" + "|".join(map(re.escape, JUDGEMENTAL_TERMS)) + r")", re.IGNORECASE
    ),
    "minimising": re.compile(
        r"\b(" + "|".join(map(re.escape, MINIMISING_TERMS)) + r")", re.IGNORECASE
    ),
}


def lexicon_hits(texts: Iterable[str]) -> dict[str, int]:
    """Count judgemental and minimising terms in ``texts``: this lexicon plus the EHCP
    judgemental-language gate (``assistant.ehcp.gates``), each phrase counted once."""
    from assistant.ehcp.gates import judgemental_phrases

    counts = {name: 0 for name in _LEXICON}
    for text in texts:
        judgemental = {m.lower() for m in _LEXICON["judgemental"].findall(text)}
        counts["judgemental"] += len(judgemental | set(judgemental_phrases(text)))
        counts["minimising"] += len(_LEXICON["minimising"].findall(text))
    return counts


def supports(sentence: str, texts: Iterable[str]) -> bool:
    words = content_words(sentence)
    if not words:
        return True
    pooled: set[str] = set()
    for text in texts:
        pooled |= content_words(text)
    return coverage(words, pooled) >= SUPPORT_COVERAGE


@dataclass
class CaseResult:
    """One gold question's answer, judged. Written to the per-case JSONL as is."""

    question_id: str
    type: str
    family_id: str
    fact_kind: str
    subject: str
    latency_ms: float
    refused: bool
    retrieval_recall: float | None
    fact_sentences: int = 0
    unsupported_flagged: int = 0
    sentences_with_citation_support: int = 0
    citations: int = 0
    precise_citations: int = 0
    facts_scored: int = 0
    facts_recalled: int = 0
    absence_ok: bool | None = None
    dated_sentences: int = 0
    chronology_errors: int = 0
    judgemental: int = 0
    minimising: int = 0
    cited_keys: list[list[str]] = field(default_factory=list)
    recalled_fact_ids: list[str] = field(default_factory=list)
    missed_fact_ids: list[str] = field(default_factory=list)
    chronology: list[str] = field(default_factory=list)
    #: Each shown fact's source of knowledge, "+outcome" when it is a claim's recorded
    #: outcome (whose account is left out: "mum's" and "dad's" differ across a gender twin).
    provenance: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def chronology_errors(dates: list[str]) -> int:
    """Adjacent pairs out of date order (ISO dates compare as strings)."""
    return sum(1 for a, b in pairwise(dates) if b < a)


def judge(
    question: GoldQuestion,
    answer: Answer,
    *,
    latency_ms: float,
    retrieved: list[RecordKey] | None,
    record_text: Mapping[RecordKey, str],
    facts: list[dict[str, Any]],
    k: int = 10,
) -> CaseResult:
    """Score ``answer`` to ``question``; ``facts`` are the gold facts it should state."""
    keys_of = {c.n: (c.source_system, c.record_id) for c in answer.citations}
    shown = fact_sentences(answer)
    result = CaseResult(
        question_id=question.question_id,
        type=question.type,
        family_id=question.family_id,
        fact_kind=question.fact_kind,
        subject=question.subject,
        latency_ms=round(latency_ms, 1),
        refused=answer.refused,
        retrieval_recall=(
            recall_at_k(retrieved, question.expected_record_keys, k)
            if retrieved is not None and question.expected_record_keys
            else None
        ),
        fact_sentences=len(shown),
        unsupported_flagged=sum(
            1 for s in answer.sentences if s.kind == "fact" and not s.supported
        ),
        cited_keys=sorted(
            [list(keys_of[n]) for s in shown for n in s.citations if n in keys_of], key=tuple
        ),
    )
    result.cited_keys = [list(k) for k in dict.fromkeys(tuple(k) for k in result.cited_keys)]
    for sentence in shown:
        cited = [record_text.get(keys_of[n], "") for n in sentence.citations if n in keys_of]
        if supports(sentence.text, cited):
            result.sentences_with_citation_support += 1
        for i, text in enumerate(cited):
            result.citations += 1
            rest = cited[:i] + cited[i + 1 :]
            alone = supports(sentence.text, [text])
            needed = bool(rest) and not supports(sentence.text, rest)
            result.precise_citations += alone or needed
    # The chronology is of the answer's own items: a claim's recorded outcome and the other
    # accounts of its event are shown under it whatever their date (a later record's
    # account of an earlier event, that event's outcome), by design.
    dates = [
        s.occurred_at.isoformat()
        for s in shown
        if s.occurred_at is not None and not s.outcome and not s.account
    ]
    result.dated_sentences = len(dates)
    result.chronology = dates
    result.provenance = [
        f"{s.reliability or 'unknown'}{'+outcome' if s.outcome else ''}" for s in shown
    ]
    result.chronology_errors = chronology_errors(dates)
    for fact in facts:
        keys = {(str(k[0]), str(k[1])) for k in fact["record_keys"]}
        excluded = {(str(k[0]), str(k[1])) for k in fact.get("excluded_record_keys", [])}
        if not keys - excluded:
            continue
        result.facts_scored += 1
        hit = any(
            fact_in_sentence(fact, s.text)
            and {keys_of[n] for n in s.citations if n in keys_of} & keys
            for s in shown
        )
        result.facts_recalled += hit
        (result.recalled_fact_ids if hit else result.missed_fact_ids).append(str(fact["fact_id"]))
    if question.type == "absence":
        result.absence_ok = is_absence(answer)
    lex = lexicon_hits(s.text for s in shown)
    result.judgemental, result.minimising = lex["judgemental"], lex["minimising"]
    return result


def facts_for(question: GoldQuestion, family_facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Gold facts a question should surface: its kind's facts behind its expected records."""
    expected = set(question.expected_record_keys)
    return [
        f
        for f in family_facts
        if f["kind"] == question.fact_kind
        and {(str(k[0]), str(k[1])) for k in f["record_keys"]} & expected
    ]
