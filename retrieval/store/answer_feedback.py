"""Workers' ratings of answers (``answer_feedback``, migration ``0005_chat_panel``).

Only the SQL lives here; which ratings and reasons are allowed, and the export, are
``api.app.feedback_store``'s. One rating per worker per answer: a later one replaces it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, delete, insert, select

from retrieval.store.engine import StorePart
from retrieval.store.feedback_models import AnswerFeedbackRow

FEEDBACK: Table = AnswerFeedbackRow.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class Feedback:
    answer_id: str
    user: str
    role: str
    subject: str
    rating: str
    reasons: list[str]
    comment: str | None
    at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "at": self.at.isoformat(timespec="seconds")}


class FeedbackRows(StorePart):
    """The ``answer_feedback`` table."""

    def replace(self, feedback: Feedback) -> None:
        """Store ``feedback`` in place of the same worker's rating of the same answer."""
        with self._engine.begin() as conn:
            conn.execute(
                delete(FEEDBACK).where(
                    FEEDBACK.c.answer_id == feedback.answer_id, FEEDBACK.c.user == feedback.user
                )
            )
            conn.execute(insert(FEEDBACK).values(**asdict(feedback)))

    def all(self) -> Iterator[Feedback]:
        """Every rating, oldest first."""
        with self._engine.connect() as conn:
            rows = conn.execute(select(FEEDBACK).order_by(FEEDBACK.c.id)).mappings().all()
        for r in rows:
            yield Feedback(
                r["answer_id"],
                r["user"],
                r["role"],
                r["subject"],
                r["rating"],
                list(r["reasons"]),
                r["comment"],
                r["at"],
            )
