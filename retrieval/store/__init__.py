"""The case store: source records, people, linkage results and ingest runs (SQLAlchemy).

SQLite by default, PostgreSQL by URL; the schema comes only from the Alembic migrations in
``retrieval/migrations``, applied by ``CaseStore.open``.
"""

from retrieval.store.families import LinkedRelationship
from retrieval.store.store import (
    CaseStore,
    Family,
    IngestRun,
    LinkageSummary,
    Outcome,
    RecordKey,
)

__all__ = [
    "CaseStore",
    "Family",
    "IngestRun",
    "LinkageSummary",
    "LinkedRelationship",
    "Outcome",
    "RecordKey",
]
