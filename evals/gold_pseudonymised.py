"""A PseudonymisedSource over a synthetic estate, de-identified with its gold PII spans.

Each gold span is replaced by a typed placeholder (``[PERSON]``, ``[POSTCODE]`` …) and
people are linked by the gold links (``LP-<true person id>``, family ``FAM-…``). It is
a fast, exact test and eval corpus for the index; production uses the case store.
Records the policy does not permit for processing are left out, as ingest would.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from retrieval.jsonl import jsonl_rows
from retrieval.policy.model import InformationSharingPolicy
from retrieval.pseudonymised import PseudonymisedRecord, RecordKey


def gold_linked_id(true_person_id: str) -> str:
    return f"LP-{true_person_id}"


def _redact(text: str, spans: list[dict[str, Any]]) -> str:
    out, cursor = [], 0
    for span in sorted(spans, key=lambda s: (s["start"], -s["end"])):
        if span["start"] < cursor:
            continue  # nested / overlapping: already covered
        out.append(text[cursor : span["start"]])
        out.append(f"[{span['type']}]")
        cursor = span["end"]
    out.append(text[cursor:])
    return "".join(out)


def _when(value: str) -> date | datetime:
    return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)


class StaticSource:
    """An in-memory PseudonymisedSource whose records tests can replace or remove."""

    def __init__(self, records: Iterable[PseudonymisedRecord]) -> None:
        self.records: dict[RecordKey, PseudonymisedRecord] = {r.key: r for r in records}

    def iter_pseudonymised(self) -> Iterator[PseudonymisedRecord]:
        yield from self.records.values()

    def pseudonymised_keys(self) -> dict[RecordKey, str]:
        return {k: r.source_hash for k, r in self.records.items()}

    def pseudonymised_records(self, keys: Iterable[RecordKey]) -> list[PseudonymisedRecord]:
        return [self.records[k] for k in dict.fromkeys(keys) if k in self.records]

    def remove(self, key: RecordKey) -> None:
        del self.records[key]

    def put(self, record: PseudonymisedRecord) -> None:
        self.records[record.key] = record

    def edit_text(self, key: RecordKey, text: str) -> PseudonymisedRecord:
        """Replace a record's text (a new version: new source hash)."""
        new_hash = hashlib.sha256(f"{key}{text}".encode()).hexdigest()
        record = replace(self.records[key], text=text, source_hash=new_hash)
        self.records[key] = record
        return record


def load_gold_source(estate_dir: Path, policy: InformationSharingPolicy) -> StaticSource:
    """De-identify every permitted record of the estate at ``estate_dir``."""
    estate_dir = Path(estate_dir)
    gold = estate_dir / "gold"
    true_of = {
        (row["source_system"], row["person_id"]): row["true_person_id"]
        for row in jsonl_rows(gold / "links.jsonl")
    }
    family_of = {
        row["true_person_id"]: row["family_id"] for row in jsonl_rows(gold / "persons.jsonl")
    }
    spans: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for span in jsonl_rows(gold / "pii_spans.jsonl"):
        spans[(span["source_system"], span["record_id"], span["field"])].append(span)
    records = []
    for path in sorted((estate_dir / "extracts").glob("*/records.jsonl")):
        for raw in jsonl_rows(path):
            if not policy.permits_processing(raw).permitted:
                continue
            system, rid = raw["source_system"], raw["record_id"]
            linked = sorted(
                {true_of[(system, p)] for p in raw.get("person_ids", []) if (system, p) in true_of}
            )
            records.append(
                PseudonymisedRecord(
                    source_system=system,
                    record_id=rid,
                    record_type=raw["record_type"],
                    occurred_at=_when(raw["occurred_at"]),
                    recorded_at=datetime.fromisoformat(raw["recorded_at"]),
                    sensitivity=raw.get("sensitivity", "standard"),
                    title=_redact(raw.get("title") or "", spans[(system, rid, "title")]),
                    text=_redact(raw.get("text") or "", spans[(system, rid, "text")]),
                    source_url=raw.get("source_url", ""),
                    author_role=(raw.get("author") or {}).get("role"),
                    policy_tags=tuple(raw.get("policy_tags") or ()),
                    linked_person_ids=tuple(gold_linked_id(t) for t in linked),
                    family_ids=tuple(sorted({family_of[t] for t in linked if t in family_of})),
                    source_hash=hashlib.sha256(
                        json.dumps(raw, sort_keys=True).encode()
                    ).hexdigest(),
                )
            )
    return StaticSource(records)
