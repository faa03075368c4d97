"""What's new and answer feedback (issue 20): when a record's content last changed, and
workers' feedback on answers.

Revision ID: 0005_chat_panel
Revises: 0004_ehcp
Create Date: 2026-12-04

``source_records.changed_at`` is set when ingest inserts a record or its content changes
(not when an unchanged record is only seen again); existing rows take their first-ingest
time. ``answer_feedback`` keeps ratings with the answer id, reason codes and a comment that
was pseudonymised before it was stored (see api/app/feedback_store.py).
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0005_chat_panel"
down_revision: Union[str, Sequence[str], None] = "0004_ehcp"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("source_records") as batch:
        batch.add_column(sa.Column("changed_at", TS, nullable=True))
    op.execute("UPDATE source_records SET changed_at = first_ingested_at")
    op.create_index("ix_source_records_changed_at", "source_records", ["changed_at"])
    op.create_table(
        "answer_feedback",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("answer_id", sa.String(64), nullable=False),
        sa.Column("user", sa.String(256), nullable=False),
        sa.Column("role", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(128), nullable=False),
        sa.Column("rating", sa.String(8), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_answer_feedback"),
        sa.UniqueConstraint("answer_id", "user", name="uq_answer_feedback_answer_id"),
    )


def downgrade() -> None:
    op.drop_table("answer_feedback")
    op.drop_index("ix_source_records_changed_at", table_name="source_records")
    with op.batch_alter_table("source_records") as batch:
        batch.drop_column("changed_at")
