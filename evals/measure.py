"""Answer quality over the estate's gold facts: the numbers issue 5 asks for.

It runs over the real stack: the estate ingested, linked, pseudonymised and indexed, and
the service answering through the scoped hybrid search. ``GoldCorpus`` maps the estate's
gold families to the case store's linked families (gold links -> linked person ->
family) and reads the pseudonymised record text the citations are checked against.

``measure_quality`` asks one question per (family, fact kind) and scores the answers:
citation precision (a cited record really supports its sentence), fact recall (a gold
fact appears in a supported sentence citing one of its records), unsupported sentences
shown as fact, refusal rates on the refusal and factual sets, absence answers for kinds
a family has no record of, and answer latency. ``calibrate_verifier`` is how the
verifier's thresholds were chosen.
"""

from __future__ import annotations

import random
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from assistant.contracts import Answer
from assistant.refusal import assess, load_phrasings
from assistant.service import AnswerService
from assistant.text import content_words, coverage, split_sentences
from assistant.topics import TOPIC_BY_NAME
from assistant.verifier import CitationVerifier, SupportThresholds
from evals.stats import percentile
from retrieval.jsonl import jsonl_rows

RecordKey = tuple[str, str]

FACT_QUESTIONS: dict[str, str] = {
    "substance_misuse": "What relationship is there with drugs and alcohol in this family "
    "and how has it presented?",
    "domestic_abuse": "What domestic abuse incidents are recorded?",
    "missing_episode": "Has anyone in the family been reported missing?",
    "exclusion": "Have any of the children been excluded from school?",
    "camhs_involvement": "What involvement has there been with CAMHS?",
    "house_move": "Has the family moved home?",
    "protective_factor": "What protective factors are recorded?",
    "strength": "What strengths are recorded for the children?",
    "send_need": "What special educational needs are described in the advice?",
    "send_provision": "What provision is recommended in the SEND advice?",
    "send_view": "What are the child's and the parents' views?",
}
#: Kinds whose absence is asked about in families that have none of them.
ABSENCE_KINDS: tuple[str, ...] = (
    "substance_misuse",
    "domestic_abuse",
    "missing_episode",
    "exclusion",
    "camhs_involvement",
    "house_move",
)
#: Kind -> topic whose cue words identify the fact when it has no key phrase.
_KIND_TOPIC = {
    "domestic_abuse": "domestic_abuse",
    "protective_factor": "protective",
    "strength": "protective",
}
_KEY_DETAIL = {
    "substance_misuse": "presentation",
    "exclusion": "reason",
    "missing_episode": "found_at",
    "camhs_involvement": "concern",
    "house_move": "reason",
    "send_need": "need",
    "send_provision": "provision",
    "send_view": "worry",
}


class _Store(Protocol):
    """The case store methods the corpus reads (``CaseStore`` implements them)."""

    def linked_person_of(self, source_system: str, person_id: str) -> str | None: ...

    def family_of(self, linked_person_id: str) -> Any: ...

    def iter_pseudonymised(self) -> Iterable[Any]: ...


@dataclass
class GoldCorpus:
    """The estate's gold facts against what the case store made of the estate."""

    estate_dir: Path
    #: gold family id -> the store's family id (majority of the gold members' links).
    subject_of: dict[str, str]
    #: record key -> pseudonymised record (text, family ids, policy fields).
    records: dict[RecordKey, Any]
    facts: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_store(cls, store: _Store, estate_dir: Path) -> GoldCorpus:
        gold = Path(estate_dir) / "gold"
        family_of_person = {
            p["true_person_id"]: p["family_id"] for p in jsonl_rows(gold / "persons.jsonl")
        }
        votes: dict[str, Counter[str]] = defaultdict(Counter)
        families: dict[str, str | None] = {}
        for link in jsonl_rows(gold / "links.jsonl"):
            linked = store.linked_person_of(link["source_system"], link["person_id"])
            if linked is None:
                continue
            if linked not in families:
                found = store.family_of(linked)
                families[linked] = found.family_id if found is not None else None
            if families[linked] and link["true_person_id"] in family_of_person:
                votes[family_of_person[link["true_person_id"]]][families[linked]] += 1  # type: ignore[index]
        subject_of = {g: c.most_common(1)[0][0] for g, c in sorted(votes.items())}
        records = {r.key: r for r in store.iter_pseudonymised()}
        return cls(Path(estate_dir), subject_of, records, list(jsonl_rows(gold / "facts.jsonl")))

    def family_ids(self) -> list[str]:
        """Gold family ids that the store linked to a family."""
        return sorted(self.subject_of)

    def text_of(self, key: RecordKey) -> str:
        record = self.records.get(key)
        return record.text if record is not None else ""

    def records_of(self, family: str) -> list[Any]:
        """Pseudonymised records of a gold family's store family, oldest first."""
        subject = self.subject_of[family]
        found = [r for r in self.records.values() if subject in r.family_ids]
        return sorted(found, key=lambda r: (str(r.occurred_at), r.key))

    def visible_keys(self, principal: Any, family: str, policy: Any) -> set[RecordKey]:
        """Record keys of the family that are indexed and the principal's role may see."""
        role = policy.role(principal.role)
        return {r.key for r in self.records_of(family) if role.may_see(r)}


@dataclass
class QualityReport:
    families: int
    questions: int
    facts_scored: int
    facts_recalled: int
    fact_recall: float
    citations_checked: int
    citations_correct: int
    citation_precision: float
    supported_sentences: int
    unsupported_shown_as_fact: int
    unsupported_flagged: int
    refusal_set: int
    refusal_set_refused: float
    factual_set: int
    factual_set_refused: float
    absence_questions: int
    absence_answered_as_absence: float
    latency_p50_ms: float
    latency_p95_ms: float
    missed_facts: list[str]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def key_phrase(fact: dict[str, Any]) -> str | None:
    detail = _KEY_DETAIL.get(str(fact["kind"]))
    value = fact["details"].get(detail) if detail else None
    if detail and not value:  # e.g. a child's view records what they find hard, not a worry
        value = next(
            (v for k, v in fact["details"].items() if k != "advice_type" and isinstance(v, str)),
            None,
        )
    return str(value) if value else None


def fact_in_sentence(fact: dict[str, Any], text: str) -> bool:
    """Does the sentence state this fact (its key phrase, or its topic's cue words)?"""
    phrase = key_phrase(fact)
    if phrase:
        return coverage(content_words(phrase), content_words(text)) >= 0.6
    topic = TOPIC_BY_NAME.get(_KIND_TOPIC.get(str(fact["kind"]), ""))
    return bool(topic and topic.sentence.search(text))


def fact_sentences(answer: Answer) -> list[Any]:
    return [s for s in answer.sentences if s.kind == "fact" and s.supported]


def is_absence(answer: Answer) -> bool:
    return not fact_sentences(answer) and any(s.kind == "absence" for s in answer.sentences)


def measure_quality(
    service: AnswerService,
    corpus: GoldCorpus,
    principal: Any,
    policy: Any,
    *,
    families: Iterable[str] | None = None,
) -> QualityReport:
    """Ask, score and time every gold question of ``families`` (default: all linked)."""
    by_family: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for fact in corpus.facts:
        by_family[fact["family_id"]].append(fact)
    family_ids = list(families) if families is not None else corpus.family_ids()
    latencies: list[float] = []
    scored = recalled = checked = correct = supported = shown_unsupported = flagged = 0
    absence_total = absence_ok = questions = 0
    missed: list[str] = []

    def ask(family: str, question: str) -> Answer:
        start = time.perf_counter()
        answer = service.ask(principal, corpus.subject_of[family], question)
        latencies.append((time.perf_counter() - start) * 1000)
        return answer

    for family in family_ids:
        visible = corpus.visible_keys(principal, family, policy)
        family_facts = by_family.get(family, [])
        kinds = {str(f["kind"]) for f in family_facts}
        for kind in sorted(kinds & FACT_QUESTIONS.keys()):
            answer = ask(family, FACT_QUESTIONS[kind])
            questions += 1
            keys_of = {c.n: (c.source_system, c.record_id) for c in answer.citations}
            sentences = fact_sentences(answer)
            flagged += sum(1 for s in answer.sentences if s.kind == "fact" and not s.supported)
            for sentence in sentences:
                supported += 1
                gold_keys = _gold_keys_for(sentence.text, family_facts)
                any_ok = False
                for n in sentence.citations:
                    checked += 1
                    key = keys_of[n]
                    ok = (
                        coverage(content_words(sentence.text), content_words(corpus.text_of(key)))
                        >= 0.8
                    )
                    if ok and gold_keys is not None:
                        ok = key in gold_keys
                    correct += ok
                    any_ok = any_ok or ok
                shown_unsupported += not any_ok
            for fact in (f for f in family_facts if f["kind"] == kind):
                keys = {tuple(k) for k in fact["record_keys"]} & visible
                if not keys:
                    continue
                scored += 1
                hit = any(
                    fact_in_sentence(fact, s.text) and {keys_of[n] for n in s.citations} & keys
                    for s in sentences
                )
                recalled += hit
                if not hit:
                    missed.append(str(fact["fact_id"]))
        for kind in ABSENCE_KINDS:
            if kind in kinds:
                continue
            absence_total += 1
            absence_ok += is_absence(ask(family, FACT_QUESTIONS[kind]))

    refusals = load_phrasings("refusal_set")
    factual = load_phrasings("factual_set")
    return QualityReport(
        families=len(family_ids),
        questions=questions + absence_total,
        facts_scored=scored,
        facts_recalled=recalled,
        fact_recall=recalled / scored if scored else 1.0,
        citations_checked=checked,
        citations_correct=correct,
        citation_precision=correct / checked if checked else 1.0,
        supported_sentences=supported,
        unsupported_shown_as_fact=shown_unsupported,
        unsupported_flagged=flagged,
        refusal_set=len(refusals),
        refusal_set_refused=sum(assess(q).refused for q in refusals) / len(refusals),
        factual_set=len(factual),
        factual_set_refused=sum(assess(q).refused for q in factual) / len(factual),
        absence_questions=absence_total,
        absence_answered_as_absence=absence_ok / absence_total if absence_total else 1.0,
        latency_p50_ms=round(statistics.median(latencies), 1) if latencies else 0.0,
        latency_p95_ms=round(percentile(latencies, 0.95), 1),
        missed_facts=missed,
    )


def _gold_keys_for(text: str, family_facts: list[dict[str, Any]]) -> set[RecordKey] | None:
    """Records of the gold facts this sentence states (None: states no gold fact)."""
    keys: set[RecordKey] = set()
    for fact in family_facts:
        if key_phrase(fact) and fact_in_sentence(fact, text):
            keys |= {tuple(k) for k in fact["record_keys"]}
    return keys or None


@dataclass(frozen=True)
class CalibrationResult:
    positives: int
    negatives: int
    thresholds: SupportThresholds
    positive_accept_rate: float
    negative_accept_rate: float


def calibrate_verifier(
    verifier: CitationVerifier, corpus: GoldCorpus, *, seed: int = 0
) -> CalibrationResult:
    """Choose thresholds on gold facts: accept no wrong record, as many right ones as possible.

    Positives: a fact's sentence from one record against every record of the same fact
    (other systems' accounts included). Negatives: the same sentence against records of
    the same family that do not hold the fact (the hard case: same people, same style).
    """
    rng = random.Random(seed)
    facts = [f for f in corpus.facts if key_phrase(f) and f["family_id"] in corpus.subject_of]
    texts = {key: record.text for key, record in corpus.records.items()}
    family_keys = {fam: [r.key for r in corpus.records_of(fam)] for fam in corpus.family_ids()}
    pos: list[tuple[float, float]] = []
    neg: list[tuple[float, float]] = []
    for fact in facts:
        keys = [tuple(k) for k in fact["record_keys"] if tuple(k) in texts]
        if not keys:
            continue
        phrase_words = content_words(key_phrase(fact) or "")
        sentence = max(
            split_sentences(texts[keys[0]]), key=lambda s: coverage(phrase_words, content_words(s))
        )
        for key in keys:
            ev = verifier.evidence(sentence, texts[key])
            pos.append((ev.coverage, ev.similarity))
        all_fact_keys = {
            tuple(k) for f in facts if f["family_id"] == fact["family_id"] for k in f["record_keys"]
        }
        others = [k for k in family_keys[fact["family_id"]] if k not in all_fact_keys]
        for key in rng.sample(others, min(4, len(others))):
            ev = verifier.evidence(sentence, texts[key])
            neg.append((ev.coverage, ev.similarity))
    best = (SupportThresholds(), -1.0, 1.0)
    grid = [x / 20 for x in range(6, 19)]
    for cov in grid:
        for sim in grid:
            t = SupportThresholds(min_coverage=cov, min_similarity=sim)
            fp = sum(c >= cov and s >= sim for c, s in neg) / max(1, len(neg))
            tp = sum(c >= cov and s >= sim for c, s in pos) / max(1, len(pos))
            if fp == 0 and tp > best[1]:
                best = (t, tp, fp)
    return CalibrationResult(len(pos), len(neg), best[0], best[1], best[2])
