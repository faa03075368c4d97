"""EHCP drafts and their review history in the case store database.

The draft is kept whole as JSON (its text pseudonymised, as drafted) so what the officer
reviewed is exactly what was stored; review steps are appended to ``ehcp_review_events``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, Table, insert, select, update

from assistant.ehcp.model import EhcpDraft, EhcpSection
from retrieval.store.ehcp_models import EhcpDraftRow, EhcpReviewEventRow

DRAFTS: Table = EhcpDraftRow.__table__  # type: ignore[assignment]
EVENTS: Table = EhcpReviewEventRow.__table__  # type: ignore[assignment]


class DraftNotFound(KeyError):
    """No draft with that id."""


class EhcpDraftStore:
    """Drafts by id and by child; the engine is the case store's (already migrated)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def save(self, draft: EhcpDraft) -> None:
        """Insert a new draft or replace a stored one (same id)."""
        row = {
            "child_id": draft.child,
            "status": draft.status,
            "created_by": draft.created_by,
            "created_at": draft.created_at,
            "updated_at": datetime.now(UTC),
            "signed_off_by": draft.signed_off_by,
            "signed_off_at": draft.signed_off_at,
            "payload": draft.model_dump(mode="json"),
        }
        with self._engine.begin() as conn:
            done = conn.execute(
                update(DRAFTS).where(DRAFTS.c.draft_id == draft.draft_id).values(**row)
            )
            if done.rowcount == 0:
                conn.execute(insert(DRAFTS).values(draft_id=draft.draft_id, **row))

    def get(self, draft_id: str) -> EhcpDraft:
        with self._engine.connect() as conn:
            payload = conn.execute(
                select(DRAFTS.c.payload).where(DRAFTS.c.draft_id == draft_id)
            ).scalar_one_or_none()
        if payload is None:
            raise DraftNotFound(f"no EHCP draft {draft_id!r}")
        return EhcpDraft.model_validate(payload)

    def drafts_of(self, child: str) -> list[tuple[str, str, datetime]]:
        """(draft_id, status, created_at) of a child's drafts, newest first."""
        query = (
            select(DRAFTS.c.draft_id, DRAFTS.c.status, DRAFTS.c.created_at)
            .where(DRAFTS.c.child_id == child)
            .order_by(DRAFTS.c.created_at.desc())
        )
        with self._engine.connect() as conn:
            return [(r.draft_id, r.status, r.created_at) for r in conn.execute(query)]

    def add_event(
        self,
        draft_id: str,
        action: str,
        user: str,
        role: str,
        section: EhcpSection | None = None,
        at: datetime | None = None,
    ) -> None:
        with self._engine.begin() as conn:
            conn.execute(
                insert(EVENTS).values(
                    draft_id=draft_id,
                    action=action,
                    section=section.section if section else None,
                    user=user,
                    role=role,
                    at=at or datetime.now(UTC),
                    diff=section.diff if section else None,
                    similarity=section.similarity if section else None,
                )
            )

    def events(self, draft_id: str) -> list[dict[str, Any]]:
        query = select(EVENTS).where(EVENTS.c.draft_id == draft_id).order_by(EVENTS.c.id)
        with self._engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]
