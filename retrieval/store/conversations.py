"""Chat conversations kept per user in the case store database: pseudonymised text only.

A conversation belongs to one user and one child or family; each turn keeps the answer as
the answer service wrote it, in the family's pseudonyms (``Answer.pseudonymised``), so a
reopened conversation is re-identified for whoever opens it under their permissions then.
Conversations not continued within the retention period are purged (``purge``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Row, Table, delete, func, insert, select, update

from retrieval.store.conversation_models import ConversationRow, ConversationTurnRow

CONVERSATIONS: Table = ConversationRow.__table__  # type: ignore[assignment]
TURNS: Table = ConversationTurnRow.__table__  # type: ignore[assignment]


class ConversationClash(ValueError):
    """The conversation id is already this user's conversation about another subject."""


@dataclass(frozen=True)
class ConversationSummary:
    conversation_id: str
    subject: str
    created_at: datetime
    updated_at: datetime
    turns: int
    #: The opening question as kept (pseudonymised).
    first_question: str


@dataclass(frozen=True)
class StoredTurn:
    asked_at: datetime
    answer_id: str
    #: The pseudonymised answer, as ``Answer.model_dump(mode="json")``.
    answer: dict[str, Any]


class ConversationStore:
    """One user's conversations; the engine is the case store's (already migrated)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add_turn(
        self,
        user: str,
        conversation_id: str,
        subject: str,
        answer_id: str,
        pseudonymised_answer: dict[str, Any],
        *,
        at: datetime | None = None,
    ) -> None:
        """Append one answered question, starting the conversation if it is new."""
        now = at or datetime.now(UTC)
        with self._engine.begin() as conn:
            row = _conversation(conn, user, conversation_id)
            if row is None:
                created = conn.execute(
                    insert(CONVERSATIONS).values(
                        conversation_id=conversation_id,
                        user=user,
                        subject=subject,
                        created_at=now,
                        updated_at=now,
                    )
                )
                key = int(created.inserted_primary_key[0])  # type: ignore[index]
            else:
                if row.subject != subject:
                    raise ConversationClash("a conversation stays with one child or family")
                key = int(row.id)
                conn.execute(
                    update(CONVERSATIONS).where(CONVERSATIONS.c.id == key).values(updated_at=now)
                )
            conn.execute(
                insert(TURNS).values(
                    conversation=key,
                    asked_at=now,
                    answer_id=answer_id,
                    payload=pseudonymised_answer,
                )
            )

    def of_user(self, user: str, subject: str | None = None) -> list[ConversationSummary]:
        """The user's conversations, most recently continued first."""
        first = func.min(TURNS.c.id).label("first")
        query = (
            select(
                CONVERSATIONS.c.conversation_id,
                CONVERSATIONS.c.subject,
                CONVERSATIONS.c.created_at,
                CONVERSATIONS.c.updated_at,
                func.count(TURNS.c.id).label("turns"),
                first,
            )
            .join(TURNS, TURNS.c.conversation == CONVERSATIONS.c.id)
            .where(CONVERSATIONS.c.user == user)
            .group_by(CONVERSATIONS.c.id)
            .order_by(CONVERSATIONS.c.updated_at.desc(), CONVERSATIONS.c.id.desc())
        )
        if subject is not None:
            query = query.where(CONVERSATIONS.c.subject == subject)
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()
            opening = dict(
                conn.execute(
                    select(TURNS.c.id, TURNS.c.payload).where(
                        TURNS.c.id.in_([r.first for r in rows])
                    )
                ).all()
            )
        return [
            ConversationSummary(
                r.conversation_id,
                r.subject,
                r.created_at,
                r.updated_at,
                r.turns,
                str(opening.get(r.first, {}).get("question", "")),
            )
            for r in rows
        ]

    def get(self, user: str, conversation_id: str) -> tuple[str, list[StoredTurn]] | None:
        """(subject, turns in the order asked), or None if the user has no such conversation."""
        with self._engine.connect() as conn:
            row = _conversation(conn, user, conversation_id)
            if row is None:
                return None
            turns = conn.execute(
                select(TURNS.c.asked_at, TURNS.c.answer_id, TURNS.c.payload)
                .where(TURNS.c.conversation == row.id)
                .order_by(TURNS.c.id)
            )
            return row.subject, [StoredTurn(*t) for t in turns]

    def turn_of(self, user: str, answer_id: str) -> StoredTurn | None:
        """The user's kept turn with this answer (copy and download use the kept answer,
        not what a browser sends), or None."""
        query = (
            select(TURNS.c.asked_at, TURNS.c.answer_id, TURNS.c.payload)
            .join(CONVERSATIONS, TURNS.c.conversation == CONVERSATIONS.c.id)
            .where(CONVERSATIONS.c.user == user, TURNS.c.answer_id == answer_id)
            .limit(1)
        )
        with self._engine.connect() as conn:
            found = conn.execute(query).one_or_none()
        return StoredTurn(*found) if found is not None else None

    def delete(self, user: str, conversation_id: str) -> bool:
        """Delete the conversation and its turns; False if the user had no such conversation."""
        with self._engine.begin() as conn:
            row = _conversation(conn, user, conversation_id)
            if row is None:
                return False
            key = row.id
            # Turns first: not every backend enforces ON DELETE CASCADE (SQLite needs a pragma).
            conn.execute(delete(TURNS).where(TURNS.c.conversation == key))
            conn.execute(delete(CONVERSATIONS).where(CONVERSATIONS.c.id == key))
            return True

    def count_older(self, older_than: datetime) -> int:
        """How many conversations were last continued before ``older_than``."""
        with self._engine.connect() as conn:
            return int(
                conn.execute(
                    select(func.count())
                    .select_from(CONVERSATIONS)
                    .where(CONVERSATIONS.c.updated_at < older_than)
                ).scalar_one()
            )

    def purge(self, older_than: datetime) -> int:
        """Delete every conversation last continued before ``older_than``; how many."""
        with self._engine.begin() as conn:
            old = select(CONVERSATIONS.c.id).where(CONVERSATIONS.c.updated_at < older_than)
            conn.execute(delete(TURNS).where(TURNS.c.conversation.in_(old)))
            return int(
                conn.execute(
                    delete(CONVERSATIONS).where(CONVERSATIONS.c.updated_at < older_than)
                ).rowcount
            )


def _conversation(conn: Connection, user: str, conversation_id: str) -> Row[Any, Any] | None:
    """The user's conversation row (id, subject), or None: ids are unique per user only."""
    return conn.execute(
        select(CONVERSATIONS.c.id, CONVERSATIONS.c.subject).where(
            CONVERSATIONS.c.user == user, CONVERSATIONS.c.conversation_id == conversation_id
        )
    ).one_or_none()
