"""What the store knows about the people a record is about, built once per family.

A record's source-system person ids lead to linked people and their families; every
member's person rows from every system become the family roster (pseudonyms) and its
known-mention matcher. Records whose people were never linked (``caselens link`` not run
yet) fall back to the record's own person rows and the people they name as relatives in
the same system, so nothing the store knows is left out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from redaction.known_mentions import KnownMatcher, build_matcher
from redaction.placeholders import PlaceholderKeyer, PlaceholderRegistry
from redaction.roster import Roster, build_roster
from retrieval.records import Person, SourceRecord
from retrieval.store.families import LinkedRelationship
from retrieval.store.redaction_store import FamilyPeople, PlaceholderEntry


class FamilyKnowledge(Protocol):
    """The case-store methods redaction reads (``CaseStore`` implements them)."""

    def linked_ids_of(self, source_system: str, person_ids: Iterable[str]) -> dict[str, str]: ...

    def family_ids_of(self, linked_ids: Iterable[str]) -> dict[str, str | None]: ...

    def family_people(self, family_id: str) -> FamilyPeople: ...

    def get_person(self, source_system: str, person_id: str) -> Person | None: ...

    def placeholders_of(self, family_key: str) -> list[PlaceholderEntry]: ...


@dataclass
class FamilyContext:
    """One family's roster, matcher and placeholder registry (shared by its records)."""

    family_key: str
    roster: Roster
    matcher: KnownMatcher
    registry: PlaceholderRegistry


@dataclass(frozen=True)
class RecordContext:
    family: FamilyContext
    linked_person_ids: tuple[str, ...]
    family_ids: tuple[str, ...]
    key_id: str = ""

    @property
    def context_hash(self) -> str:
        """Changes when the family knowledge or the vault key changes."""
        raw = f"{self.family.roster.fingerprint}:{self.key_id}"
        return hashlib.sha256(raw.encode("ascii")).hexdigest()


class ContextBuilder:
    """Caches family contexts for one redaction run (families change only between runs)."""

    def __init__(
        self, knowledge: FamilyKnowledge, keyer: PlaceholderKeyer, today: date | None = None
    ) -> None:
        self._knowledge = knowledge
        self._keyer = keyer
        self._today = today
        self._families: dict[str, FamilyContext] = {}

    def for_record(self, record: SourceRecord) -> RecordContext:
        return self.for_records([record])[0]

    def for_records(self, records: Sequence[SourceRecord]) -> list[RecordContext]:
        """Contexts of many records with two store lookups per source system (not per
        record); the same contexts ``for_record`` gives one by one."""
        wanted: dict[str, set[str]] = {}
        for record in records:
            wanted.setdefault(record.source_system, set()).update(record.person_ids)
        linked_by_system = {
            system: self._knowledge.linked_ids_of(system, sorted(ids)) if ids else {}
            for system, ids in wanted.items()
        }
        all_linked = {lid for linked in linked_by_system.values() for lid in linked.values()}
        family_of = self._knowledge.family_ids_of(sorted(all_linked)) if all_linked else {}
        return [
            self._context(record, linked_by_system[record.source_system], family_of)
            for record in records
        ]

    def _context(
        self, record: SourceRecord, linked: dict[str, str], family_of: dict[str, str | None]
    ) -> RecordContext:
        linked_ids = tuple(dict.fromkeys(linked[p] for p in record.person_ids if p in linked))
        family_ids = tuple(sorted({f for lid in linked_ids if (f := family_of.get(lid))}))
        if family_ids:
            key = "+".join(family_ids)
            if key not in self._families:
                self._families[key] = self._linked_family(key, family_ids)
        else:
            key = self._unlinked_key(record)
            if key not in self._families:
                self._families[key] = self._unlinked_family(key, record)
        return RecordContext(self._families[key], linked_ids, family_ids, self._keyer.key_id)

    def _make(
        self,
        key: str,
        members: dict[str, list[Person]],
        ties: list[LinkedRelationship],
    ) -> FamilyContext:
        roster = build_roster(key, members, ties, today=self._today)
        registry = PlaceholderRegistry(key, self._keyer, self._knowledge.placeholders_of(key))
        return FamilyContext(key, roster, build_matcher(roster), registry)

    def _linked_family(self, key: str, family_ids: tuple[str, ...]) -> FamilyContext:
        members: dict[str, list[Person]] = {}
        ties: list[LinkedRelationship] = []
        for family_id in family_ids:
            people = self._knowledge.family_people(family_id)
            members.update(people.members)
            ties.extend(people.relationships)
        return self._make(key, members, ties)

    @staticmethod
    def _unlinked_key(record: SourceRecord) -> str:
        ids = ",".join(sorted(set(record.person_ids)))
        digest = hashlib.sha256(f"{record.source_system}:{ids}".encode()).hexdigest()[:16]
        return f"UNLINKED-{digest}"

    def _unlinked_family(self, key: str, record: SourceRecord) -> FamilyContext:
        system = record.source_system
        members: dict[str, list[Person]] = {}
        ties: list[LinkedRelationship] = []
        for person_id in record.person_ids:
            person = self._knowledge.get_person(system, person_id)
            if person is None:
                continue
            members[f"{system}:{person_id}"] = [person]
            for rel in person.relationships:
                related = self._knowledge.get_person(system, rel.person_id)
                if related is None:
                    continue
                members.setdefault(f"{system}:{rel.person_id}", [related])
        # Every tie the system records between these people (incl. a sibling's "mother").
        for member_id, persons in list(members.items()):
            for rel in persons[0].relationships:
                other = f"{system}:{rel.person_id}"
                if other in members:
                    ties.append(LinkedRelationship(member_id, other, rel.type))
        return self._make(key, members, sorted(set(ties)))
