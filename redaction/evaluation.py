"""Score pseudonymisation against an estate's gold PII spans.

Matching (per record field, on original offsets):
- A gold span is **found** when every letter and digit in it lies inside redacted spans
  (strict: half a name left in the text is a miss). ``recall`` uses this; the lenient
  ``recall_any_overlap`` counts any overlap.
- A redacted span is **correct** when it overlaps any gold span (of any type: redacting
  a name as a place still protects it). Precision is per predicted entity type.
- Event dates (kept in the text) are neither predictions nor misses.
Direct identifiers: PERSON (family members), ADDRESS, POSTCODE, PHONE, EMAIL, NHS_NUMBER,
UPN, NI_NUMBER, DATE_OF_BIRTH. Name-origin groups: the gold person's ``name_origin`` for
spans about a family member, else the family's. Reports counts and types, never values.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redaction.pseudonymiser import PseudonymisedResult

DIRECT_IDENTIFIER_TYPES: frozenset[str] = frozenset(
    {
        "PERSON",
        "ADDRESS",
        "POSTCODE",
        "PHONE",
        "EMAIL",
        "NHS_NUMBER",
        "UPN",
        "NI_NUMBER",
        "DATE_OF_BIRTH",
    }
)


@dataclass(frozen=True)
class GoldSpan:
    source_system: str
    record_id: str
    field: str
    start: int
    end: int
    type: str
    true_person_id: str | None


@dataclass
class Rate:
    hit: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return round(self.hit / self.total, 4) if self.total else None

    def as_dict(self) -> dict[str, Any]:
        return {"hit": self.hit, "total": self.total, "rate": self.value}


@dataclass
class RedactionScores:
    records: int = 0
    gold_spans: int = 0
    predicted_spans: int = 0
    recall_by_type: dict[str, Rate] = field(default_factory=lambda: defaultdict(Rate))
    recall_any_overlap_by_type: dict[str, Rate] = field(default_factory=lambda: defaultdict(Rate))
    precision_by_type: dict[str, Rate] = field(default_factory=lambda: defaultdict(Rate))
    direct_recall: Rate = field(default_factory=Rate)
    family_direct_recall: Rate = field(default_factory=Rate)
    overall_recall: Rate = field(default_factory=Rate)
    overall_precision: Rate = field(default_factory=Rate)
    recall_by_origin: dict[str, Rate] = field(default_factory=lambda: defaultdict(Rate))
    person_recall_by_origin: dict[str, Rate] = field(default_factory=lambda: defaultdict(Rate))
    misses: Counter[str] = field(default_factory=Counter)
    false_positives: Counter[str] = field(default_factory=Counter)

    @staticmethod
    def _gap(rates: dict[str, Rate]) -> float | None:
        values = [r.value for r in rates.values() if r.value is not None]
        return round((max(values) - min(values)) * 100, 2) if values else None

    def to_dict(self) -> dict[str, Any]:
        def table(rates: dict[str, Rate]) -> dict[str, Any]:
            return {k: rates[k].as_dict() for k in sorted(rates)}

        return {
            "records": self.records,
            "gold_spans": self.gold_spans,
            "predicted_spans": self.predicted_spans,
            "overall_recall": self.overall_recall.as_dict(),
            "overall_precision": self.overall_precision.as_dict(),
            "direct_identifier_recall": self.direct_recall.as_dict(),
            "family_direct_identifier_recall": self.family_direct_recall.as_dict(),
            "recall_by_type": table(self.recall_by_type),
            "recall_any_overlap_by_type": table(self.recall_any_overlap_by_type),
            "precision_by_predicted_type": table(self.precision_by_type),
            "direct_recall_by_name_origin": table(self.recall_by_origin),
            "direct_recall_gap_points": self._gap(self.recall_by_origin),
            "family_name_recall_by_name_origin": table(self.person_recall_by_origin),
            "family_name_recall_gap_points": self._gap(self.person_recall_by_origin),
            "misses_by_type": dict(sorted(self.misses.items())),
            "false_positives_by_predicted_type": dict(sorted(self.false_positives.items())),
        }


def load_gold_spans(estate: Path) -> list[GoldSpan]:
    path = Path(estate) / "gold" / "pii_spans.jsonl"
    if not path.is_file():
        raise FileNotFoundError(f"no gold PII spans at {path}")
    spans = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                d = json.loads(line)
                spans.append(
                    GoldSpan(
                        d["source_system"],
                        d["record_id"],
                        d.get("field", "text"),
                        int(d["start"]),
                        int(d["end"]),
                        d["type"],
                        d.get("true_person_id"),
                    )
                )
    return spans


def load_name_origins(estate: Path) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(true person -> origin, family -> origin, (system:person_id) -> family)."""
    gold = Path(estate) / "gold"
    person_origin: dict[str, str] = {}
    person_family: dict[str, str] = {}
    for line in (gold / "persons.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            person_origin[d["true_person_id"]] = d.get("name_origin", "unknown")
            person_family[d["true_person_id"]] = d["family_id"]
    family_origin: dict[str, str] = {}
    for line in (gold / "families.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            family_origin[d["family_id"]] = d.get("name_origin", "unknown")
    source_family: dict[str, str] = {}
    links = gold / "links.jsonl"
    if links.is_file():
        for line in links.read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                family = person_family.get(d["true_person_id"])
                if family:
                    source_family[f"{d['source_system']}:{d['person_id']}"] = family
    return person_origin, family_origin, source_family


def _covered(span: GoldSpan, text: str, redacted: Sequence[tuple[int, int]]) -> bool:
    for i in range(span.start, span.end):
        if i < len(text) and text[i].isalnum() and not any(s <= i < e for s, e in redacted):
            return False
    return True


def score(
    results: Iterable[tuple[PseudonymisedResult, dict[str, str], list[str]]],
    gold: Sequence[GoldSpan],
    person_origin: dict[str, str],
    family_origin: dict[str, str],
    source_family: dict[str, str],
) -> RedactionScores:
    """``results``: (result, original field texts, record person ids) per record."""
    by_record: dict[tuple[str, str], list[GoldSpan]] = defaultdict(list)
    for span in gold:
        by_record[(span.source_system, span.record_id)].append(span)
    scores = RedactionScores()
    for result, originals, person_ids in results:
        key = (result.row.source_system, result.row.record_id)
        scores.records += 1
        spans = by_record.get(key, [])
        family = next(
            (
                source_family[f"{key[0]}:{p}"]
                for p in person_ids
                if f"{key[0]}:{p}" in source_family
            ),
            None,
        )
        for field_name, text in originals.items():
            predicted = [r for r in result.replacements if r.field == field_name]
            ranges = [(r.start, r.end) for r in predicted]
            golds = [g for g in spans if g.field == field_name]
            for g in golds:
                scores.gold_spans += 1
                found = _covered(g, text, ranges)
                overlap = any(s < g.end and g.start < e for s, e in ranges)
                scores.recall_by_type[g.type].total += 1
                scores.recall_by_type[g.type].hit += found
                scores.recall_any_overlap_by_type[g.type].total += 1
                scores.recall_any_overlap_by_type[g.type].hit += overlap
                scores.overall_recall.total += 1
                scores.overall_recall.hit += found
                if not found:
                    scores.misses[f"{g.type}:{'partial' if overlap else 'missed'}"] += 1
                if g.type in DIRECT_IDENTIFIER_TYPES:
                    scores.direct_recall.total += 1
                    scores.direct_recall.hit += found
                    origin = (
                        person_origin.get(g.true_person_id)
                        if g.true_person_id
                        else family_origin.get(family or "")
                    ) or "unknown"
                    scores.recall_by_origin[origin].total += 1
                    scores.recall_by_origin[origin].hit += found
                    if g.true_person_id:
                        scores.family_direct_recall.total += 1
                        scores.family_direct_recall.hit += found
                        if g.type == "PERSON":
                            scores.person_recall_by_origin[origin].total += 1
                            scores.person_recall_by_origin[origin].hit += found
            for r in predicted:
                scores.predicted_spans += 1
                correct = any(g.start < r.end and r.start < g.end for g in golds)
                scores.precision_by_type[r.entity_type].total += 1
                scores.precision_by_type[r.entity_type].hit += correct
                scores.overall_precision.total += 1
                scores.overall_precision.hit += correct
                if not correct:
                    scores.false_positives[f"{r.entity_type}:{r.source}"] += 1
    return scores


def evaluate_store(
    store: Any,
    pseudonymiser: Any,
    estate: Path,
    *,
    batch_size: int = 64,
) -> RedactionScores:
    """Pseudonymise (in memory, nothing saved) every stored record the estate has gold
    spans for, and score it. ``store``: a ``CaseStore`` holding the ingested, linked estate."""
    gold = load_gold_spans(estate)
    person_origin, family_origin, source_family = load_name_origins(estate)
    wanted = {(g.source_system, g.record_id) for g in gold}
    records = [r for r in store.iter_records() if r.key in wanted]
    triples = []
    for start in range(0, len(records), batch_size):
        batch = records[start : start + batch_size]
        for record, result in zip(batch, pseudonymiser.pseudonymise_many(batch), strict=True):
            triples.append(
                (result, {"title": record.title, "text": record.text}, list(record.person_ids))
            )
    return score(triples, gold, person_origin, family_origin, source_family)


# --- Free-text sets (the development set's ``pii.jsonl`` format) -------------------------
#
# One JSON object a line: {"id", "name_origin", "style", "text", "spans": [{"start", "end",
# "type", "value"}], "keep": [{"start", "end", "value", "kind"}]}. Every span is a direct
# identifier of a private person; keep items are look-alikes that must survive. Scoring
# reads the values only to check offsets; nothing it returns carries them.

#: Where a redacted span is counted as an over-redaction when it touches no gold span.
FP_PER_WORDS = 1000


@dataclass(frozen=True)
class PiiItem:
    start: int
    end: int
    label: str  # span type or keep kind


@dataclass(frozen=True)
class PiiSentence:
    id: str
    name_origin: str
    style: str
    text: str
    spans: tuple[PiiItem, ...]
    keep: tuple[PiiItem, ...]


def load_pii_set(path: Path) -> list[PiiSentence]:
    """Read a free-text set; raises ``ValueError`` (line number, no values) if malformed."""
    sentences = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            text = d["text"]
            items = {}
            for key, label in (("spans", "type"), ("keep", "kind")):
                parsed = []
                for item in d.get(key, []):
                    start, end = int(item["start"]), int(item["end"])
                    if not 0 <= start < end <= len(text):
                        raise ValueError("offsets outside the text")
                    if "value" in item and text[start:end] != item["value"]:
                        raise ValueError("offsets do not match the value")
                    parsed.append(PiiItem(start, end, str(item[label])))
                items[key] = tuple(parsed)
            sentences.append(
                PiiSentence(
                    str(d["id"]),
                    str(d.get("name_origin", "unknown")),
                    str(d.get("style", "unknown")),
                    text,
                    items["spans"],
                    items["keep"],
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path}: line {number} is not a valid pii line ({exc})") from exc
    return sentences


def wilson_interval(hit: int, total: int, z: float = 1.96) -> tuple[float, float] | None:
    """95% Wilson score interval of ``hit/total`` (sensible at 0 and 1, unlike Wald)."""
    if total <= 0:
        return None
    p = hit / total
    denom = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denom
    half = z * ((p * (1 - p) / total + z * z / (4 * total * total)) ** 0.5) / denom
    return round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4)


def _rate_ci(rate: Rate) -> dict[str, Any]:
    return {**rate.as_dict(), "ci95": wilson_interval(rate.hit, rate.total)}


@dataclass
class FreeTextScores:
    sentences: int = 0
    words: int = 0
    recall: Rate = field(default_factory=Rate)
    person_recall: Rate = field(default_factory=Rate)
    recall_by_type: dict[str, Rate] = field(default_factory=lambda: defaultdict(Rate))
    recall_by_origin: dict[str, Rate] = field(default_factory=lambda: defaultdict(Rate))
    person_recall_by_origin: dict[str, Rate] = field(default_factory=lambda: defaultdict(Rate))
    recall_by_style: dict[str, Rate] = field(default_factory=lambda: defaultdict(Rate))
    keep: Rate = field(default_factory=Rate)
    keep_by_kind: dict[str, Rate] = field(default_factory=lambda: defaultdict(Rate))
    false_positives: int = 0
    false_positives_by_type: Counter[str] = field(default_factory=Counter)
    #: Per sentence: id, origin, style, missed span types/offsets, lost keep kinds/offsets.
    worst: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self, worst: int = 25) -> dict[str, Any]:
        def table(rates: dict[str, Rate]) -> dict[str, Any]:
            return {k: _rate_ci(rates[k]) for k in sorted(rates)}

        ranked = sorted(self.worst, key=lambda w: (-len(w["missed"]) * 2 - len(w["lost"]), w["id"]))
        return {
            "sentences": self.sentences,
            "words": self.words,
            "direct_identifier_recall": _rate_ci(self.recall),
            "person_recall": _rate_ci(self.person_recall),
            "recall_by_type": table(self.recall_by_type),
            "recall_by_name_origin": table(self.recall_by_origin),
            "recall_gap_points_by_name_origin": RedactionScores._gap(self.recall_by_origin),
            "person_recall_by_name_origin": table(self.person_recall_by_origin),
            "recall_by_style": table(self.recall_by_style),
            "recall_gap_points_by_style": RedactionScores._gap(self.recall_by_style),
            "keep_rate": _rate_ci(self.keep),
            "keep_rate_by_kind": table(self.keep_by_kind),
            "false_positives": self.false_positives,
            "false_positives_per_1000_words": (
                round(self.false_positives * FP_PER_WORDS / self.words, 2) if self.words else None
            ),
            "false_positives_by_type": dict(sorted(self.false_positives_by_type.items())),
            "worst": ranked[:worst],
        }


def score_free_text(
    sentences: Sequence[PiiSentence],
    redacted: Sequence[Sequence[tuple[int, int, str]]],
) -> FreeTextScores:
    """Score redactions (``(start, end, entity_type)`` per sentence) against a free-text set.

    A span is found when every letter and digit of it is redacted; a keep item is kept
    when none of its characters is; a redaction touching no gold span is a false positive.
    """
    scores = FreeTextScores()
    for sentence, found in zip(sentences, redacted, strict=True):
        scores.sentences += 1
        scores.words += len(sentence.text.split())
        ranges = [(s, e) for s, e, _ in found]
        missed: list[dict[str, Any]] = []
        for g in sentence.spans:
            span = GoldSpan("", sentence.id, "text", g.start, g.end, g.label, None)
            hit = _covered(span, sentence.text, ranges)
            for rate in (
                scores.recall,
                scores.recall_by_type[g.label],
                scores.recall_by_origin[sentence.name_origin],
                scores.recall_by_style[sentence.style],
            ):
                rate.total += 1
                rate.hit += hit
            if g.label == "PERSON":
                scores.person_recall.total += 1
                scores.person_recall.hit += hit
                scores.person_recall_by_origin[sentence.name_origin].total += 1
                scores.person_recall_by_origin[sentence.name_origin].hit += hit
            if not hit:
                missed.append({"type": g.label, "start": g.start, "end": g.end})
        lost: list[dict[str, Any]] = []
        for k in sentence.keep:
            kept = not any(s < k.end and k.start < e for s, e in ranges)
            for rate in (scores.keep, scores.keep_by_kind[k.label]):
                rate.total += 1
                rate.hit += kept
            if not kept:
                lost.append({"kind": k.label, "start": k.start, "end": k.end})
        for start, end, entity in found:
            if not any(g.start < end and start < g.end for g in sentence.spans):
                scores.false_positives += 1
                scores.false_positives_by_type[entity] += 1
        if missed or lost:
            scores.worst.append(
                {
                    "id": sentence.id,
                    "name_origin": sentence.name_origin,
                    "style": sentence.style,
                    "missed": missed,
                    "lost": lost,
                }
            )
    return scores


def evaluate_free_text(detector: Any, path: Path) -> FreeTextScores:
    """Redact every sentence of a free-text set with ``detector`` (no family knowledge,
    as ``caselens redact text`` does) and score it."""
    from redaction.entities import KEPT_ENTITIES

    sentences = load_pii_set(path)
    found = [
        [(s.start, s.end, s.entity_type) for s in spans if s.entity_type not in KEPT_ENTITIES]
        for spans in detector.detect_many([s.text for s in sentences])
    ]
    return score_free_text(sentences, found)
