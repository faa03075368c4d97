"""Redaction: pseudonymised records (with sealed token vault) and per-family placeholders.

Revision ID: 0002_redaction
Revises: 0001_case_store
Create Date: 2026-11-02

Pseudonymised rows are deleted with their source record (ON DELETE CASCADE). The
placeholder registry stores keyed HMACs of values, never the values.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0002_redaction"
down_revision: Union[str, Sequence[str], None] = "0001_case_store"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "pseudonymised_records",
        sa.Column("source_system", sa.String(32), nullable=False),
        sa.Column("record_id", sa.String(128), nullable=False),
        sa.Column("record_type", sa.String(64), nullable=False),
        sa.Column("occurred_at", TS, nullable=False),
        sa.Column("recorded_at", TS, nullable=False),
        sa.Column("sensitivity", sa.String(16), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source_url", sa.String(2048), nullable=False),
        sa.Column("author_role", sa.String(256), nullable=True),
        sa.Column("policy_tags", sa.JSON(), nullable=False),
        sa.Column("linked_person_ids", sa.JSON(), nullable=False),
        sa.Column("family_ids", sa.JSON(), nullable=False),
        sa.Column("source_content_hash", sa.String(64), nullable=False),
        sa.Column("context_hash", sa.String(64), nullable=False),
        sa.Column("redactor_version", sa.String(32), nullable=False),
        sa.Column("vault", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("source_system", "record_id", name="pk_pseudonymised_records"),
        sa.ForeignKeyConstraint(
            ["source_system", "record_id"],
            ["source_records.source_system", "source_records.record_id"],
            name="fk_pseudonymised_records_source_system_source_records",
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "redaction_placeholders",
        sa.Column("family_key", sa.String(128), nullable=False),
        sa.Column("value_hmac", sa.String(64), nullable=False),
        sa.Column("label", sa.String(64), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("family_key", "value_hmac", name="pk_redaction_placeholders"),
        sa.UniqueConstraint(
            "family_key", "label", "number", name="uq_redaction_placeholders_family_key"
        ),
    )
    op.create_index(
        "ix_redaction_placeholders_family", "redaction_placeholders", ["family_key"]
    )


def downgrade() -> None:
    op.drop_index("ix_redaction_placeholders_family", table_name="redaction_placeholders")
    op.drop_table("redaction_placeholders")
    op.drop_table("pseudonymised_records")
