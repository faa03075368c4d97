"""The command line's one error boundary: any failure becomes one line, with no values.

Library messages can quote what they failed on (SQLAlchemy prints the SQL parameters, so a
failed insert would print a whole note; spaCy and pydantic quote text), so nothing from a
message reaches the terminal unless caselens wrote it. What is printed is built from the
kind of failure, the path involved and the exception's class (``retrieval.errors``):

- a full disk (or file size limit): which file could not be written, exit 2;
- a read-only or unwritable file or folder: which one, exit 2;
- caselens's own clear errors (bad input, policy, keys): their message, exit 2;
- anything else: the exception class only, exit 1.
"""

from __future__ import annotations

import errno
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from retrieval.errors import safe_reason

_FULL = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}
#: SQLite's fixed messages (no values in them) for the same two situations.
_SQLITE_FULL = ("database or disk is full",)
_SQLITE_READ_ONLY = ("attempt to write a readonly database", "unable to open database file")
#: What SQLite says when a write fails below it (a file size limit, a failing disk).
_SQLITE_IO = ("disk i/o error",)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _sqlite_message(exc: BaseException) -> str | None:
    orig = getattr(exc, "orig", None)  # SQLAlchemy's DBAPIError keeps the driver's error
    if orig is not None and type(orig).__module__.startswith("sqlite3"):
        return str(orig).strip().lower()
    if type(exc).__module__.startswith("sqlite3"):
        return str(exc).strip().lower()
    return None


def _own_error_types() -> tuple[type[BaseException], ...]:
    """caselens exceptions whose messages are written by caselens, without values."""
    from api.audit.seal import SealError
    from redaction.vault import VaultKeyError
    from retrieval.index import EmbeddingModelError
    from retrieval.ingest import IngestError
    from retrieval.model_check import ModelIntegrityError
    from retrieval.policy import PolicyError

    return (
        EmbeddingModelError,
        IngestError,
        ModelIntegrityError,
        PolicyError,
        SealError,
        VaultKeyError,
    )


def describe(
    exc: BaseException,
    store_path: Callable[[], str],
    data_dir: Callable[[], str] | None = None,
) -> tuple[str, int]:
    """One line and an exit code for ``exc``; ``store_path()`` names the case store (for
    database errors), ``data_dir()`` the folder an OS error without a file name was in."""
    for link in _chain(exc):
        sqlite = _sqlite_message(link)
        place = store_path
        if isinstance(link, OSError) and not link.filename and data_dir is not None:
            place = data_dir  # an OS error without a file name: the folder, not the store
        if (isinstance(link, OSError) and link.errno in _FULL) or sqlite in _SQLITE_FULL:
            where = link.filename if isinstance(link, OSError) and link.filename else None
            return (
                f"caselens: no space left writing {where or place()} "
                f"({safe_reason(link)}); free some space and run the command again "
                "(work already committed is kept)",
                2,
            )
        if sqlite in _SQLITE_IO:
            return (
                f"caselens: could not write {store_path()} (disk I/O error: the disk may be "
                "full or failing); free some space and run the command again (work already "
                "committed is kept)",
                2,
            )
        if (isinstance(link, OSError) and link.errno in _READ_ONLY) or sqlite in _SQLITE_READ_ONLY:
            where = link.filename if isinstance(link, OSError) and link.filename else None
            return (
                f"caselens: cannot write {where or place()} (read-only or no "
                f"permission: {safe_reason(link)}); check the data dir and its owner",
                2,
            )
    if isinstance(exc, _own_error_types()):
        return f"caselens: {exc}", 2
    return (
        f"caselens: failed with {safe_reason(exc)} (details withheld: library messages can "
        "quote record contents)",
        1,
    )


def store_location(database_url: str) -> str:
    """The case store's file (SQLite) or kind (a server), never its credentials."""
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database:
        return str(Path(url.database))
    return f"the {url.get_backend_name()} case store"


def _data_dir() -> str:
    try:
        from api.settings import load_settings

        return f"the data dir {load_settings().data_dir}"
    except Exception:
        return "the data dir"


def _store_path() -> str:
    try:
        from api.settings import load_settings

        return store_location(load_settings().resolved_database_url)
    except Exception:
        return "the case store"


def run(app: Callable[[], object]) -> None:
    """Run the Typer ``app``; any exception it lets out becomes one line and an exit code."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("caselens: interrupted (work already committed is kept)\n")
        sys.exit(130)
    except Exception as exc:
        line, code = describe(exc, _store_path, _data_dir)
        sys.stderr.write(line + "\n")
        sys.exit(code)
