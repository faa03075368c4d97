"""The case store facade: one engine, one small class per part, one public API.

``CaseStore`` is the records, linkage and pseudonym parts over one migrated engine, so a
caller that holds the store reads and writes all three; the parts with a vocabulary of
their own are attributes: ``audit_rows`` (the audit log's table), ``ehcp_drafts``,
``conversations``, ``feedback`` and ``changes`` (What's new). Nothing outside this package
touches the engine or writes SQL: each query is a method of one part.
"""

from __future__ import annotations

from sqlalchemy import Engine

from retrieval.store.answer_feedback import FeedbackRows
from retrieval.store.audit_store import AuditRows
from retrieval.store.changes import RecordChanges
from retrieval.store.conversations import ConversationStore
from retrieval.store.ehcp_store import EhcpDraftRows
from retrieval.store.engine import make_engine, upgrade_to_head
from retrieval.store.linkage_store import Family, LinkageStore
from retrieval.store.network import LinkageSummary
from retrieval.store.record_store import IngestRun, RecordKey, RecordStore
from retrieval.store.redaction_store import PseudonymStore
from retrieval.store.sql import Outcome


class CaseStore(RecordStore, LinkageStore, PseudonymStore):
    """Repository over the case store database. Build it with ``CaseStore.open(url)``."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self.audit_rows = AuditRows(engine)
        self.ehcp_drafts = EhcpDraftRows(engine)
        self.conversations = ConversationStore(engine)
        self.feedback = FeedbackRows(engine)
        self.changes = RecordChanges(engine)

    @classmethod
    def open(cls, url: str) -> CaseStore:
        """Connect and bring the schema to the latest migration (creates it if new)."""
        engine = make_engine(url)
        upgrade_to_head(engine)
        return cls(engine)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, for tests that inspect or tamper with the database itself
        (migrations, a forged audit row); components use the parts above."""
        return self._engine

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> CaseStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["CaseStore", "Family", "IngestRun", "LinkageSummary", "Outcome", "RecordKey"]
