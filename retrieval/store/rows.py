"""Turn contract models into table rows and back, with a content hash for change detection.

``original`` is the validated model dumped to JSON, unknown fields included, so a stored
record round-trips to an equal ``SourceRecord`` / ``Person``.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from retrieval.records import Person, SourceRecord
from retrieval.store.types import to_utc


def content_hash(document: dict[str, Any]) -> str:
    """SHA-256 of canonical JSON: equal content gives an equal hash, any change a new one."""
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def record_values(record: SourceRecord) -> dict[str, Any]:
    original = record.model_dump(mode="json")
    return {
        "source_system": record.source_system,
        "record_id": record.record_id,
        "record_type": record.record_type,
        "occurred_at": to_utc(record.occurred_at),
        "recorded_at": to_utc(record.recorded_at),
        "sensitivity": record.sensitivity,
        "title": record.title,
        "text": record.text,
        "author": record.author.model_dump(mode="json"),
        "person_ids": list(record.person_ids),
        "source_url": record.source_url,
        "version": record.version,
        "updated_at": to_utc(record.updated_at) if record.updated_at else None,
        "policy_tags": list(record.policy_tags),
        "content_hash": content_hash(original),
        "original": original,
    }


def person_values(person: Person) -> dict[str, Any]:
    original = person.model_dump(mode="json")
    return {
        "source_system": person.source_system,
        "person_id": person.person_id,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "known_as": list(person.known_as),
        "dob": person.dob,
        "gender": person.gender,
        "ethnicity": person.ethnicity,
        "language": person.language,
        "address": person.address.model_dump(mode="json") if person.address else None,
        "identifiers": person.identifiers.model_dump(mode="json"),
        "content_hash": content_hash(original),
        "original": original,
    }


def record_from_row(original: dict[str, Any]) -> SourceRecord:
    return SourceRecord.model_validate(original)


def person_from_row(original: dict[str, Any]) -> Person:
    return Person.model_validate(original)
