"""Shared pytest fixtures. Keep this small: area-specific helpers live in their test files."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from retrieval.records import Person, SourceRecord


@pytest.fixture
def make_record() -> Callable[..., SourceRecord]:
    """Build a valid synthetic SourceRecord; keyword arguments override fields."""

    def build(record_id: str = "R1", source_system: str = "LCS", **fields: Any) -> SourceRecord:
        data: dict[str, Any] = {
            "record_id": record_id,
            "source_system": source_system,
            "record_type": "case_note",
            "person_ids": [f"{source_system}-P1"],
            "occurred_at": "2024-03-04",
            "recorded_at": "2024-03-05T09:30:00+00:00",
            "author": {"name": "Alex Worker", "role": "social worker"},
            "title": "Home visit",
            "text": f"Synthetic note {record_id}.",
            "source_url": f"https://{source_system.lower()}.example.org/r/{record_id}",
            "version": 1,
        }
        data.update(fields)
        return SourceRecord.model_validate(data)

    return build


@pytest.fixture
def make_person() -> Callable[..., Person]:
    """Build a valid synthetic Person; keyword arguments override fields."""

    def build(person_id: str = "LCS-P1", source_system: str = "LCS", **fields: Any) -> Person:
        data: dict[str, Any] = {
            "person_id": person_id,
            "source_system": source_system,
            "given_name": "Sam",
            "family_name": "Example",
            "dob": "2015-06-01",
        }
        data.update(fields)
        return Person.model_validate(data)

    return build


#: PostgreSQL runs only when a throwaway database is named (see docstring below).
_STORE_BACKENDS = ["sqlite"] + (
    ["postgresql"] if os.environ.get("CASELENS_TEST_POSTGRES_URL") else []
)


@pytest.fixture(params=_STORE_BACKENDS)
def case_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """A fresh, migrated case store: a SQLite file, and PostgreSQL when
    ``CASELENS_TEST_POSTGRES_URL`` names a throwaway database (its tables are dropped)."""
    from sqlalchemy import text

    from retrieval.store import CaseStore
    from retrieval.store.engine import make_engine

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'casestore.sqlite3'}"
    else:
        url = os.environ["CASELENS_TEST_POSTGRES_URL"]
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    store = CaseStore.open(url)
    yield store
    store.close()


@pytest.fixture
def default_policy() -> Any:
    """The information-sharing policy shipped with caselens."""
    from api.settings import default_policy_path
    from retrieval.policy import InformationSharingPolicy

    return InformationSharingPolicy.load(default_policy_path())


# The session's one real pipeline (estate -> ingest -> link -> redact -> index), see
# tests/real_stack.py.
from real_stack import real_stack, shared_embedder  # noqa: E402, F401
