"""The source-record and person contracts every extract line is validated against.

These models are the contract of ARCHITECTURE.md: one JSON object per line, unknown
fields kept (``extra="allow"``) so nothing a source system sends is silently lost.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

#: Source systems the estate generator writes; other upper-case codes are accepted too.
KNOWN_SOURCE_SYSTEMS: tuple[str, ...] = (
    "LCS",
    "EHM",
    "SCHOOL",
    "POLICE",
    "HEALTH",
    "HOUSING",
    "YOUTH_JUSTICE",
    "SEND",
)

Sensitivity = Literal["standard", "restricted", "sealed"]

_SYSTEM_CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,31}$")
_RECORD_TYPE = re.compile(r"^[a-z][a-z0-9_]{1,63}$")


def as_day(value: date | datetime) -> date:
    """The calendar day of a record date (``occurred_at`` may be a date or a datetime)."""
    return value.date() if isinstance(value, datetime) else value


def _check_system(value: str) -> str:
    if not _SYSTEM_CODE.match(value):
        raise ValueError("must be an upper-case system code such as LCS or SCHOOL")
    return value


class Author(BaseModel):
    """Who wrote a record; professional contact details, not the subject's."""

    model_config = ConfigDict(extra="allow")

    name: str | None = None
    role: str | None = None
    organisation: str | None = None
    email: str | None = None
    phone: str | None = None


class SourceRecord(BaseModel):
    """One record from one source system (a case note, referral, incident, advice report...)."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    record_id: str = Field(min_length=1, max_length=128)
    source_system: str
    record_type: str
    person_ids: list[str] = Field(min_length=1)
    occurred_at: date | datetime
    recorded_at: datetime
    author: Author = Field(default_factory=Author)
    title: str = ""
    text: str = Field(min_length=1)
    sensitivity: Sensitivity = "standard"
    source_url: str = Field(pattern=r"^https?://\S+$")
    version: int | None = Field(default=None, ge=0)
    updated_at: datetime | None = None
    #: Markers set by the source system that the information-sharing policy reads,
    #: e.g. ``no_ai_processing`` or ``adoption``.
    policy_tags: list[str] = Field(default_factory=list)

    @field_validator("source_system")
    @classmethod
    def _valid_system(cls, value: str) -> str:
        return _check_system(value)

    @field_validator("record_type")
    @classmethod
    def _check_record_type(cls, value: str) -> str:
        if not _RECORD_TYPE.match(value):
            raise ValueError("must be a lower-case type such as case_note or referral")
        return value

    @field_validator("person_ids")
    @classmethod
    def _check_person_ids(cls, value: list[str]) -> list[str]:
        if any(not p or not p.strip() for p in value):
            raise ValueError("must not contain empty ids")
        return value

    @model_validator(mode="after")
    def _needs_version(self) -> SourceRecord:
        if self.version is None and self.updated_at is None:
            raise ValueError("either version or updated_at is required")
        return self

    @property
    def key(self) -> tuple[str, str]:
        """Identity of a record across re-ingests: ``record_id`` is unique per system."""
        return (self.source_system, self.record_id)


class Address(BaseModel):
    model_config = ConfigDict(extra="allow")

    line1: str | None = None
    line2: str | None = None
    town: str | None = None
    postcode: str | None = None


class Identifiers(BaseModel):
    model_config = ConfigDict(extra="allow")

    nhs_number: str | None = None
    upn: str | None = None
    ni_number: str | None = None


class Relationship(BaseModel):
    """A relationship to another person in the same source system.

    Direction (the contract): ``type`` is what the *other* person is **to me**. On a
    child's line ``{person_id: M, type: mother}`` means M is my mother; on M's line
    ``{person_id: C, type: child}`` means C is her child. Exports written the other way
    round ("I am the mother of X") are turned round on ingest only when configured
    (``relationship_direction: me_to_theirs``); ingest quarantines relationships the
    people's dates of birth or the other person's line contradict
    (``retrieval.ingest.relationships``).
    """

    model_config = ConfigDict(extra="allow")

    person_id: str = Field(min_length=1)
    type: str = Field(min_length=1)


class Person(BaseModel):
    """One person as one source system records them (spellings, DOB and address may differ)."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    person_id: str = Field(min_length=1, max_length=128)
    source_system: str
    given_name: str | None = None
    family_name: str | None = None
    known_as: list[str] = Field(default_factory=list)
    dob: date | None = None
    gender: str | None = None
    ethnicity: str | None = None
    language: str | None = None
    address: Address | None = None
    identifiers: Identifiers = Field(default_factory=Identifiers)
    relationships: list[Relationship] = Field(default_factory=list)

    @field_validator("source_system")
    @classmethod
    def _valid_system(cls, value: str) -> str:
        return _check_system(value)

    @model_validator(mode="after")
    def _needs_a_name(self) -> Person:
        if not (self.given_name or self.family_name or self.known_as):
            raise ValueError("a person needs at least one of given_name, family_name, known_as")
        return self

    @property
    def key(self) -> tuple[str, str]:
        return (self.source_system, self.person_id)
