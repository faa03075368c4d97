"""Workers' ratings of answers (``answer_feedback``, migration ``0005_chat_panel``).

Thumbs up or down, reason codes from ``REASONS`` and an optional comment, kept with the
answer id; the comment is pseudonymised before it reaches this store (``api.app.routes
.feedback``), and no question or answer text is kept. One rating per worker per answer: a
later one replaces it. The SQL is the case store's (``CaseStore.feedback``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

from retrieval.store.answer_feedback import Feedback, FeedbackRows
from retrieval.store.types import utc_now

#: Reason chips: code -> what the worker reads. Up and down each have their own.
REASONS: dict[str, str] = {
    "accurate": "Accurate",
    "saved_time": "Saved me time",
    "well_cited": "Easy to check the sources",
    "wrong_fact": "A fact is wrong",
    "missing": "Something is missing",
    "wrong_person": "About the wrong person",
    "not_in_source": "The source does not say this",
    "unclear": "Hard to understand",
}
UP_REASONS = ("accurate", "saved_time", "well_cited")
DOWN_REASONS = ("wrong_fact", "missing", "wrong_person", "not_in_source", "unclear")


class FeedbackStore:
    """Ratings checked against ``REASONS``, kept in the case store's ``feedback``."""

    def __init__(self, rows: FeedbackRows) -> None:
        self._rows = rows

    def save(
        self,
        *,
        answer_id: str,
        user: str,
        role: str,
        subject: str,
        rating: str,
        reasons: list[str],
        comment: str | None,
    ) -> Feedback:
        """Store (or replace) ``user``'s rating of ``answer_id``; ``comment`` already
        pseudonymised."""
        if rating not in ("up", "down"):
            raise ValueError("rating is up or down")
        unknown = sorted(set(reasons) - set(REASONS))
        if unknown:
            raise ValueError(f"unknown feedback reasons: {', '.join(unknown)}")
        row = Feedback(
            answer_id, user, role, subject, rating, sorted(set(reasons)), comment, utc_now()
        )
        self._rows.replace(row)
        return row

    def all(self) -> Iterator[Feedback]:
        """Every rating, oldest first."""
        return self._rows.all()


class AnswerEntries(Protocol):
    """The audit log (``api.audit.AuditLog``): its entries, oldest first."""

    def entries(self) -> Iterable[Any]: ...


def export_dataset(feedback: FeedbackRows, audit: AnswerEntries, out: Path) -> int:
    """Every rating as one JSON line (``caselens feedback export``): answer id, when, the
    worker's role (never their name), subject id, rating, reasons, the pseudonymised
    comment, and from the answer's audit entry the records it cited and whether it was
    refused. No question or answer text. Returns how many lines were written."""
    from retrieval.files import open_private

    answers = {
        str(e.detail["answer_id"]): e
        for e in audit.entries()
        if e.action == "answer" and e.detail.get("answer_id")
    }
    rows = 0
    with open_private(out, "w") as handle:
        for fb in feedback.all():
            shown = answers.get(fb.answer_id)
            line = {
                "answer_id": fb.answer_id,
                "at": fb.at.isoformat(timespec="seconds"),
                "role": fb.role,
                "subject": fb.subject,
                "rating": fb.rating,
                "reasons": fb.reasons,
                "comment": fb.comment,
                "cited_records": list(shown.record_ids) if shown else [],
                "refused": shown.outcome == "refused" if shown else None,
            }
            handle.write(json.dumps(line) + "\n")
            rows += 1
    return rows
