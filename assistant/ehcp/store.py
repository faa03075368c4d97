"""EHCP drafts and their review history in the case store database.

The draft is kept whole as JSON (its text pseudonymised, as drafted) so what the officer
reviewed is exactly what was stored; review steps are appended to ``ehcp_review_events``.
The SQL is the case store's (``CaseStore.ehcp_drafts``); this class speaks ``EhcpDraft``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from assistant.ehcp.model import EhcpDraft, EhcpSection
from retrieval.store.ehcp_store import EhcpDraftRows, ReviewEvent


class DraftNotFound(KeyError):
    """No draft with that id."""


class EhcpDraftStore:
    """Drafts by id and by child, over the case store's ``ehcp_drafts``."""

    def __init__(self, rows: EhcpDraftRows) -> None:
        self._rows = rows

    def save(self, draft: EhcpDraft) -> None:
        """Insert a new draft or replace a stored one (same id)."""
        self._rows.save(
            draft.draft_id,
            child_id=draft.child,
            status=draft.status,
            created_by=draft.created_by,
            created_at=draft.created_at,
            signed_off_by=draft.signed_off_by,
            signed_off_at=draft.signed_off_at,
            payload=draft.model_dump(mode="json"),
        )

    def get(self, draft_id: str) -> EhcpDraft:
        payload = self._rows.payload(draft_id)
        if payload is None:
            raise DraftNotFound(f"no EHCP draft {draft_id!r}")
        return EhcpDraft.model_validate(payload)

    def drafts_of(self, child: str) -> list[tuple[str, str, datetime]]:
        """(draft_id, status, created_at) of a child's drafts, newest first."""
        return self._rows.drafts_of(child)

    def add_event(
        self,
        draft_id: str,
        action: str,
        user: str,
        role: str,
        section: EhcpSection | None = None,
        at: datetime | None = None,
    ) -> None:
        when = at or datetime.now(UTC)
        if section is None:
            self._rows.add_event(ReviewEvent(draft_id, action, user, role, when))
            return
        self._rows.add_event(
            ReviewEvent(
                draft_id,
                action,
                user,
                role,
                when,
                section.section,
                section.diff,
                section.similarity,
            )
        )

    def events(self, draft_id: str) -> list[dict[str, Any]]:
        return self._rows.events(draft_id)
