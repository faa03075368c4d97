"""EHCP drafts and their review history (``ehcp_drafts``, ``ehcp_review_events``).

Only the SQL lives here: a draft is kept whole as its JSON payload, which
``assistant.ehcp.store.EhcpDraftStore`` turns into and out of the ``EhcpDraft`` model.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, insert, select, update

from retrieval.store.ehcp_models import EhcpDraftRow, EhcpReviewEventRow
from retrieval.store.engine import StorePart

DRAFTS: Table = EhcpDraftRow.__table__  # type: ignore[assignment]
EVENTS: Table = EhcpReviewEventRow.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class ReviewEvent:
    """One review step on a draft: accept, edit, reject or sign-off (of a section)."""

    draft_id: str
    action: str
    user: str
    role: str
    at: datetime
    section: str | None = None
    #: Unified diff AI text -> final text, and their similarity (0..1).
    diff: str | None = None
    similarity: float | None = None


class EhcpDraftRows(StorePart):
    """Drafts by id and by child, and the review events of each."""

    def save(
        self,
        draft_id: str,
        *,
        child_id: str,
        status: str,
        created_by: str,
        created_at: datetime,
        signed_off_by: str | None,
        signed_off_at: datetime | None,
        payload: dict[str, Any],
    ) -> None:
        """Insert a new draft or replace a stored one (same id)."""
        row = {
            "child_id": child_id,
            "status": status,
            "created_by": created_by,
            "created_at": created_at,
            "updated_at": datetime.now(UTC),
            "signed_off_by": signed_off_by,
            "signed_off_at": signed_off_at,
            "payload": payload,
        }
        with self._engine.begin() as conn:
            done = conn.execute(update(DRAFTS).where(DRAFTS.c.draft_id == draft_id).values(**row))
            if done.rowcount == 0:
                conn.execute(insert(DRAFTS).values(draft_id=draft_id, **row))

    def payload(self, draft_id: str) -> dict[str, Any] | None:
        """The stored draft's JSON, None if there is no such draft."""
        with self._engine.connect() as conn:
            found: dict[str, Any] | None = conn.execute(
                select(DRAFTS.c.payload).where(DRAFTS.c.draft_id == draft_id)
            ).scalar_one_or_none()
        return found

    def drafts_of(self, child: str) -> list[tuple[str, str, datetime]]:
        """(draft_id, status, created_at) of a child's drafts, newest first."""
        query = (
            select(DRAFTS.c.draft_id, DRAFTS.c.status, DRAFTS.c.created_at)
            .where(DRAFTS.c.child_id == child)
            .order_by(DRAFTS.c.created_at.desc())
        )
        with self._engine.connect() as conn:
            return [(r.draft_id, r.status, r.created_at) for r in conn.execute(query)]

    def add_event(self, event: ReviewEvent) -> None:
        with self._engine.begin() as conn:
            conn.execute(insert(EVENTS).values(**asdict(event)))

    def events(self, draft_id: str) -> list[dict[str, Any]]:
        query = select(EVENTS).where(EVENTS.c.draft_id == draft_id).order_by(EVENTS.c.id)
        with self._engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]
