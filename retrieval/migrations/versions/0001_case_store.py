"""Case store: source records, people, linkage, families, review pairs, ingest runs.

Revision ID: 0001_case_store
Revises:
Create Date: 2026-11-01

Portable types only (SQLite by default, PostgreSQL by URL). Timestamps are stored as UTC
(see retrieval.store.types.UTCDateTime). Later features add their own revisions.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0001_case_store"
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "source_records",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source_system", sa.String(32), nullable=False),
        sa.Column("record_id", sa.String(128), nullable=False),
        sa.Column("record_type", sa.String(64), nullable=False),
        sa.Column("occurred_at", TS, nullable=False),
        sa.Column("recorded_at", TS, nullable=False),
        sa.Column("sensitivity", sa.String(16), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.JSON(), nullable=False),
        sa.Column("person_ids", sa.JSON(), nullable=False),
        sa.Column("source_url", sa.String(2048), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("updated_at", TS, nullable=True),
        sa.Column("policy_tags", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("original", sa.JSON(), nullable=False),
        sa.Column("first_ingested_at", TS, nullable=False),
        sa.Column("last_refreshed_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_source_records"),
        sa.UniqueConstraint(
            "source_system", "record_id", name="uq_source_records_source_system"
        ),
    )
    op.create_index(
        "ix_source_records_system_type", "source_records", ["source_system", "record_type"]
    )
    op.create_index("ix_source_records_occurred_at", "source_records", ["occurred_at"])

    op.create_table(
        "record_people",
        sa.Column("source_system", sa.String(32), nullable=False),
        sa.Column("record_id", sa.String(128), nullable=False),
        sa.Column("person_id", sa.String(128), nullable=False),
        sa.PrimaryKeyConstraint(
            "source_system", "record_id", "person_id", name="pk_record_people"
        ),
        sa.ForeignKeyConstraint(
            ["source_system", "record_id"],
            ["source_records.source_system", "source_records.record_id"],
            name="fk_record_people_source_system_source_records",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_record_people_person", "record_people", ["source_system", "person_id"])

    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source_system", sa.String(32), nullable=False),
        sa.Column("person_id", sa.String(128), nullable=False),
        sa.Column("given_name", sa.String(256), nullable=True),
        sa.Column("family_name", sa.String(256), nullable=True),
        sa.Column("known_as", sa.JSON(), nullable=False),
        sa.Column("dob", sa.Date(), nullable=True),
        sa.Column("gender", sa.String(64), nullable=True),
        sa.Column("ethnicity", sa.String(128), nullable=True),
        sa.Column("language", sa.String(64), nullable=True),
        sa.Column("address", sa.JSON(), nullable=True),
        sa.Column("identifiers", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("original", sa.JSON(), nullable=False),
        sa.Column("first_ingested_at", TS, nullable=False),
        sa.Column("last_refreshed_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_people"),
        sa.UniqueConstraint("source_system", "person_id", name="uq_people_source_system"),
    )

    op.create_table(
        "person_relationships",
        sa.Column("source_system", sa.String(32), nullable=False),
        sa.Column("person_id", sa.String(128), nullable=False),
        sa.Column("related_person_id", sa.String(128), nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint(
            "source_system",
            "person_id",
            "related_person_id",
            "type",
            name="pk_person_relationships",
        ),
        sa.ForeignKeyConstraint(
            ["source_system", "person_id"],
            ["people.source_system", "people.person_id"],
            name="fk_person_relationships_source_system_people",
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        "ix_person_relationships_related",
        "person_relationships",
        ["source_system", "related_person_id"],
    )

    op.create_table(
        "linked_people",
        sa.Column("linked_person_id", sa.String(64), nullable=False),
        sa.Column("family_id", sa.String(64), nullable=True),
        sa.Column("member_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("linked_person_id", name="pk_linked_people"),
    )
    op.create_index("ix_linked_people_family_id", "linked_people", ["family_id"])

    op.create_table(
        "linked_person_members",
        sa.Column("source_system", sa.String(32), nullable=False),
        sa.Column("person_id", sa.String(128), nullable=False),
        sa.Column("linked_person_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("source_system", "person_id", name="pk_linked_person_members"),
        sa.ForeignKeyConstraint(
            ["linked_person_id"],
            ["linked_people.linked_person_id"],
            name="fk_linked_person_members_linked_person_id_linked_people",
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        "ix_linked_person_members_linked_person_id",
        "linked_person_members",
        ["linked_person_id"],
    )

    op.create_table(
        "linked_relationships",
        sa.Column("linked_person_id", sa.String(64), nullable=False),
        sa.Column("related_linked_person_id", sa.String(64), nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("evidence_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "linked_person_id",
            "related_linked_person_id",
            "type",
            name="pk_linked_relationships",
        ),
        sa.ForeignKeyConstraint(
            ["linked_person_id"],
            ["linked_people.linked_person_id"],
            name="fk_linked_relationships_linked_person_id_linked_people",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["related_linked_person_id"],
            ["linked_people.linked_person_id"],
            name="fk_linked_relationships_related_linked_person_id_linked_people",
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        "ix_linked_relationships_related_linked_person_id",
        "linked_relationships",
        ["related_linked_person_id"],
    )

    op.create_table(
        "review_pairs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("left_system", sa.String(32), nullable=False),
        sa.Column("left_person_id", sa.String(128), nullable=False),
        sa.Column("right_system", sa.String(32), nullable=False),
        sa.Column("right_person_id", sa.String(128), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_review_pairs"),
        sa.UniqueConstraint(
            "left_system",
            "left_person_id",
            "right_system",
            "right_person_id",
            name="uq_review_pairs_left_system",
        ),
    )

    op.create_table(
        "linkage_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("linked_people", sa.Integer(), nullable=False),
        sa.Column("families", sa.Integer(), nullable=False),
        sa.Column("review_pairs", sa.Integer(), nullable=False),
        sa.Column("link_threshold", sa.Float(), nullable=False),
        sa.Column("review_threshold", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_linkage_runs"),
    )

    op.create_table(
        "ingest_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("finished_at", TS, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("source", sa.String(1024), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_ingest_runs"),
    )
    op.create_index("ix_ingest_runs_status", "ingest_runs", ["status"])


def downgrade() -> None:
    op.drop_index("ix_ingest_runs_status", table_name="ingest_runs")
    op.drop_table("ingest_runs")
    op.drop_table("linkage_runs")
    op.drop_table("review_pairs")
    op.drop_index("ix_linked_relationships_related_linked_person_id", "linked_relationships")
    op.drop_table("linked_relationships")
    op.drop_index("ix_linked_person_members_linked_person_id", "linked_person_members")
    op.drop_table("linked_person_members")
    op.drop_index("ix_linked_people_family_id", table_name="linked_people")
    op.drop_table("linked_people")
    op.drop_index("ix_person_relationships_related", table_name="person_relationships")
    op.drop_table("person_relationships")
    op.drop_table("people")
    op.drop_index("ix_record_people_person", table_name="record_people")
    op.drop_table("record_people")
    op.drop_index("ix_source_records_occurred_at", table_name="source_records")
    op.drop_index("ix_source_records_system_type", table_name="source_records")
    op.drop_table("source_records")
