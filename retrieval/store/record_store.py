"""Source records, people and ingest runs: the part of the case store ingest writes.

Callers get contract models (``SourceRecord``, ``Person``) and small dataclasses, never ORM
rows. Every public write is one transaction, so a batch is either stored whole or not at
all; that is what makes an interrupted ingest safe to re-run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Table, func, insert, select, update

from retrieval.linkage.result import PersonKey
from retrieval.records import Person, SourceRecord
from retrieval.store.engine import StorePart, database_lock
from retrieval.store.network import rebuild_family_network, refresh_linked_people
from retrieval.store.rows import person_from_row, person_values, record_from_row, record_values
from retrieval.store.sql import (
    INGEST_RUNS,
    MEMBERS,
    PEOPLE,
    RECORD_PEOPLE,
    RECORDS,
    RELATIONSHIPS,
    Outcome,
    as_key,
    by_system,
    chunks,
    delete_keys,
    one_value,
    upsert,
)
from retrieval.store.types import utc_now

RecordKey = tuple[str, str]
_PAGE = 1000


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


class RecordStore(StorePart):
    """Source records, the people of every system, and ingest runs."""

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
        return self._keys(RECORDS, "record_id", source_system)

    def get_record(self, source_system: str, record_id: str) -> SourceRecord | None:
        original = self._value(RECORDS, "original", source_system, "record_id", record_id)
        return record_from_row(original) if original is not None else None

    def last_refreshed(self, source_system: str, record_id: str) -> datetime | None:
        """When ingest last saw this record in its source (shown with citations)."""
        return self._value(RECORDS, "last_refreshed_at", source_system, "record_id", record_id)

    def count_records(
        self,
        source_system: str | None = None,
        record_type: str | None = None,
        sensitivity: str | None = None,
    ) -> int:
        return self._count(
            RECORDS, source_system=source_system, record_type=record_type, sensitivity=sensitivity
        )

    def iter_records(self, source_system: str | None = None) -> Iterator[SourceRecord]:
        """Every stored record, in insertion order, read page by page (short transactions)."""
        for original in self._pages(RECORDS, source_system):
            yield record_from_row(original)

    def record_content_hashes(self) -> dict[RecordKey, str]:
        """(system, record_id) -> content hash of every stored source record."""
        query = select(RECORDS.c.source_system, RECORDS.c.record_id, RECORDS.c.content_hash)
        with self._engine.connect() as conn:
            return {(s, r): h for s, r, h in conn.execute(query)}

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
        return self._keys(PEOPLE, "person_id", source_system)

    def get_person(self, source_system: str, person_id: str) -> Person | None:
        original = self._value(PEOPLE, "original", source_system, "person_id", person_id)
        return person_from_row(original) if original is not None else None

    def count_people(self, source_system: str | None = None) -> int:
        return self._count(PEOPLE, source_system=source_system)

    def iter_people(self, source_system: str | None = None) -> Iterator[Person]:
        """Every stored person (the input of record linkage), read page by page."""
        for original in self._pages(PEOPLE, source_system):
            yield person_from_row(original)

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

    def _keys(self, table: Table, id_column: str, system: str) -> set[tuple[str, str]]:
        query = select(table.c[id_column]).where(table.c.source_system == system)
        with self._engine.connect() as conn:
            return {(system, ident) for ident in conn.execute(query).scalars()}

    def _count(self, table: Table, **equal: str | None) -> int:
        """Rows of ``table`` whose columns equal the given values (None: any value)."""
        query = select(func.count()).select_from(table)
        for column, value in equal.items():
            if value is not None:
                query = query.where(table.c[column] == value)
        with self._engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def _value(self, table: Table, column: str, system: str, id_column: str, ident: str) -> Any:
        with self._engine.connect() as conn:
            return one_value(conn, table, column, system, id_column, ident)

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
