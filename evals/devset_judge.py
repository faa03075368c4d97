"""Judging answers to a development set's questions (``evals/suites/devset.py``).

A development set (FORMAT.md of the set) gives, per question, the records that answer it
for the asking role (``gold_record_ids``), short gold facts, records that must never be
cited, and whether a refusal is expected. Everything here is matched by record id and
by the answer's sentence kinds; nothing reads the records themselves, so the verdicts
are the same for pseudonymised and re-identified answers.

Absence wording: an ``absence`` sentence that says "Nothing ... is recorded" asserts that
nothing is recorded; any other absence-like sentence (a hedge such as "I could not find
a direct answer; closest records: ...") does not, and is never a false absence.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from assistant.contracts import Answer, AnswerSentence
from assistant.text import content_words
from evals.stats import percentile

#: (source system, record id) -> linked person ids the record is about (None: unknown).
RecordPeople = Callable[[str, str], frozenset[str] | None]

#: Question types whose gold says nothing (permitted) is recorded.
ABSENCE_TYPES = ("absence", "withheld")
#: Sentence kinds (or boolean fields) a later answer contract may use for a hedge.
_HEDGE_KINDS = frozenset({"hedge", "hedged", "closest", "partial"})
_HEDGE_FIELDS = ("hedge", "hedged")
_HEDGE_OPENINGS = ("i could not find", "i couldn't find", "no direct answer")
_NOTHING_OPENING = "nothing"


@dataclass(frozen=True)
class DevQuestion:
    """One line of a development set's ``questions.jsonl``."""

    qid: str
    family: str
    subject_person_id: str
    asking_role: str
    type: str
    question: str
    gold_record_ids: tuple[str, ...] = ()
    gold_facts: tuple[str, ...] = ()
    must_not_cite: tuple[str, ...] = ()
    expect_refusal: bool = False
    follows: str | None = None

    @property
    def answerable(self) -> bool:
        return bool(self.gold_record_ids)

    @classmethod
    def from_json(cls, row: Mapping[str, Any]) -> DevQuestion:
        subjects = list(row.get("subject_person_ids") or [])
        if not subjects:
            raise ValueError(f"question {row.get('qid')!r} has no subject_person_ids")
        return cls(
            qid=str(row["qid"]),
            family=str(row.get("family", "")),
            subject_person_id=str(subjects[0]),
            asking_role=str(row["asking_role"]),
            type=str(row["type"]),
            question=str(row["question"]),
            gold_record_ids=tuple(str(r) for r in row.get("gold_record_ids") or ()),
            gold_facts=tuple(str(f) for f in row.get("gold_facts") or ()),
            must_not_cite=tuple(str(r) for r in row.get("must_not_cite") or ()),
            expect_refusal=bool(row.get("expect_refusal", False)),
            follows=str(row["follows"]) if row.get("follows") else None,
        )


def load_questions(path: Path) -> list[DevQuestion]:
    """``questions.jsonl`` in file order; qids unique, ``follows`` names an earlier qid."""
    questions: list[DevQuestion] = []
    seen: set[str] = set()
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            q = DevQuestion.from_json(json.loads(line))
        except (KeyError, ValueError) as exc:
            raise ValueError(f"{path}:{number}: {exc}") from exc
        if q.qid in seen:
            raise ValueError(f"{path}:{number}: duplicate qid {q.qid}")
        if q.follows is not None and q.follows not in seen:
            raise ValueError(f"{path}:{number}: {q.qid} follows {q.follows}, not asked before it")
        seen.add(q.qid)
        questions.append(q)
    return questions


# --- reading an answer ----------------------------------------------------------------------


def sentence_absence(sentence: AnswerSentence) -> str | None:
    """``"nothing"`` (asserts nothing is recorded), ``"hedge"`` (no direct answer found,
    closest records offered) or None (not an absence sentence)."""
    kind = str(getattr(sentence, "kind", "fact"))
    text = sentence.text.strip().lower()
    if kind in _HEDGE_KINDS or any(getattr(sentence, f, False) is True for f in _HEDGE_FIELDS):
        return "hedge"
    if kind == "absence":
        return "nothing" if text.startswith(_NOTHING_OPENING) else "hedge"
    if text.startswith(_HEDGE_OPENINGS):
        return "hedge"
    return None


def cited_record_ids(answer: Answer) -> list[str]:
    """Cited record ids in citation order, each once."""
    return list(dict.fromkeys(c.record_id for c in answer.citations))


def sentence_rows(answer: Answer) -> list[dict[str, Any]]:
    """The answer's sentences with citation numbers turned into record ids."""
    by_n = {c.n: c.record_id for c in answer.citations}
    return [
        {
            "text": s.text,
            "kind": s.kind,
            "supported": s.supported,
            "cites": [by_n.get(n, f"?{n}") for n in s.citations],
            "reliability": s.reliability,
            "provenance": s.provenance,
            "outcome": s.outcome,
            "account": s.account,
        }
        for s in answer.sentences
    ]


def fact_overlap(fact: str, text: str) -> float | None:
    """APPROXIMATE: share of a gold fact's content words found in the answer text (names
    in answers are pseudonymised, so names never match). None for a fact with no content
    words."""
    wanted = content_words(fact)
    if not wanted:
        return None
    return len(wanted & content_words(text)) / len(wanted)


# --- one case -------------------------------------------------------------------------------


@dataclass
class DevCase:
    """One question's answer, judged. Written to ``cases.jsonl`` (with the answer)."""

    qid: str
    type: str
    role: str
    family: str
    question: str
    follows: str | None
    subject: str | None
    family_id: str | None
    gold_record_ids: list[str]
    must_not_cite: list[str]
    expect_refusal: bool
    latency_ms: float = 0.0
    refused: bool = False
    cited: list[str] = field(default_factory=list)
    cited_gold: list[str] = field(default_factory=list)
    missed_gold: list[str] = field(default_factory=list)
    #: cited gold / gold; None when the question has no gold records.
    recall: float | None = None
    fully_cited: bool | None = None
    #: "nothing", "hedge" or None: the answer's absence sentence, if any.
    absence: str | None = None
    #: Supported ``fact`` sentences (a hedge's ``closest`` sentences are not asserted).
    asserted_facts: int = 0
    false_absence: bool = False
    over_refusal: bool = False
    must_not_cite_hits: list[str] = field(default_factory=list)
    #: Cited records neither gold nor about the subject (by linked person id).
    off_subject: list[str] = field(default_factory=list)
    #: More than half of the non-gold citations are about other people only.
    wrong_subject: bool = False
    withheld_count: int = 0
    withheld_mentioned: bool = False
    #: Absence/withheld questions with no gold records: said so, asserted nothing.
    absence_correct: bool | None = None
    #: APPROXIMATE content-word overlap per gold fact (answerable questions only).
    fact_overlap: list[float] = field(default_factory=list)
    sentences: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None

    @property
    def citations(self) -> int:
        return len(self.cited)

    def as_dict(self) -> dict[str, Any]:
        row = asdict(self)
        row["citations"] = self.citations
        return row


def judge_case(
    q: DevQuestion,
    answer: Answer | None,
    *,
    subject: str | None,
    family_id: str | None,
    record_people: RecordPeople,
    latency_ms: float = 0.0,
    error: str | None = None,
) -> DevCase:
    """Verdicts for one answer (``answer`` None: the question could not be asked)."""
    case = DevCase(
        qid=q.qid,
        type=q.type,
        role=q.asking_role,
        family=q.family,
        question=q.question,
        follows=q.follows,
        subject=subject,
        family_id=family_id,
        gold_record_ids=list(q.gold_record_ids),
        must_not_cite=list(q.must_not_cite),
        expect_refusal=q.expect_refusal,
        latency_ms=round(latency_ms, 1),
        error=error,
    )
    gold = set(q.gold_record_ids)
    if answer is None:
        if q.answerable:
            case.recall, case.fully_cited = 0.0, False
            case.missed_gold = list(q.gold_record_ids)
        case.fact_overlap = [0.0 for f in q.gold_facts if content_words(f)] if q.answerable else []
        if q.type in ABSENCE_TYPES and not q.answerable:
            case.absence_correct = False
        return case

    case.refused = answer.refused
    case.cited = cited_record_ids(answer)
    case.cited_gold = [r for r in q.gold_record_ids if r in case.cited]
    case.missed_gold = [r for r in q.gold_record_ids if r not in case.cited]
    if q.answerable:
        case.recall = round(len(case.cited_gold) / len(gold), 4)
        case.fully_cited = not case.missed_gold
    kinds = [sentence_absence(s) for s in answer.sentences]
    case.absence = "nothing" if "nothing" in kinds else ("hedge" if "hedge" in kinds else None)
    case.asserted_facts = sum(1 for s in answer.sentences if s.kind == "fact" and s.supported)
    case.false_absence = q.answerable and not q.expect_refusal and "nothing" in kinds
    case.over_refusal = answer.refused and not q.expect_refusal
    banned = set(q.must_not_cite)
    case.must_not_cite_hits = [c.record_id for c in answer.citations if c.record_id in banned]
    systems = {c.record_id: c.source_system for c in answer.citations}
    non_gold = [r for r in case.cited if r not in gold]
    for record_id in non_gold:
        about = record_people(systems[record_id], record_id)
        if subject is None or not about or subject not in about:
            case.off_subject.append(record_id)
    case.wrong_subject = (
        bool(subject and subject.startswith("LP-"))
        and bool(non_gold)
        and len(case.off_subject) * 2 > len(non_gold)
    )
    case.withheld_count = answer.withheld_count
    text = " ".join(s.text for s in answer.sentences)
    case.withheld_mentioned = "withheld" in text.lower()
    if q.type in ABSENCE_TYPES and not q.answerable:
        said_so = case.absence is not None and case.asserted_facts == 0
        case.absence_correct = said_so and (q.type != "withheld" or case.withheld_mentioned)
    if q.answerable:
        supported_text = " ".join(s.text for s in answer.sentences if s.supported)
        overlaps = (fact_overlap(f, supported_text) for f in q.gold_facts)
        case.fact_overlap = [round(o, 3) for o in overlaps if o is not None]
    case.sentences = sentence_rows(answer)
    return case


# --- summaries ------------------------------------------------------------------------------


def _ratio(num: float, den: float) -> float | None:
    return round(num / den, 4) if den else None


def summarise(cases: Iterable[DevCase]) -> dict[str, Any]:
    """Headline numbers over ``cases`` (see evals/README.md, "Development set")."""
    cases = list(cases)
    answerable = [c for c in cases if c.recall is not None]
    factual = [c for c in answerable if not c.expect_refusal]
    expect_refusal = [c for c in cases if c.expect_refusal]
    not_refusal = [c for c in cases if not c.expect_refusal]
    absence_scored = [c for c in cases if c.absence_correct is not None]
    overlaps = [o for c in answerable for o in c.fact_overlap]
    latencies = [c.latency_ms for c in cases if c.error is None]
    cited_gold = sum(len(c.cited_gold) for c in answerable)
    gold = sum(len(c.gold_record_ids) for c in answerable)
    p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
    return {
        "questions": len(cases),
        "answerable": len(answerable),
        "errors": sum(1 for c in cases if c.error is not None),
        "record_recall": _ratio(sum(c.recall or 0.0 for c in answerable), len(answerable)),
        "record_recall_micro": _ratio(cited_gold, gold),
        "fully_cited": sum(1 for c in answerable if c.fully_cited),
        "fully_cited_rate": _ratio(sum(1 for c in answerable if c.fully_cited), len(answerable)),
        "false_absences": sum(1 for c in factual if c.false_absence),
        "false_absence_rate": _ratio(sum(1 for c in factual if c.false_absence), len(factual)),
        "expect_refusal": len(expect_refusal),
        "refused_when_expected": sum(1 for c in expect_refusal if c.refused),
        "refusal_rate": _ratio(sum(1 for c in expect_refusal if c.refused), len(expect_refusal)),
        "over_refusals": sum(1 for c in not_refusal if c.over_refusal),
        "over_refusal_rate": _ratio(
            sum(1 for c in not_refusal if c.over_refusal), len(not_refusal)
        ),
        "must_not_cite_violations": sum(len(c.must_not_cite_hits) for c in cases),
        "must_not_cite_questions": sum(1 for c in cases if c.must_not_cite_hits),
        "off_subject_citations": sum(len(c.off_subject) for c in cases),
        "wrong_subject_answers": sum(1 for c in cases if c.wrong_subject),
        "absence_scored": len(absence_scored),
        "absence_correct": sum(1 for c in absence_scored if c.absence_correct),
        "absence_accuracy": _ratio(
            sum(1 for c in absence_scored if c.absence_correct), len(absence_scored)
        ),
        "citations_total": sum(c.citations for c in cases),
        "citations_mean": round(statistics.fmean([c.citations for c in cases]), 2)
        if cases
        else None,
        "latency_ms_p50": round(p50, 1) if latencies else None,
        "latency_ms_p95": round(p95, 1) if latencies else None,
        "fact_overlap_approx": round(statistics.fmean(overlaps), 4) if overlaps else None,
    }


def summarise_by_type(cases: Iterable[DevCase]) -> dict[str, dict[str, Any]]:
    by_type: dict[str, list[DevCase]] = {}
    for c in cases:
        by_type.setdefault(c.type, []).append(c)
    return {t: summarise(by_type[t]) for t in sorted(by_type)}
