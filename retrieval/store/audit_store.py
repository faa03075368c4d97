"""The audit log's rows (``audit_log``, migration ``0003_audit``): append and read in order.

Only the SQL lives here. What an entry holds, its hash chain, the signed checkpoints and
``verify`` are ``api.audit.AuditLog``'s, which is built on this part
(``AuditLog(store.audit_rows, seal)``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Table, func, insert, select

from retrieval.store.audit_models import AuditEntryRow
from retrieval.store.engine import StorePart

AUDIT: Table = AuditEntryRow.__table__  # type: ignore[assignment]
_PAGE = 1000
#: One writer at a time per database within this process (the API answers concurrently,
#: and the EHCP service keeps its own ``AuditLog`` on the same database): concurrent
#: appends otherwise race for the next sequence number and could exhaust the retries.
#: Writers in other processes are still handled by the retries.
_WRITERS: dict[str, threading.Lock] = {}
_WRITERS_LOCK = threading.Lock()


def _writer_lock(engine: Engine) -> threading.Lock:
    key = engine.url.render_as_string(hide_password=True)
    with _WRITERS_LOCK:
        return _WRITERS.setdefault(key, threading.Lock())


@dataclass(frozen=True)
class NextEntry:
    """An open append: the log's last entry as (seq, entry_hash), None when it is empty,
    and the insert of the entry that follows it, in the same transaction."""

    head: tuple[int, str] | None
    _conn: Connection

    def insert(self, row: dict[str, Any]) -> None:
        """Insert the row (a sequence number another writer took raises IntegrityError)."""
        self._conn.execute(insert(AUDIT).values(**row))


class AuditRows(StorePart):
    """The ``audit_log`` table of the case store database."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self.writer = _writer_lock(engine)

    def head(self) -> tuple[int, str] | None:
        """(seq, entry_hash) of the last entry, None when the log is empty."""
        with self._engine.connect() as conn:
            return _head(conn)

    @contextmanager
    def next_entry(self) -> Iterator[NextEntry]:
        """One transaction that reads the head and inserts the next entry; it commits
        when the block ends and rolls back if the block raises."""
        with self._engine.begin() as conn:
            yield NextEntry(_head(conn), conn)

    def page(
        self, after_seq: int, since: str | None = None, until: str | None = None
    ) -> list[dict[str, Any]]:
        """Up to a page of entries after ``after_seq`` in sequence order, optionally with
        ``since <= at < until`` (ISO text); an empty list past the end."""
        query = select(AUDIT).where(AUDIT.c.seq > after_seq).order_by(AUDIT.c.seq).limit(_PAGE)
        if since is not None:
            query = query.where(AUDIT.c.at >= since)
        if until is not None:
            query = query.where(AUDIT.c.at < until)
        with self._engine.connect() as conn:
            return [dict(row) for row in conn.execute(query).mappings()]

    def latest(self, user: str, action: str, limit: int = 1) -> list[dict[str, Any]]:
        """``user``'s most recent ``action`` entries, newest first."""
        query = (
            select(AUDIT)
            .where(AUDIT.c.user == user, AUDIT.c.action == action)
            .order_by(AUDIT.c.seq.desc())
            .limit(limit)
        )
        with self._engine.connect() as conn:
            return [dict(row) for row in conn.execute(query).mappings()]

    def count(self) -> int:
        with self._engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(AUDIT)).scalar_one())


def _head(conn: Connection) -> tuple[int, str] | None:
    query = select(AUDIT.c.seq, AUDIT.c.entry_hash).order_by(AUDIT.c.seq.desc()).limit(1)
    head = conn.execute(query).first()
    return None if head is None else (int(head.seq), str(head.entry_hash))
