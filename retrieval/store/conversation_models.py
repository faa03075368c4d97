"""ORM models of the chat conversation tables (created by migration ``0006_conversations``).

One ``conversations`` row per user and conversation id (the subject it is about, when it
began and was last continued); one ``conversation_turns`` row per question answered, its
answer kept whole as JSON in the family's pseudonyms (never as displayed: a reopened
conversation is re-identified for whoever opens it, under their permissions then).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from retrieval.store.models import Base
from retrieval.store.types import UTCDateTime


class ConversationRow(Base):
    """One user's conversation about one child or family."""

    __tablename__ = "conversations"
    __table_args__ = (
        UniqueConstraint("user", "conversation_id"),
        Index("ix_conversations_updated_at", "updated_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    #: Chosen by the client (or the API); unique per user only.
    conversation_id: Mapped[str] = mapped_column(String(64))
    user: Mapped[str] = mapped_column(String(256))
    subject: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ConversationTurnRow(Base):
    """One question and its answer, pseudonymised."""

    __tablename__ = "conversation_turns"
    __table_args__ = (Index("ix_conversation_turns_conversation", "conversation"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation: Mapped[int] = mapped_column(
        Integer, ForeignKey("conversations.id", ondelete="CASCADE")
    )
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime())
    answer_id: Mapped[str] = mapped_column(String(64))
    #: The pseudonymised ``Answer`` (``Answer.model_dump(mode="json")``).
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
