"""ORM models of the redaction tables (created by migration ``0002_redaction``).

``pseudonymised_records`` holds the only text the index may read; its rows go with their
source record (``ON DELETE CASCADE``). ``redaction_placeholders`` numbers the people and
things Presidio found per family (``[Person 3]``) under a keyed HMAC of the value, so the
same value gets the same placeholder in every record of the family without the raw value
ever being stored.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from retrieval.store.models import ID_LEN, SYSTEM_LEN, Base
from retrieval.store.types import UTCDateTime


class PseudonymisedRecordRow(Base):
    """A permitted source record after pseudonymisation, with its sealed token vault entry."""

    __tablename__ = "pseudonymised_records"
    __table_args__ = (
        ForeignKeyConstraint(
            ["source_system", "record_id"],
            ["source_records.source_system", "source_records.record_id"],
            ondelete="CASCADE",
        ),
    )

    source_system: Mapped[str] = mapped_column(String(SYSTEM_LEN), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(ID_LEN), primary_key=True)
    record_type: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sensitivity: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    source_url: Mapped[str] = mapped_column(String(2048))
    author_role: Mapped[str | None] = mapped_column(String(256), nullable=True)
    policy_tags: Mapped[list[str]] = mapped_column(JSON)
    linked_person_ids: Mapped[list[str]] = mapped_column(JSON)
    family_ids: Mapped[list[str]] = mapped_column(JSON)
    #: content_hash of the source record this was made from.
    source_content_hash: Mapped[str] = mapped_column(String(64))
    #: Hash of what was known about the record's family when it was made.
    context_hash: Mapped[str] = mapped_column(String(64))
    redactor_version: Mapped[str] = mapped_column(String(32))
    #: Fernet token: placeholder -> original text, sealed with the vault key.
    vault: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class RedactionPlaceholderRow(Base):
    """One numbered placeholder of one family: ``[<label> <number>]`` for a keyed value hash."""

    __tablename__ = "redaction_placeholders"
    __table_args__ = (
        UniqueConstraint("family_key", "label", "number"),
        Index("ix_redaction_placeholders_family", "family_key"),
    )

    family_key: Mapped[str] = mapped_column(String(128), primary_key=True)
    #: HMAC-SHA256 (vault-derived key) of the entity type and normalised value; hex.
    value_hmac: Mapped[str] = mapped_column(String(64), primary_key=True)
    label: Mapped[str] = mapped_column(String(64))
    number: Mapped[int] = mapped_column(Integer)
