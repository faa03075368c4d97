"""Engines and migrations for the case store: SQLite by default, PostgreSQL by URL.

The schema is created and evolved only by the Alembic migrations shipped in
``retrieval/migrations``; ``upgrade_to_head`` runs them programmatically (no alembic.ini).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import StaticPool

from retrieval.files import create_private, warn_if_shared

T = TypeVar("T")


def _while_locked(action: Callable[[], T], attempts: int = 100) -> T:
    """``action``, tried again for up to ten seconds while SQLite answers "database is
    locked" at once, without waiting out its busy timeout: it does so while another process
    opening a new store at the same moment switches the file to WAL or recovers its log
    (a rare failure of four processes opening one new store together)."""
    for attempt in range(attempts):
        try:
            return action()
        except (sqlite3.OperationalError, OperationalError) as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.1)
    raise AssertionError("unreachable")


def _journal_mode_wal(cursor: Any) -> Any:
    return _while_locked(lambda: cursor.execute("PRAGMA journal_mode=WAL").fetchone())


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        mode = _journal_mode_wal(cursor)
        # In-memory databases answer "memory"; WAL applies to files only.
        if mode and str(mode[0]).lower() == "wal":
            # WAL + NORMAL survives a killed process; only an OS crash may lose the last commit.
            cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout."""
    if not url:
        raise ValueError("a database URL is required (e.g. sqlite:///path/casestore.sqlite3)")
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        # The installed driver is psycopg 3; SQLAlchemy's bare default would be psycopg2.
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True)
    database = parsed.database or ""
    if database in ("", ":memory:"):
        # One shared connection, otherwise every connection would see its own empty database.
        engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        # Owner-only from the start: SQLite gives its -wal and -shm files the database
        # file's mode, and the folder (the data dir) is created 0700.
        if not create_private(Path(database).expanduser()):
            warn_if_shared(Path(database).expanduser())
        engine = create_engine(url, connect_args={"timeout": 30})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def alembic_config() -> Config:
    """Alembic configuration pointing at the migrations inside the installed package."""
    location = str(resources.files("retrieval").joinpath("migrations"))
    config = Config()
    config.set_main_option("script_location", location.replace("%", "%%"))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("the case store migrations have no head revision")
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_to_head(engine: Engine) -> None:
    """Apply every migration not yet applied, in one transaction per run.

    Runs under the ``migrate`` database lock, so two processes opening a new store at once
    migrate it once (the second waits, then finds it at head). A store already at head is
    not locked at all, so a read-only one still opens.
    """
    if _while_locked(lambda: current_revision(engine)) == head_revision():
        return
    with database_lock(engine, "migrate"):
        if _while_locked(lambda: current_revision(engine)) == head_revision():
            return
        config = alembic_config()
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")


def _lock_key(name: str) -> int:
    digest = hashlib.sha256(f"caselens:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def lock_file(engine: Engine, name: str) -> Path | None:
    """The file a SQLite store's ``name`` lock lives on (beside the database); None for
    PostgreSQL (advisory locks) and in-memory SQLite (one process)."""
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database or ""
    if database in ("", ":memory:"):
        return None
    path = Path(database).expanduser()
    return path.with_name(f"{path.name}.{name}.lock")


@contextmanager
def database_lock(
    engine: Engine, name: str, on_wait: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold the store-wide lock ``name`` (e.g. ``ingest``, ``migrate``) until the block ends.

    PostgreSQL: a session advisory lock on a connection of its own; SQLite: ``flock`` on a
    file beside the database (owner-only). Both are released by the operating system or
    the server if the process dies, so a killed holder never leaves a stale lock.
    ``on_wait`` is called once if another process holds the lock, before waiting for it.
    """
    if engine.dialect.name == "postgresql":
        key = _lock_key(name)
        with engine.connect() as conn:
            got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar()
            conn.commit()
            if not got:
                if on_wait is not None:
                    on_wait()
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": key})
                conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                conn.commit()
        return
    path = lock_file(engine, name)
    if path is None:
        yield
        return
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait()
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the flock


class StorePart:
    """One small part of the case store (records, linkage, pseudonyms, audit, ...): its
    queries, over the one engine ``CaseStore.open`` made and migrated."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
