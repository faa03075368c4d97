"""Request and response bodies of the HTTP API, with the examples shown in /docs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from assistant.contracts import Answer


def _encodable(value: str) -> str:
    """Text that can be stored and shown: a lone surrogate (valid JSON, not Unicode) is
    refused here with 422 rather than failing later in the audit log."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("the text is not valid Unicode") from None
    return value


#: The longest break-glass reason, in the body or the ``X-Break-Glass-Reason`` header.
BREAK_GLASS_MAX = 1000

#: Request text: valid Unicode (length limits are set per field).
Text = Annotated[str, AfterValidator(_encodable)]


class RecordFilterIn(BaseModel):
    """Narrow a question to chosen source systems, record types and dates (the timeline's
    filters). It only ever removes records from those your role and caseload allow."""

    model_config = ConfigDict(extra="forbid")

    systems: list[Annotated[str, Field(max_length=64)]] = Field(default_factory=list, max_length=32)
    record_types: list[Annotated[str, Field(max_length=64)]] = Field(
        default_factory=list, max_length=64
    )
    date_from: date | None = None
    date_to: date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> RecordFilterIn:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("the 'to' date is before the 'from' date")
        return self


class ChatRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "subject": "FAM-0123abcd4567",
                    "question": "What is the history of drug and alcohol misuse in this "
                    "family, and how has it presented?",
                    "purpose": "direct case work",
                }
            ]
        },
    )

    subject: Text = Field(description="Linked person (LP-…) or family (FAM-…) id.", max_length=128)
    question: Text = Field(min_length=1, max_length=2000)
    purpose: Text = Field(default="direct case work", min_length=1, max_length=256)
    #: Looking beyond the caseload: the reason is recorded in the audit log.
    break_glass_reason: Text | None = Field(default=None, max_length=BREAK_GLASS_MAX)
    #: Only these systems, record types and dates (none: every record you may see).
    filters: RecordFilterIn | None = None
    #: Follow-up questions in the same conversation resolve against earlier ones, and the
    #: conversation is kept (``GET /conversations``); omitted: a new one is started (its id
    #: comes back in the ``X-Conversation-Id`` header).
    conversation_id: Text | None = Field(
        default=None, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$"
    )  # it comes back in a header (latin-1 only): found by the HTTP fuzz


class Me(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "user": "demo-family-worker",
                    "role": "family_worker",
                    "role_description": "Early help family worker",
                    "caseload": ["FAM-0123abcd4567"],
                    "may_ask": True,
                    "may_audit": False,
                }
            ]
        }
    )

    user: str
    role: str
    role_description: str = ""
    caseload: list[str]
    may_ask: bool
    may_audit: bool
    #: Source system -> how often caselens refreshes it ("*": every other system).
    source_refresh: dict[str, str] = Field(default_factory=dict)


class SubjectMemberOut(BaseModel):
    id: str
    label: str
    born: int | None = None


class SubjectOut(BaseModel):
    id: str
    kind: str
    label: str
    members: list[SubjectMemberOut]


class SubjectsResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "query": "smith",
                    "subjects": [
                        {
                            "id": "FAM-0123abcd4567",
                            "kind": "family",
                            "label": "Smith family",
                            "members": [
                                {"id": "LP-89ab01cd23ef", "label": "Jo Smith", "born": 2015}
                            ],
                        }
                    ],
                }
            ]
        }
    )

    query: str
    subjects: list[SubjectOut]


class AuthorOut(BaseModel):
    name: str | None = None
    role: str | None = None
    organisation: str | None = None


class Provenance(BaseModel):
    source_system: str
    record_date: date | datetime
    recorded_at: datetime
    author: AuthorOut
    last_refreshed: datetime | None = None
    #: When caselens last prepared the record for search (pseudonymised and indexed).
    indexed_at: datetime | None = None
    refreshes: str
    source_url: str


class RecordView(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "source_system": "EHM",
                    "record_id": "EHM-R-000123",
                    "record_type": "case_note",
                    "title": "Home visit",
                    "text": "Visited the family at home. …",
                    "sensitivity": "standard",
                    "provenance": {
                        "source_system": "EHM",
                        "record_date": "2025-03-04",
                        "recorded_at": "2025-03-05T09:30:00+00:00",
                        "author": {"name": "A. Worker", "role": "family worker"},
                        "last_refreshed": "2026-11-02T02:00:00+00:00",
                        "refreshes": "nightly (overnight ingest)",
                        "source_url": "https://ehm.example.org/r/EHM-R-000123",
                    },
                }
            ]
        }
    )

    source_system: str
    record_id: str
    record_type: str
    title: str
    text: str
    sensitivity: str
    provenance: Provenance


class Health(BaseModel):
    status: str = Field(examples=["ok"])
    version: str = Field(examples=["0.1.0"])


class ConversationSummaryOut(BaseModel):
    """One kept conversation in the list (``GET /conversations``)."""

    conversation_id: str
    subject: str
    started_at: datetime
    updated_at: datetime
    questions: int
    #: The first question as kept (names replaced by placeholders, as in a trace).
    first_question: str


class ConversationsResponse(BaseModel):
    conversations: list[ConversationSummaryOut]
    #: How long a conversation is kept after it was last continued.
    retention_days: int


class ConversationTurnOut(BaseModel):
    asked_at: datetime
    #: The answer as it was given, re-identified for you now (your permissions today);
    #: the question as kept (names replaced by placeholders).
    answer: Answer


class ConversationOut(BaseModel):
    conversation_id: str
    subject: str
    turns: list[ConversationTurnOut]
