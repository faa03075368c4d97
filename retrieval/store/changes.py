"""Which source records were added or changed since a moment (What's new).

``source_records.changed_at`` is set by ingest when a record is inserted or its content
changes (``retrieval.store.sql.upsert``); a record only seen again keeps it. A small
reader over the case store's engine, apart from ``CaseStore``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, Table, select

from retrieval.store.models import SourceRecordRow
from retrieval.store.types import to_utc

RECORDS: Table = SourceRecordRow.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class RecordChange:
    changed_at: datetime
    #: First ingested after the moment asked about (else its content changed).
    added: bool


class RecordChanges:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def changed_since(self, since: datetime) -> dict[tuple[str, str], RecordChange]:
        """(source system, record id) -> when it was added or last changed, after ``since``."""
        moment = to_utc(since)
        query = select(
            RECORDS.c.source_system,
            RECORDS.c.record_id,
            RECORDS.c.changed_at,
            RECORDS.c.first_ingested_at,
        ).where(RECORDS.c.changed_at > moment)
        with self._engine.connect() as conn:
            return {
                (system, rid): RecordChange(changed, first > moment)
                for system, rid, changed, first in conn.execute(query)
            }
