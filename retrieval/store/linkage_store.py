"""Linked people, families and clerical review: the part of the case store linkage writes.

``replace_linkage`` stores a linkage result and derives the family network; the readers
answer who a person is linked to, which family they are in, every person row the store
holds for a family (redaction's roster, subjects search) and which records are about them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select, update

from retrieval.linkage.result import LinkageResult, PersonKey, ReviewDecision, ReviewPair
from retrieval.records import Person, SourceRecord
from retrieval.store.engine import StorePart
from retrieval.store.families import LinkedRelationship
from retrieval.store.network import LinkageSummary, write_linkage
from retrieval.store.rows import person_from_row, record_from_row
from retrieval.store.sql import (
    LINKED,
    LINKED_RELATIONSHIPS,
    MEMBERS,
    PEOPLE,
    RECORD_PEOPLE,
    RECORDS,
    REVIEW_PAIRS,
    by_system,
    chunks,
    one_value,
)

RecordKey = tuple[str, str]


@dataclass(frozen=True)
class Family:
    family_id: str
    members: list[str]
    relationships: list[LinkedRelationship]


@dataclass(frozen=True)
class FamilyPeople:
    """Everything the store knows about one family: each linked member's person rows."""

    family_id: str
    members: dict[str, list[Person]]
    relationships: list[LinkedRelationship] = field(default_factory=list)


class LinkageStore(StorePart):
    """Linkage results, the family network and clerical-review pairs."""

    def replace_linkage(self, result: LinkageResult) -> LinkageSummary:
        """Store a linkage result in place of the previous one, in one transaction.

        Derives the linked relationships (family ties) and family ids from the people's
        recorded relationships. Pending review pairs are replaced by the new ones.
        """
        with self._engine.begin() as conn:
            return write_linkage(conn, result)

    # --- who is linked to whom -----------------------------------------------------------

    def linked_person_of(self, source_system: str, person_id: str) -> str | None:
        with self._engine.connect() as conn:
            found: str | None = one_value(
                conn, MEMBERS, "linked_person_id", source_system, "person_id", person_id
            )
        return found

    def linked_ids_of(self, source_system: str, person_ids: Iterable[str]) -> dict[str, str]:
        """person_id -> linked person id, for those of ``person_ids`` that are linked."""
        ids = sorted(set(person_ids))
        found: dict[str, str] = {}
        with self._engine.connect() as conn:
            for chunk in chunks(ids):
                query = select(MEMBERS.c.person_id, MEMBERS.c.linked_person_id).where(
                    MEMBERS.c.source_system == source_system, MEMBERS.c.person_id.in_(chunk)
                )
                found.update({a: b for a, b in conn.execute(query)})
        return found

    def members_of(self, linked_person_id: str) -> list[PersonKey]:
        query = (
            select(MEMBERS.c.source_system, MEMBERS.c.person_id)
            .where(MEMBERS.c.linked_person_id == linked_person_id)
            .order_by(MEMBERS.c.source_system, MEMBERS.c.person_id)
        )
        with self._engine.connect() as conn:
            return [PersonKey(s, p) for s, p in conn.execute(query)]

    # --- families ------------------------------------------------------------------------

    def family_ids(self, limit: int) -> list[str]:
        """The first ``limit`` family ids, in order (each once)."""
        query = (
            select(LINKED.c.family_id)
            .where(LINKED.c.family_id.is_not(None))
            .distinct()
            .order_by(LINKED.c.family_id)
            .limit(limit)
        )
        with self._engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def family_id_of(self, linked_person_id: str) -> str | None:
        """The family id of a linked person (None if not linked or in no family)."""
        query = select(LINKED.c.family_id).where(LINKED.c.linked_person_id == linked_person_id)
        with self._engine.connect() as conn:
            return conn.execute(query).scalar_one_or_none()

    def family_ids_of(self, linked_ids: Iterable[str]) -> dict[str, str | None]:
        ids = sorted(set(linked_ids))
        found: dict[str, str | None] = {}
        with self._engine.connect() as conn:
            for chunk in chunks(ids):
                query = select(LINKED.c.linked_person_id, LINKED.c.family_id).where(
                    LINKED.c.linked_person_id.in_(chunk)
                )
                found.update({a: b for a, b in conn.execute(query)})
        return found

    def family_of(self, linked_person_id: str) -> Family | None:
        """The linked person's family network: members and ties; None if not linked."""
        with self._engine.connect() as conn:
            family_id = conn.execute(
                select(LINKED.c.family_id).where(LINKED.c.linked_person_id == linked_person_id)
            ).scalar_one_or_none()
            if family_id is None:
                return None
            members = _family_members(conn, family_id)
            ties = _ties(conn, members)
        return Family(family_id=family_id, members=members, relationships=ties)

    def family_people(self, family_id: str) -> FamilyPeople:
        """Every member of a family with all their source-system person rows, and the ties."""
        with self._engine.connect() as conn:
            linked = _family_members(conn, family_id)
            members: dict[str, list[Person]] = {lp: [] for lp in linked}
            for chunk in chunks(linked):
                query = (
                    select(MEMBERS.c.linked_person_id, PEOPLE.c.original)
                    .join(
                        PEOPLE,
                        (PEOPLE.c.source_system == MEMBERS.c.source_system)
                        & (PEOPLE.c.person_id == MEMBERS.c.person_id),
                    )
                    .where(MEMBERS.c.linked_person_id.in_(chunk))
                    .order_by(MEMBERS.c.source_system, MEMBERS.c.person_id)
                )
                for linked_id, original in conn.execute(query):
                    members[linked_id].append(person_from_row(original))
            ties = _ties(conn, linked)
        return FamilyPeople(family_id=family_id, members=members, relationships=ties)

    # --- records about a linked person ---------------------------------------------------

    def record_keys_for_linked_person(self, linked_person_id: str) -> list[RecordKey]:
        """Keys of every record about any member of the linked person, oldest first."""
        about_member = (
            select(RECORD_PEOPLE.c.record_id)
            .join(
                MEMBERS,
                (MEMBERS.c.source_system == RECORD_PEOPLE.c.source_system)
                & (MEMBERS.c.person_id == RECORD_PEOPLE.c.person_id),
            )
            .where(
                MEMBERS.c.linked_person_id == linked_person_id,
                RECORD_PEOPLE.c.source_system == RECORDS.c.source_system,
                RECORD_PEOPLE.c.record_id == RECORDS.c.record_id,
            )
        )
        query = (
            select(RECORDS.c.source_system, RECORDS.c.record_id)
            .where(about_member.exists())
            .order_by(RECORDS.c.occurred_at, RECORDS.c.source_system, RECORDS.c.record_id)
        )
        with self._engine.connect() as conn:
            return [(s, r) for s, r in conn.execute(query)]

    def records_for_linked_person(self, linked_person_id: str) -> list[SourceRecord]:
        """Every record about the linked person, oldest first (role scoping happens later)."""
        keys = self.record_keys_for_linked_person(linked_person_id)
        found: dict[RecordKey, SourceRecord] = {}
        with self._engine.connect() as conn:
            for system, ids in by_system(keys).items():
                for chunk in chunks(ids):
                    query = select(RECORDS.c.original).where(
                        RECORDS.c.source_system == system, RECORDS.c.record_id.in_(chunk)
                    )
                    for original in conn.execute(query).scalars():
                        record = record_from_row(original)
                        found[record.key] = record
        return [found[k] for k in keys if k in found]

    # --- clerical review -----------------------------------------------------------------

    def review_pairs(self, status: str = "pending") -> list[ReviewPair]:
        """Pairs waiting for (or given) a clerical decision, most probable first."""
        query = (
            select(REVIEW_PAIRS)
            .where(REVIEW_PAIRS.c.status == status)
            .order_by(REVIEW_PAIRS.c.probability.desc(), REVIEW_PAIRS.c.id)
        )
        with self._engine.connect() as conn:
            return [_review_pair(r) for r in conn.execute(query)]

    def review_pair(self, review_id: int) -> ReviewPair | None:
        query = select(REVIEW_PAIRS).where(REVIEW_PAIRS.c.id == review_id)
        with self._engine.connect() as conn:
            row = conn.execute(query).first()
        return _review_pair(row) if row is not None else None

    def decide_review(self, review_id: int, accept: bool) -> ReviewPair | None:
        """Record a clerical decision (``accepted`` / ``rejected``) on a stored pair.

        The decision is kept across linkage runs (``write_linkage`` replaces only pending
        pairs) and feeds the next run through ``review_decisions``. A decision may be
        changed by deciding again. Returns the pair as decided, or None if there is no such
        pair. The caller writes the audit entry.
        """
        status = "accepted" if accept else "rejected"
        with self._engine.begin() as conn:
            found = conn.execute(
                update(REVIEW_PAIRS).where(REVIEW_PAIRS.c.id == review_id).values(status=status)
            )
            if not found.rowcount:
                return None
        return self.review_pair(review_id)

    def review_decisions(self) -> list[ReviewDecision]:
        """Every clerical decision so far, for the next linkage run."""
        query = select(REVIEW_PAIRS).where(REVIEW_PAIRS.c.status.in_(("accepted", "rejected")))
        with self._engine.connect() as conn:
            return [
                ReviewDecision(
                    PersonKey(r.left_system, r.left_person_id),
                    PersonKey(r.right_system, r.right_person_id),
                    accept=r.status == "accepted",
                )
                for r in conn.execute(query.order_by(REVIEW_PAIRS.c.id))
            ]


def _family_members(conn: Connection, family_id: str) -> list[str]:
    query = (
        select(LINKED.c.linked_person_id)
        .where(LINKED.c.family_id == family_id)
        .order_by(LINKED.c.linked_person_id)
    )
    return list(conn.execute(query).scalars())


def _ties(conn: Connection, linked_ids: Sequence[str]) -> list[LinkedRelationship]:
    """The family ties from each of ``linked_ids``, sorted."""
    query = select(
        LINKED_RELATIONSHIPS.c.linked_person_id,
        LINKED_RELATIONSHIPS.c.related_linked_person_id,
        LINKED_RELATIONSHIPS.c.type,
        LINKED_RELATIONSHIPS.c.evidence_count,
    )
    return sorted(
        LinkedRelationship(a, b, t, n)
        for chunk in chunks(linked_ids)
        for a, b, t, n in conn.execute(
            query.where(LINKED_RELATIONSHIPS.c.linked_person_id.in_(chunk))
        )
    )


def _review_pair(row: Any) -> ReviewPair:
    return ReviewPair(
        left=PersonKey(row.left_system, row.left_person_id),
        right=PersonKey(row.right_system, row.right_person_id),
        probability=row.probability,
        evidence=row.evidence,
        review_id=int(row.id),
        status=row.status,
    )
