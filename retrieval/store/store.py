"""The case store repository: source records, people, linkage, families and ingest runs.

Callers get contract models (``SourceRecord``, ``Person``, ``PersonKey``) and small
dataclasses, never ORM rows. Every public write is one transaction, so a batch is either
stored whole or not at all; that is what makes an interrupted ingest safe to re-run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Table, func, insert, select, update

from retrieval.linkage.result import LinkageResult, PersonKey, ReviewDecision, ReviewPair
from retrieval.records import Person, SourceRecord
from retrieval.store.engine import database_lock, make_engine, upgrade_to_head
from retrieval.store.families import LinkedRelationship
from retrieval.store.network import (
    LinkageSummary,
    rebuild_family_network,
    refresh_linked_people,
    write_linkage,
)
from retrieval.store.redaction_store import RedactionStoreMixin
from retrieval.store.rows import person_from_row, person_values, record_from_row, record_values
from retrieval.store.sql import (
    INGEST_RUNS,
    LINKED,
    LINKED_RELATIONSHIPS,
    MEMBERS,
    PEOPLE,
    RECORD_PEOPLE,
    RECORDS,
    RELATIONSHIPS,
    REVIEW_PAIRS,
    Outcome,
    as_key,
    by_system,
    chunks,
    delete_keys,
    upsert,
)
from retrieval.store.types import utc_now

RecordKey = tuple[str, str]
_PAGE = 1000


@dataclass(frozen=True)
class Family:
    family_id: str
    members: list[str]
    relationships: list[LinkedRelationship]


@dataclass(frozen=True)
class IngestRun:
    run_id: int
    started_at: datetime
    finished_at: datetime | None
    status: str
    source: str
    counts: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


def _record_people(value: dict[str, Any]) -> list[dict[str, Any]]:
    system, record_id = value["source_system"], value["record_id"]
    return [
        {"source_system": system, "record_id": record_id, "person_id": pid}
        for pid in dict.fromkeys(value["person_ids"])
    ]


def _relationships(value: dict[str, Any]) -> list[dict[str, Any]]:
    unique = {(r["person_id"], r["type"]) for r in value["original"]["relationships"]}
    return [
        {
            "source_system": value["source_system"],
            "person_id": value["person_id"],
            "related_person_id": related,
            "type": rel_type,
        }
        for related, rel_type in sorted(unique)
    ]


class CaseStore(RedactionStoreMixin):
    """Repository over the case store database. Build it with ``CaseStore.open(url)``."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @classmethod
    def open(cls, url: str) -> CaseStore:
        """Connect and bring the schema to the latest migration (creates it if new)."""
        engine = make_engine(url)
        upgrade_to_head(engine)
        return cls(engine)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, for later components that add their own tables (vault, audit)."""
        return self._engine

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> CaseStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- source records ------------------------------------------------------------------

    def upsert_records(self, batch: Sequence[SourceRecord]) -> list[Outcome]:
        """Insert new, update changed, touch unchanged records; one outcome per input record.

        A key repeated within the batch counts once per occurrence: the later copy wins.
        """
        values = [record_values(r) for r in batch]
        with self._engine.begin() as conn:
            return upsert(conn, RECORDS, "record_id", values, RECORD_PEOPLE, _record_people)

    def delete_records(self, keys: Iterable[RecordKey]) -> int:
        """Delete records (and their person index rows); returns how many existed."""
        keys = list(keys)
        with self._engine.begin() as conn:
            delete_keys(conn, RECORD_PEOPLE, "record_id", keys)
            return delete_keys(conn, RECORDS, "record_id", keys)

    def record_versions(
        self, keys: Iterable[RecordKey]
    ) -> dict[RecordKey, tuple[int | None, datetime | None]]:
        """(version, updated_at) of each stored record among ``keys``."""
        found: dict[RecordKey, tuple[int | None, datetime | None]] = {}
        columns = (RECORDS.c.record_id, RECORDS.c.version, RECORDS.c.updated_at)
        with self._engine.connect() as conn:
            for system, ids in by_system(keys).items():
                for chunk in chunks(ids):
                    query = select(*columns).where(
                        RECORDS.c.source_system == system, RECORDS.c.record_id.in_(chunk)
                    )
                    for rid, version, updated_at in conn.execute(query):
                        found[(system, rid)] = (version, updated_at)
        return found

    def record_keys(self, source_system: str) -> set[RecordKey]:
        """Keys (system, record_id) of every stored record of one system."""
        query = select(RECORDS.c.record_id).where(RECORDS.c.source_system == source_system)
        with self._engine.connect() as conn:
            return {(source_system, rid) for rid in conn.execute(query).scalars()}

    def get_record(self, source_system: str, record_id: str) -> SourceRecord | None:
        original = self._scalar(RECORDS, "original", source_system, "record_id", record_id)
        return record_from_row(original) if original is not None else None

    def last_refreshed(self, source_system: str, record_id: str) -> datetime | None:
        """When ingest last saw this record in its source (shown with citations)."""
        return self._scalar(RECORDS, "last_refreshed_at", source_system, "record_id", record_id)

    def count_records(
        self,
        source_system: str | None = None,
        record_type: str | None = None,
        sensitivity: str | None = None,
    ) -> int:
        query = select(func.count()).select_from(RECORDS)
        for column, value in (
            ("source_system", source_system),
            ("record_type", record_type),
            ("sensitivity", sensitivity),
        ):
            if value is not None:
                query = query.where(RECORDS.c[column] == value)
        with self._engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def iter_records(self, source_system: str | None = None) -> Iterator[SourceRecord]:
        """Every stored record, in insertion order, read page by page (short transactions)."""
        for original in self._pages(RECORDS, source_system):
            yield record_from_row(original)

    # --- people ----------------------------------------------------------------------------

    def upsert_people(self, batch: Sequence[Person]) -> list[Outcome]:
        """Insert new, update changed, touch unchanged people; one outcome per input person.

        The derived family network is refreshed by the next ``replace_linkage`` (run
        ``caselens link`` after ingest), not here.
        """
        values = [person_values(p) for p in batch]
        with self._engine.begin() as conn:
            return upsert(conn, PEOPLE, "person_id", values, RELATIONSHIPS, _relationships)

    def delete_people(self, keys: Iterable[PersonKey | tuple[str, str]]) -> int:
        """Delete people everywhere: their rows, relationships and linkage membership.

        Linked people left without members disappear and the family network is re-derived.
        """
        pairs = [as_key(k) for k in keys]
        with self._engine.begin() as conn:
            delete_keys(conn, RELATIONSHIPS, "person_id", pairs)
            deleted = delete_keys(conn, PEOPLE, "person_id", pairs)
            if delete_keys(conn, MEMBERS, "person_id", pairs):
                refresh_linked_people(conn)
                rebuild_family_network(conn)
        return deleted

    def person_keys(self, source_system: str) -> set[tuple[str, str]]:
        """Keys (system, person_id) of every stored person of one system."""
        query = select(PEOPLE.c.person_id).where(PEOPLE.c.source_system == source_system)
        with self._engine.connect() as conn:
            return {(source_system, pid) for pid in conn.execute(query).scalars()}

    def get_person(self, source_system: str, person_id: str) -> Person | None:
        original = self._scalar(PEOPLE, "original", source_system, "person_id", person_id)
        return person_from_row(original) if original is not None else None

    def count_people(self, source_system: str | None = None) -> int:
        query = select(func.count()).select_from(PEOPLE)
        if source_system is not None:
            query = query.where(PEOPLE.c.source_system == source_system)
        with self._engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def iter_people(self, source_system: str | None = None) -> Iterator[Person]:
        """Every stored person (the input of record linkage), read page by page."""
        for original in self._pages(PEOPLE, source_system):
            yield person_from_row(original)

    # --- linkage and families --------------------------------------------------------------

    def replace_linkage(self, result: LinkageResult) -> LinkageSummary:
        """Store a linkage result in place of the previous one, in one transaction.

        Derives the linked relationships (family ties) and family ids from the people's
        recorded relationships. Pending review pairs are replaced by the new ones.
        """
        with self._engine.begin() as conn:
            return write_linkage(conn, result)

    def linked_person_of(self, source_system: str, person_id: str) -> str | None:
        return self._scalar(MEMBERS, "linked_person_id", source_system, "person_id", person_id)

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

    def members_of(self, linked_person_id: str) -> list[PersonKey]:
        query = (
            select(MEMBERS.c.source_system, MEMBERS.c.person_id)
            .where(MEMBERS.c.linked_person_id == linked_person_id)
            .order_by(MEMBERS.c.source_system, MEMBERS.c.person_id)
        )
        with self._engine.connect() as conn:
            return [PersonKey(s, p) for s, p in conn.execute(query)]

    def family_of(self, linked_person_id: str) -> Family | None:
        """The linked person's family network: members and ties; None if not linked."""
        ties_query = select(
            LINKED_RELATIONSHIPS.c.linked_person_id,
            LINKED_RELATIONSHIPS.c.related_linked_person_id,
            LINKED_RELATIONSHIPS.c.type,
            LINKED_RELATIONSHIPS.c.evidence_count,
        )
        with self._engine.connect() as conn:
            family_id = conn.execute(
                select(LINKED.c.family_id).where(LINKED.c.linked_person_id == linked_person_id)
            ).scalar_one_or_none()
            if family_id is None:
                return None
            members = list(
                conn.execute(
                    select(LINKED.c.linked_person_id)
                    .where(LINKED.c.family_id == family_id)
                    .order_by(LINKED.c.linked_person_id)
                ).scalars()
            )
            ties = sorted(
                LinkedRelationship(a, b, t, n)
                for chunk in chunks(members)
                for a, b, t, n in conn.execute(
                    ties_query.where(LINKED_RELATIONSHIPS.c.linked_person_id.in_(chunk))
                )
            )
        return Family(family_id=family_id, members=members, relationships=ties)

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

    # --- ingest runs ----------------------------------------------------------------------

    def ingest_lock(
        self, on_wait: Callable[[], None] | None = None
    ) -> AbstractContextManager[None]:
        """The store-wide ingest lock: one ingest at a time (``on_wait`` is called once if
        another process holds it). Released by the OS or server if the holder dies."""
        return database_lock(self._engine, "ingest", on_wait)

    def close_stale_runs(self) -> int:
        """Mark every run still ``running`` as ``abandoned``; returns how many.

        Call it only while holding ``ingest_lock``: then no other ingest is alive, so such a
        run's process was killed before it could close it.
        """
        message = "the run stopped without finishing (process killed?); closed by the next ingest"
        with self._engine.begin() as conn:
            result = conn.execute(
                update(INGEST_RUNS)
                .where(INGEST_RUNS.c.status == "running")
                .values(finished_at=utc_now(), status="abandoned", error=message)
            )
            return int(result.rowcount or 0)

    def start_run(self, source: str) -> int:
        """Record that an ingest run started; returns its id. ``source`` is a folder path."""
        with self._engine.begin() as conn:
            result = conn.execute(
                insert(INGEST_RUNS).values(
                    started_at=utc_now(), status="running", source=source[:1024], counts={}
                )
            )
            return int(result.inserted_primary_key[0])  # type: ignore[index]

    def finish_run(
        self, run_id: int, status: str, counts: dict[str, Any], error: str | None = None
    ) -> None:
        """Close a run with its final status (succeeded | failed | interrupted) and counts."""
        with self._engine.begin() as conn:
            result = conn.execute(
                update(INGEST_RUNS)
                .where(INGEST_RUNS.c.id == run_id)
                .values(finished_at=utc_now(), status=status, counts=counts, error=error)
            )
            if not result.rowcount:
                raise KeyError(f"no ingest run with id {run_id}")

    def get_run(self, run_id: int) -> IngestRun | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(INGEST_RUNS).where(INGEST_RUNS.c.id == run_id)).one_or_none()
        if row is None:
            return None
        return IngestRun(
            run_id=row.id,
            started_at=row.started_at,
            finished_at=row.finished_at,
            status=row.status,
            source=row.source,
            counts=dict(row.counts or {}),
            error=row.error,
        )

    def list_runs(self, limit: int = 20) -> list[IngestRun]:
        """The most recent ingest runs, newest first."""
        with self._engine.connect() as conn:
            run_ids = list(
                conn.execute(
                    select(INGEST_RUNS.c.id).order_by(INGEST_RUNS.c.id.desc()).limit(limit)
                ).scalars()
            )
        return [run for rid in run_ids if (run := self.get_run(rid)) is not None]

    # --- internals -------------------------------------------------------------------------

    def _scalar(self, table: Table, column: str, system: str, id_column: str, ident: str) -> Any:
        query = select(table.c[column]).where(
            table.c.source_system == system, table.c[id_column] == ident
        )
        with self._engine.connect() as conn:
            return conn.execute(query).scalar_one_or_none()

    def _pages(self, table: Table, source_system: str | None) -> Iterator[dict[str, Any]]:
        last_id = 0
        while True:
            query = select(table.c.id, table.c.original).where(table.c.id > last_id)
            if source_system is not None:
                query = query.where(table.c.source_system == source_system)
            with self._engine.connect() as conn:
                page = conn.execute(query.order_by(table.c.id).limit(_PAGE)).all()
            if not page:
                return
            for row_id, original in page:
                last_id = row_id
                yield original


__all__ = ["CaseStore", "Family", "IngestRun", "LinkageSummary", "Outcome", "RecordKey"]


def _review_pair(row: Any) -> ReviewPair:
    return ReviewPair(
        left=PersonKey(row.left_system, row.left_person_id),
        right=PersonKey(row.right_system, row.right_person_id),
        probability=row.probability,
        evidence=row.evidence,
        review_id=int(row.id),
        status=row.status,
    )
