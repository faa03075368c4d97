"""EHCP drafts and their review history (see assistant/ehcp).

Revision ID: 0004_ehcp
Revises: 0003_audit
Create Date: 2026-11-25

Review events go with their draft (ON DELETE CASCADE).
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0004_ehcp"
down_revision: Union[str, Sequence[str], None] = "0003_audit"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "ehcp_drafts",
        sa.Column("draft_id", sa.String(64), nullable=False),
        sa.Column("child_id", sa.String(128), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_by", sa.String(256), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("signed_off_by", sa.String(256), nullable=True),
        sa.Column("signed_off_at", TS, nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("draft_id", name="pk_ehcp_drafts"),
    )
    op.create_index("ix_ehcp_drafts_child", "ehcp_drafts", ["child_id"])
    op.create_table(
        "ehcp_review_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("draft_id", sa.String(64), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("section", sa.String(8), nullable=True),
        sa.Column("user", sa.String(256), nullable=False),
        sa.Column("role", sa.String(64), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("diff", sa.Text(), nullable=True),
        sa.Column("similarity", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_ehcp_review_events"),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["ehcp_drafts.draft_id"],
            name="fk_ehcp_review_events_draft_id_ehcp_drafts",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_ehcp_review_events_draft", "ehcp_review_events", ["draft_id"])


def downgrade() -> None:
    op.drop_index("ix_ehcp_review_events_draft", table_name="ehcp_review_events")
    op.drop_table("ehcp_review_events")
    op.drop_index("ix_ehcp_drafts_child", table_name="ehcp_drafts")
    op.drop_table("ehcp_drafts")
