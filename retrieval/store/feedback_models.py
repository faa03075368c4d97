"""ORM model of the answer feedback table (created by migration ``0005_chat_panel``).

One row per worker per answer (a later rating replaces the earlier one): thumbs up or
down, reason codes from a fixed list, and an optional comment that was pseudonymised
before it was stored. No question or answer text is kept here; the answer id ties the
rating to the audit log's entry for that answer.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from retrieval.store.models import Base
from retrieval.store.types import UTCDateTime


class AnswerFeedbackRow(Base):
    __tablename__ = "answer_feedback"
    __table_args__ = (UniqueConstraint("answer_id", "user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    answer_id: Mapped[str] = mapped_column(String(64))
    user: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(128))
    #: up | down
    rating: Mapped[str] = mapped_column(String(8))
    reasons: Mapped[list[str]] = mapped_column(JSON)
    #: Pseudonymised before it was stored; None when none was given.
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
