"""ORM models of the EHCP draft tables (created by migration ``0004_ehcp``).

``ehcp_drafts`` keeps one row per draft: the whole draft (sections, citations, gates,
review state) as JSON, with the columns lists and sign-off need. Draft text is
pseudonymised; an officer's edited text is kept as written. ``ehcp_review_events``
is the per-section history (accept / edit / reject / sign-off) with the edit diff, which
measures how much officers had to change the AI draft.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from retrieval.store.models import Base
from retrieval.store.types import UTCDateTime


class EhcpDraftRow(Base):
    """One EHCP draft of one child (linked person id)."""

    __tablename__ = "ehcp_drafts"
    __table_args__ = (Index("ix_ehcp_drafts_child", "child_id"),)

    draft_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    child_id: Mapped[str] = mapped_column(String(128))
    #: draft | signed_off
    status: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    signed_off_by: Mapped[str | None] = mapped_column(String(256), nullable=True)
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)


class EhcpReviewEventRow(Base):
    """One review step on a draft; rows are only ever added."""

    __tablename__ = "ehcp_review_events"
    __table_args__ = (Index("ix_ehcp_review_events_draft", "draft_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    draft_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("ehcp_drafts.draft_id", ondelete="CASCADE")
    )
    #: accept | edit | reject | sign_off
    action: Mapped[str] = mapped_column(String(16))
    section: Mapped[str | None] = mapped_column(String(8), nullable=True)
    user: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    diff: Mapped[str | None] = mapped_column(Text, nullable=True)
    similarity: Mapped[float | None] = mapped_column(Float, nullable=True)
