"""The contract between redaction and the index: pseudonymised records only.

The index (chunking, embedding, Qdrant payloads) reads records through this Protocol and
never sees a source record's raw text. The case store implements it from the table that
redaction fills; tests may implement it over any pseudonymised corpus.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

RecordKey = tuple[str, str]  # (source_system, record_id)


@dataclass(frozen=True)
class PseudonymisedRecord:
    """A permitted record, redacted, with the metadata filters and citations need."""

    source_system: str
    record_id: str
    record_type: str
    occurred_at: date | datetime
    recorded_at: datetime
    sensitivity: str
    #: Pseudonymised title and text: people as ``[Child 1]``/``[Mother]``, others typed.
    title: str
    text: str
    source_url: str
    #: Role of the author (e.g. "Social Worker"); the author's name is never here.
    author_role: str | None = None
    policy_tags: tuple[str, ...] = ()
    #: Linked person ids (after record linkage) the record is about, and their families.
    linked_person_ids: tuple[str, ...] = ()
    family_ids: tuple[str, ...] = ()
    #: Hash of the source record content this redaction was made from (staleness check).
    source_hash: str = ""
    #: When caselens pseudonymised it for search (set when read back from the store; not
    #: part of what the record is, so not compared).
    prepared_at: datetime | None = field(default=None, compare=False)
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> RecordKey:
        return (self.source_system, self.record_id)


class PseudonymisedSource(Protocol):
    """Where the index gets its text from (the case store in production)."""

    def iter_pseudonymised(self) -> Iterator[PseudonymisedRecord]:
        """Every pseudonymised, permitted record."""
        ...

    def pseudonymised_keys(self) -> dict[RecordKey, str]:
        """Key -> source_hash of every pseudonymised record (for incremental index sync)."""
        ...
