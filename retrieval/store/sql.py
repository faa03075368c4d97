"""Table handles and the batched SQL helpers the case store is built from.

Everything here takes an open ``Connection`` and runs inside the caller's transaction.
Keys are grouped per source system and sent in ``IN`` lists of bounded size, which works
the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, insert, select, update

from retrieval.linkage.result import PersonKey
from retrieval.store import models as m
from retrieval.store.types import utc_now

#: Keys per ``IN (...)`` list: well under SQLite's and PostgreSQL's bound-parameter limits.
CHUNK = 500

RECORDS: Table = m.SourceRecordRow.__table__  # type: ignore[assignment]
RECORD_PEOPLE: Table = m.RecordPersonRow.__table__  # type: ignore[assignment]
PEOPLE: Table = m.PersonRow.__table__  # type: ignore[assignment]
RELATIONSHIPS: Table = m.PersonRelationshipRow.__table__  # type: ignore[assignment]
LINKED: Table = m.LinkedPersonRow.__table__  # type: ignore[assignment]
MEMBERS: Table = m.LinkedMemberRow.__table__  # type: ignore[assignment]
LINKED_RELATIONSHIPS: Table = m.LinkedRelationshipRow.__table__  # type: ignore[assignment]
REVIEW_PAIRS: Table = m.ReviewPairRow.__table__  # type: ignore[assignment]
LINKAGE_RUNS: Table = m.LinkageRunRow.__table__  # type: ignore[assignment]
INGEST_RUNS: Table = m.IngestRunRow.__table__  # type: ignore[assignment]

Key = tuple[str, str]
ChildRows = Callable[[dict[str, Any]], list[dict[str, Any]]]


class Outcome(StrEnum):
    """What an upsert did to one record or person."""

    INSERTED = "inserted"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def as_key(key: PersonKey | tuple[str, str]) -> Key:
    if isinstance(key, PersonKey):
        return (key.source_system, key.person_id)
    system, ident = key
    return (system, ident)


def by_system(keys: Iterable[Key]) -> dict[str, list[str]]:
    grouped: dict[str, set[str]] = defaultdict(set)
    for system, ident in keys:
        grouped[system].add(ident)
    return {system: sorted(ids) for system, ids in grouped.items()}


def insert_many(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    for chunk in chunks(rows):
        conn.execute(insert(table), list(chunk))


def delete_keys(conn: Connection, table: Table, id_column: str, keys: Iterable[Key]) -> int:
    """Delete rows of ``table`` by (source_system, ``id_column``); returns rows deleted."""
    deleted = 0
    for system, ids in by_system(keys).items():
        for chunk in chunks(ids):
            result = conn.execute(
                delete(table).where(table.c.source_system == system, table.c[id_column].in_(chunk))
            )
            deleted += result.rowcount or 0
    return deleted


def upsert(
    conn: Connection,
    table: Table,
    id_column: str,
    values: list[dict[str, Any]],
    child_table: Table,
    child_rows: ChildRows,
) -> list[Outcome]:
    """Upsert rows keyed by (source_system, ``id_column``), comparing content hashes.

    New rows are inserted, rows whose hash changed are updated (their child rows replaced),
    unchanged rows only get ``last_refreshed_at``. A table with ``changed_at`` (source
    records) has it set on insert and on a content change, for What's new. A key repeated
    in ``values`` counts once per occurrence and the later copy wins.
    """
    ident = table.c[id_column]
    existing: dict[Key, str] = {}
    for system, ids in by_system((v["source_system"], v[id_column]) for v in values).items():
        for chunk in chunks(ids):
            query = select(ident, table.c.content_hash).where(
                table.c.source_system == system, ident.in_(chunk)
            )
            existing.update({(system, i): h for i, h in conn.execute(query)})

    outcomes: list[Outcome] = []
    to_insert: dict[Key, dict[str, Any]] = {}
    to_update: dict[Key, dict[str, Any]] = {}
    unchanged: set[Key] = set()
    for value in values:
        key = (value["source_system"], value[id_column])
        pending = to_insert.get(key) or to_update.get(key)
        previous = pending["content_hash"] if pending else existing.get(key)
        if previous is None:
            outcomes.append(Outcome.INSERTED)
            to_insert[key] = value
        elif previous == value["content_hash"]:
            outcomes.append(Outcome.UNCHANGED)
            if pending is None:
                unchanged.add(key)
        else:
            outcomes.append(Outcome.UPDATED)
            (to_insert if key in to_insert else to_update)[key] = value
            unchanged.discard(key)

    now = utc_now()
    stamps = ["last_refreshed_at", *(["changed_at"] if "changed_at" in table.c else [])]
    if to_update:
        delete_keys(conn, child_table, id_column, to_update)
        columns = [
            c for c in next(iter(to_update.values())) if c not in ("source_system", id_column)
        ]
        statement = (
            update(table)
            .where(
                table.c.source_system == bindparam("b_source_system"),
                ident == bindparam(f"b_{id_column}"),
            )
            .values({c: bindparam(f"b_{c}") for c in [*columns, *stamps]})
        )
        params = [
            {**{f"b_{k}": v for k, v in value.items()}, **{f"b_{s}": now for s in stamps}}
            for value in to_update.values()
        ]
        conn.execute(statement, params)
    insert_many(
        conn,
        table,
        [{**v, "first_ingested_at": now, **{s: now for s in stamps}} for v in to_insert.values()],
    )
    written = [*to_update.values(), *to_insert.values()]
    insert_many(conn, child_table, [row for v in written for row in child_rows(v)])
    for system, ids in by_system(unchanged).items():
        for chunk in chunks(ids):
            conn.execute(
                update(table)
                .where(table.c.source_system == system, ident.in_(chunk))
                .values(last_refreshed_at=now)
            )
    return outcomes


def one_value(
    conn: Connection, table: Table, column: str, system: str, id_column: str, ident: str
) -> Any:
    """``column`` of the row of ``table`` keyed (``system``, ``ident``), or None."""
    query = select(table.c[column]).where(
        table.c.source_system == system, table.c[id_column] == ident
    )
    return conn.execute(query).scalar_one_or_none()
