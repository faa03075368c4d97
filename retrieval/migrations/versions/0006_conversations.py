"""Chat conversations and their turns, kept per user (pseudonymised text only).

Revision ID: 0006_conversations
Revises: 0005_chat_panel
Create Date: 2026-12-04

Turns go with their conversation (ON DELETE CASCADE); conversations older than the
retention setting are purged (``caselens conversations purge``).
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0006_conversations"
down_revision: Union[str, Sequence[str], None] = "0005_chat_panel"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "conversations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("conversation_id", sa.String(64), nullable=False),
        sa.Column("user", sa.String(256), nullable=False),
        sa.Column("subject", sa.String(128), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_conversations"),
        sa.UniqueConstraint("user", "conversation_id", name="uq_conversations_user"),
    )
    op.create_index("ix_conversations_updated_at", "conversations", ["updated_at"])
    op.create_table(
        "conversation_turns",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("conversation", sa.Integer(), nullable=False),
        sa.Column("asked_at", TS, nullable=False),
        sa.Column("answer_id", sa.String(64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_conversation_turns"),
        sa.ForeignKeyConstraint(
            ["conversation"],
            ["conversations.id"],
            name="fk_conversation_turns_conversation_conversations",
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        "ix_conversation_turns_conversation", "conversation_turns", ["conversation"]
    )


def downgrade() -> None:
    op.drop_index("ix_conversation_turns_conversation", table_name="conversation_turns")
    op.drop_table("conversation_turns")
    op.drop_index("ix_conversations_updated_at", table_name="conversations")
    op.drop_table("conversations")
