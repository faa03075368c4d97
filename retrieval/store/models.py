"""ORM models of the case store. The schema itself is created only by Alembic migrations.

These classes describe the tables for queries; ``retrieval/migrations`` creates and evolves
them (a test compares the two so they cannot drift). Only portable column types are used so
the same models run on SQLite and PostgreSQL. Later features (token vault, audit log) add
their own tables in later migrations.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from retrieval.store.types import UTCDateTime

#: Deterministic constraint names, so migrations can alter constraints on every backend.
NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SYSTEM_LEN = 32
ID_LEN = 128


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class SourceRecordRow(Base):
    """One source record as last ingested; ``original`` keeps every field, unknown ones too."""

    __tablename__ = "source_records"
    __table_args__ = (
        UniqueConstraint("source_system", "record_id"),
        Index("ix_source_records_system_type", "source_system", "record_type"),
        Index("ix_source_records_occurred_at", "occurred_at"),
        Index("ix_source_records_changed_at", "changed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source_system: Mapped[str] = mapped_column(String(SYSTEM_LEN))
    record_id: Mapped[str] = mapped_column(String(ID_LEN))
    record_type: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sensitivity: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[dict[str, Any]] = mapped_column(JSON)
    person_ids: Mapped[list[str]] = mapped_column(JSON)
    source_url: Mapped[str] = mapped_column(String(2048))
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    policy_tags: Mapped[list[str]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    original: Mapped[dict[str, Any]] = mapped_column(JSON)
    first_ingested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: When ingest inserted the record or its content last changed (What's new).
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class RecordPersonRow(Base):
    """Which source-system people a record is about; indexed for subject scoping."""

    __tablename__ = "record_people"
    __table_args__ = (
        ForeignKeyConstraint(
            ["source_system", "record_id"],
            ["source_records.source_system", "source_records.record_id"],
            ondelete="CASCADE",
        ),
        Index("ix_record_people_person", "source_system", "person_id"),
    )

    source_system: Mapped[str] = mapped_column(String(SYSTEM_LEN), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(ID_LEN), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(ID_LEN), primary_key=True)


class PersonRow(Base):
    """One person as one source system records them."""

    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("source_system", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source_system: Mapped[str] = mapped_column(String(SYSTEM_LEN))
    person_id: Mapped[str] = mapped_column(String(ID_LEN))
    given_name: Mapped[str | None] = mapped_column(String(256), nullable=True)
    family_name: Mapped[str | None] = mapped_column(String(256), nullable=True)
    known_as: Mapped[list[str]] = mapped_column(JSON)
    dob: Mapped[date | None] = mapped_column(Date, nullable=True)
    gender: Mapped[str | None] = mapped_column(String(64), nullable=True)
    ethnicity: Mapped[str | None] = mapped_column(String(128), nullable=True)
    language: Mapped[str | None] = mapped_column(String(64), nullable=True)
    address: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    identifiers: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    original: Mapped[dict[str, Any]] = mapped_column(JSON)
    first_ingested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PersonRelationshipRow(Base):
    """A relationship between two people of the same source system, as that system records it."""

    __tablename__ = "person_relationships"
    __table_args__ = (
        ForeignKeyConstraint(
            ["source_system", "person_id"],
            ["people.source_system", "people.person_id"],
            ondelete="CASCADE",
        ),
        Index("ix_person_relationships_related", "source_system", "related_person_id"),
    )

    source_system: Mapped[str] = mapped_column(String(SYSTEM_LEN), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(ID_LEN), primary_key=True)
    related_person_id: Mapped[str] = mapped_column(String(ID_LEN), primary_key=True)
    type: Mapped[str] = mapped_column(String(64), primary_key=True)


class LinkedPersonRow(Base):
    """One real person as record linkage sees them; ``family_id`` groups their family network."""

    __tablename__ = "linked_people"

    linked_person_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    family_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    member_count: Mapped[int] = mapped_column(Integer)


class LinkedMemberRow(Base):
    """A source-system person belonging to a linked person (each person in one cluster only)."""

    __tablename__ = "linked_person_members"

    source_system: Mapped[str] = mapped_column(String(SYSTEM_LEN), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(ID_LEN), primary_key=True)
    linked_person_id: Mapped[str] = mapped_column(
        String(64),
        ForeignKey("linked_people.linked_person_id", ondelete="CASCADE"),
        index=True,
    )


class LinkedRelationshipRow(Base):
    """A family tie between linked people, derived from the source systems' relationships."""

    __tablename__ = "linked_relationships"

    linked_person_id: Mapped[str] = mapped_column(
        String(64),
        ForeignKey("linked_people.linked_person_id", ondelete="CASCADE"),
        primary_key=True,
    )
    related_linked_person_id: Mapped[str] = mapped_column(
        String(64),
        ForeignKey("linked_people.linked_person_id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    )
    type: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: How many source-system relationships support this tie.
    evidence_count: Mapped[int] = mapped_column(Integer)


class ReviewPairRow(Base):
    """Two people linkage was unsure about, waiting for a human (clerical review)."""

    __tablename__ = "review_pairs"
    __table_args__ = (
        UniqueConstraint("left_system", "left_person_id", "right_system", "right_person_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    left_system: Mapped[str] = mapped_column(String(SYSTEM_LEN))
    left_person_id: Mapped[str] = mapped_column(String(ID_LEN))
    right_system: Mapped[str] = mapped_column(String(SYSTEM_LEN))
    right_person_id: Mapped[str] = mapped_column(String(ID_LEN))
    probability: Mapped[float] = mapped_column(Float)
    evidence: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class LinkageRunRow(Base):
    """When linkage results were stored, with what thresholds and outcome counts."""

    __tablename__ = "linkage_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    people: Mapped[int] = mapped_column(Integer)
    linked_people: Mapped[int] = mapped_column(Integer)
    families: Mapped[int] = mapped_column(Integer)
    review_pairs: Mapped[int] = mapped_column(Integer)
    link_threshold: Mapped[float] = mapped_column(Float)
    review_threshold: Mapped[float] = mapped_column(Float)


class IngestRunRow(Base):
    """One ``caselens ingest`` run: when, from where, how it ended, what it counted."""

    __tablename__ = "ingest_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    source: Mapped[str] = mapped_column(String(1024))
    counts: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: Exception class and message written by caselens code: never record contents.
    error: Mapped[str | None] = mapped_column(Text, nullable=True)


# Tables added by later migrations live in their own modules; importing them here puts
# them on ``Base.metadata`` so the migration/model comparison sees every table.
from retrieval.store import audit_models as _audit_models  # noqa: E402, F401
from retrieval.store import conversation_models as _conversation_models  # noqa: E402, F401
from retrieval.store import ehcp_models as _ehcp_models  # noqa: E402, F401
from retrieval.store import feedback_models as _feedback_models  # noqa: E402, F401
from retrieval.store import redaction_models as _redaction_models  # noqa: E402, F401
