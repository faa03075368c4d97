"""A reference Retriever over a generated synthetic estate, for tests and evals.

It pseudonymises each permitted record with the estate's gold PII spans (family members
become ``[Mother]``, ``[Child 1]`` …, everything else a typed placeholder), scopes every
search to the subject family and the principal's role exactly as the policy says, and
ranks by embedding similarity plus keyword overlap. It also offers the display-time
re-identifier the service needs. Production uses the Qdrant-backed search instead.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np

from assistant.contracts import RetrievalResult, RetrievedChunk
from assistant.embedder import TextEmbedder
from assistant.text import content_words
from retrieval.policy.model import InformationSharingPolicy

RecordKey = tuple[str, str]
_ROLE_LABELS = {"mothers partner": "Partner", "fathers partner": "Partner"}


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _when(value: str) -> date | datetime:
    return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)


@dataclass(frozen=True)
class IndexedRecord:
    chunk: RetrievedChunk
    family_id: str
    sensitivity: str
    policy_tags: tuple[str, ...]
    #: placeholder -> original text, for display-time re-identification only.
    originals: dict[str, str]


class EstateRetriever:
    """Implements ``assistant.contracts.Retriever`` over an estate folder."""

    def __init__(
        self,
        records: Sequence[IndexedRecord],
        embedder: TextEmbedder,
        policy: InformationSharingPolicy,
    ) -> None:
        self._records = list(records)
        self._policy = policy
        self._embedder = embedder
        self._by_family: dict[str, list[int]] = defaultdict(list)
        for i, rec in enumerate(self._records):
            self._by_family[rec.family_id].append(i)
        self._vectors = embedder.encode([r.chunk.text for r in self._records])
        self._words = [content_words(r.chunk.text) for r in self._records]

    @classmethod
    def from_estate(
        cls,
        estate_dir: Path,
        embedder: TextEmbedder,
        policy: InformationSharingPolicy,
        *,
        extra_records: Sequence[dict[str, Any]] = (),
    ) -> EstateRetriever:
        """Index every record the policy permits; ``extra_records`` are raw records to add."""
        estate_dir = Path(estate_dir)
        gold = estate_dir / "gold"
        persons = {p["true_person_id"]: p for p in _jsonl(gold / "persons.jsonl")}
        links = {(x["source_system"], x["person_id"]): x["true_person_id"]
                 for x in _jsonl(gold / "links.jsonl")}
        labels = _family_labels(persons)
        spans: dict[RecordKey, list[dict[str, Any]]] = defaultdict(list)
        for span in _jsonl(gold / "pii_spans.jsonl"):
            if span["field"] == "text":
                spans[(span["source_system"], span["record_id"])].append(span)
        raw = [r for f in sorted((estate_dir / "extracts").glob("*/records.jsonl"))
               for r in _jsonl(f)]
        raw.extend(extra_records)
        indexed: list[IndexedRecord] = []
        for record in raw:
            if not policy.permits_processing(record).permitted:
                continue  # never indexed, as ingest would do
            key = (record["source_system"], record["record_id"])
            people = [links.get((record["source_system"], p)) for p in record["person_ids"]]
            families = {persons[p]["family_id"] for p in people if p in persons}
            if not families:
                continue
            text, originals = _pseudonymise(record["text"], spans.get(key, []), labels)
            indexed.append(
                IndexedRecord(
                    chunk=RetrievedChunk(
                        chunk_id=f"{key[0]}:{key[1]}:0",
                        source_system=key[0],
                        record_id=key[1],
                        record_type=record["record_type"],
                        occurred_at=_when(record["occurred_at"]),
                        title=record.get("title", ""),
                        text=text,
                        source_url=record.get("source_url", ""),
                        author_role=(record.get("author") or {}).get("role"),
                        last_refreshed=_when(record["updated_at"])
                        if record.get("updated_at") else None,
                    ),
                    family_id=sorted(families)[0],
                    sensitivity=record.get("sensitivity", "standard"),
                    policy_tags=tuple(record.get("policy_tags") or ()),
                    originals=originals,
                )
            )
        return cls(indexed, embedder, policy)

    # --- Retriever -----------------------------------------------------------------------

    def retrieve(self, principal: Any, subject: str, query: str, k: int) -> RetrievalResult:
        """Top ``k`` chunks of the subject family the principal's role may see."""
        role = self._policy.role(principal.role)
        if role.caseload_scoped and subject not in principal.caseload_families:
            raise PermissionError("the subject is not on this user's caseload")
        in_scope = self._by_family.get(subject, [])
        visible = [i for i in in_scope if role.may_see(self._payload(i))]
        withheld = len(in_scope) - len(visible)
        searched = sorted(role.systems)
        if not visible:
            return RetrievalResult([], searched, withheld)
        q_vec = self._embedder.encode([query])[0]
        q_words = content_words(query)
        scores = np.array([
            float(self._vectors[i] @ q_vec) + 0.05 * len(q_words & self._words[i])
            for i in visible
        ])
        order = np.argsort(-scores)[:k]
        chunks = [
            _with_score(self._records[visible[j]].chunk, float(scores[j])) for j in order
        ]
        return RetrievalResult(chunks, searched, withheld)

    def _payload(self, i: int) -> dict[str, Any]:
        rec = self._records[i]
        return {
            "source_system": rec.chunk.source_system,
            "sensitivity": rec.sensitivity,
            "record_type": rec.chunk.record_type,
            "policy_tags": list(rec.policy_tags),
        }

    # --- display-time re-identification ---------------------------------------------------

    def reidentify(self, principal: Any, text: str, record_keys: Sequence[RecordKey]) -> str:
        """Real names back only from cited records the principal's role may see."""
        role = self._policy.role(principal.role)
        mapping: dict[str, str] = {}
        for i, rec in enumerate(self._records):
            key = (rec.chunk.source_system, rec.chunk.record_id)
            if key in record_keys and role.may_see(self._payload(i)):
                for placeholder, original in rec.originals.items():
                    mapping.setdefault(placeholder, original)
        if not mapping:
            return text
        pattern = re.compile("|".join(re.escape(p) for p in sorted(mapping, key=len,
                                                                    reverse=True)))
        return pattern.sub(lambda m: mapping[m.group(0)], text)

    def family_ids(self) -> list[str]:
        return sorted(self._by_family)

    def chunks_of(self, family_id: str) -> list[RetrievedChunk]:
        return [self._records[i].chunk for i in self._by_family.get(family_id, [])]


def _with_score(chunk: RetrievedChunk, score: float) -> RetrievedChunk:
    from dataclasses import replace

    return replace(chunk, score=score)


def _family_labels(persons: dict[str, dict[str, Any]]) -> dict[str, str]:
    """true person id -> ``[Mother]``, ``[Child 1]`` … (numbered within the family)."""
    labels: dict[str, str] = {}
    counters: dict[str, Counter[str]] = defaultdict(Counter)
    for pid in sorted(persons):
        person = persons[pid]
        role = str(person.get("family_role") or "person").replace("_", " ")
        base = _ROLE_LABELS.get(role, role.capitalize())
        if base in ("Child", "Sibling"):
            base = "Child"
        counters[person["family_id"]][base] += 1
        number = counters[person["family_id"]][base]
        labels[pid] = f"[{base} {number}]" if base == "Child" else (
            f"[{base}]" if number == 1 else f"[{base} {number}]")
    return labels


def _pseudonymise(
    text: str, spans: list[dict[str, Any]], labels: dict[str, str]
) -> tuple[str, dict[str, str]]:
    out: list[str] = []
    originals: dict[str, str] = {}
    typed: Counter[str] = Counter()
    seen_typed: dict[tuple[str, str], str] = {}
    cursor = 0
    for span in sorted(spans, key=lambda s: (s["start"], -s["end"])):
        if span["start"] < cursor:
            continue
        pid = span.get("true_person_id")
        if span["type"] == "PERSON" and pid in labels:
            placeholder = labels[pid]
        else:
            kind = str(span["type"]).replace("_", " ").capitalize()
            token = (kind, span["text"])
            if token not in seen_typed:
                typed[kind] += 1
                seen_typed[token] = f"[{kind} {typed[kind]}]"
            placeholder = seen_typed[token]
        originals.setdefault(placeholder, span["text"])
        out.append(text[cursor : span["start"]])
        out.append(placeholder)
        cursor = span["end"]
    out.append(text[cursor:])
    return "".join(out), originals


def visible_keys(retriever: EstateRetriever, principal: Any, family_id: str) -> set[RecordKey]:
    """Record keys of the family that are indexed and that the principal's role may see."""
    role = retriever._policy.role(principal.role)
    return {
        (retriever._records[i].chunk.source_system, retriever._records[i].chunk.record_id)
        for i in retriever._by_family.get(family_id, [])
        if role.may_see(retriever._payload(i))
    }
