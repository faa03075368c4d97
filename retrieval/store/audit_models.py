"""ORM model of the audit log table (created by migration ``0003_audit``).

The table lives in the case store database so the council's governance record sits beside
the records it describes. Rows are written and checked only by ``api.audit``; the
migration adds triggers that refuse UPDATE and DELETE (append-only), and each row carries
the SHA-256 of the previous row so that an edit or deletion made around the triggers is
still detected by ``caselens audit verify``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from retrieval.store.models import Base


class AuditEntryRow(Base):
    """One audit entry: who did what, about which subject, showing which records."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        # A user's newest entries of one action (``AuditLog.latest``), migration 0007.
        Index("ix_audit_log_user_action", "user", "action", "seq"),
    )

    #: 1, 2, 3, ... with no gaps: a missing number is a deleted entry.
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    #: ISO 8601 UTC text, hashed exactly as stored.
    at: Mapped[str] = mapped_column(String(40))
    user: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str | None] = mapped_column(String(128), nullable=True)
    purpose: Mapped[str | None] = mapped_column(String(256), nullable=True)
    #: "SYSTEM:record_id" of every record shown.
    record_ids: Mapped[list[str]] = mapped_column(JSON)
    break_glass_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    question: Mapped[str | None] = mapped_column(Text, nullable=True)
    outcome: Mapped[str] = mapped_column(String(32))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))
