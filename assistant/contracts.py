"""The answer contract and the small interfaces between the assistant's parts.

``Answer`` is ARCHITECTURE.md's answer shape, returned unchanged by the CLI (``--json``),
the API and the evals. The Protocols keep the assistant independent of how retrieval and
generation are done: a generator only ever sees numbered, pseudonymised sources.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Literal, Protocol

from pydantic import BaseModel, Field, PrivateAttr

if TYPE_CHECKING:
    from assistant.prompt_files import PromptFile

from retrieval.principal import Principal

if TYPE_CHECKING:
    from assistant.prompt_files import PromptFile

Reliability = Literal[
    "observed", "self_reported", "third_party_allegation", "assessment", "unknown"
]


class AnswerSentence(BaseModel):
    text: str
    citations: list[int] = Field(default_factory=list)
    supported: bool = True
    #: For chronology items: when it happened and how the record knows it.
    occurred_at: date | None = None
    reliability: Reliability | None = None
    #: fact (cited, answers the question), closest (cited, the nearest recorded sentence
    #: when nothing answers directly: shown as such, never as the answer), absence (what
    #: was searched and withheld; either nothing is recorded, or the hedge "I could not
    #: find a direct answer" before closest sentences) or refusal (why not).
    kind: Literal["fact", "closest", "absence", "refusal"] = "fact"
    #: The record itself notes the account is denied, disputed or not verified.
    disputed: bool = False
    #: Whose account it is, in plain words, where the sentence says so ("neighbour",
    #: "school nurse", the person's name once re-identified); None when it does not.
    source: str | None = None
    #: How the item is shown: "neighbour's allegation", "mother's account", "observed by
    #: the author", "source of knowledge not stated".
    provenance: str | None = None
    #: The recorded outcome (attended and found, no further action, denied, withdrawn ...)
    #: of the allegation, concern, referral or incident in the item just before it, from
    #: the same record: part of that chronology item.
    outcome: bool = False
    #: Another account of the event in the item above it (from another record or another
    #: person: the parent's denial of a neighbour's allegation, what officers found),
    #: shown side by side under that event (``assistant.accounts``).
    account: bool = False


class Citation(BaseModel):
    n: int
    record_id: str
    source_system: str
    record_type: str
    occurred_at: date | datetime
    author: str | None = None
    title: str = ""
    source_url: str
    last_refreshed: datetime | None = None
    quote: str = ""


class Answer(BaseModel):
    answer_id: str
    question: str
    #: The self-contained question that was answered, when it differs from ``question``
    #: (a follow-up resolved against the previous turn: "and since the move?" ->
    #: "What is recorded about domestic abuse since the latest house move?"); else None.
    resolved_question: str | None = None
    subject: str | None = None
    sentences: list[AnswerSentence] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    searched_systems: list[str] = Field(default_factory=list)
    withheld_count: int = 0
    refused: bool = False
    refusal_reason: str | None = None
    trace_id: str | None = None
    #: The same answer before display-time re-identification (never serialised).
    _pseudonymised: Answer | None = PrivateAttr(default=None)

    def pseudonymised(self) -> Answer | None:
        """This answer as the answer service wrote it, in the family's pseudonyms (the
        question too): what may be stored (a kept conversation). None for an answer the
        service did not make."""
        return self._pseudonymised

    def keeping(self, pseudonymised: Answer) -> Answer:
        """This answer, remembering its pseudonymised form (set by the answer service)."""
        self._pseudonymised = pseudonymised
        return self


@dataclass(frozen=True)
class RetrievedChunk:
    """One permitted, pseudonymised chunk as retrieval hands it to the assistant."""

    chunk_id: str
    source_system: str
    record_id: str
    record_type: str
    occurred_at: date | datetime
    title: str
    text: str
    source_url: str
    score: float = 0.0
    author_role: str | None = None
    last_refreshed: datetime | None = None
    #: Linked people and families the record is about (ids only).
    person_ids: tuple[str, ...] = ()
    family_ids: tuple[str, ...] = ()
    #: The record's text just before the chunk (pseudonymised): the section heading and
    #: lines a chunk that starts mid-record stands under. Context only, never cited.
    lead_in: str = ""


@dataclass
class RetrievalResult:
    chunks: list[RetrievedChunk]
    #: Systems the principal may see that were searched (named in absence answers).
    searched_systems: list[str] = field(default_factory=list)
    #: Matching records the principal may not see (count only, never what they are).
    withheld_count: int = 0
    #: Withheld records per source system, and the roles that could see them.
    withheld_by_system: dict[str, int] = field(default_factory=dict)
    withheld_visible_to: dict[str, list[str]] = field(default_factory=dict)
    #: The subject the withheld counts are for (the family, when a person's search was
    #: widened to it).
    searched_subject: str | None = None


class Retriever(Protocol):
    """Scoped, permitted retrieval; scope comes from the principal, never from the query."""

    def retrieve(
        self, principal: Principal, subject: str, query: str, k: int, narrow: object = None
    ) -> RetrievalResult:
        """``narrow`` (``assistant.timeline.RecordFilter``; passed only when a worker chose
        one) limits the records to chosen systems, types and dates within the permitted."""
        ...

    def explain_withheld(
        self, principal: Principal, subject: str
    ) -> tuple[dict[str, int], dict[str, list[str]]]:
        """Withheld records per source system, and the roles that could see them."""
        ...


@dataclass(frozen=True)
class NumberedSource:
    """What a generator may read: a number to cite, and pseudonymised text."""

    n: int
    chunk: RetrievedChunk


@dataclass(frozen=True)
class DraftSentence:
    """A generator's sentence before verification; citation numbers as it wrote them."""

    text: str
    citations: tuple[int, ...]
    occurred_at: date | None = None
    reliability: Reliability | None = None
    #: "closest": the generator found no direct answer and offers this as the nearest.
    kind: Literal["fact", "closest"] = "fact"
    #: Whose account it is, where the sentence says so (placeholders stay placeholders).
    source: str | None = None
    #: The item's provenance in plain words ("neighbour's allegation").
    provenance: str | None = None
    #: The recorded outcome of the claim in the sentence just before it (same record).
    outcome: bool = False
    #: Another account of the event of the claim above it (``AnswerSentence.account``).
    account: bool = False


class Generator(Protocol):
    """Turns numbered sources into cited sentences. Streams sentences as they are ready.

    ``model`` and ``prompt`` name what writes the sentences (``None`` where no model or
    prompt does, as in the extractive generator); traces record them."""

    name: str

    @property
    def model(self) -> str | None: ...

    @property
    def prompt(self) -> PromptFile | None: ...

    def build_messages(self, question: str, sources: Sequence[NumberedSource]) -> object:
        """What the generator is given for ``question`` (a trace's input: a model's chat
        messages, or the source chunk ids for the extractive generator)."""
        ...

    def generate(
        self,
        question: str,
        sources: Sequence[NumberedSource],
        *,
        history: Sequence[str] = (),
        about: frozenset[str] = frozenset(),
    ) -> Iterator[DraftSentence]:
        """``question`` is in the family's pseudonyms; ``about``: linked ids of the people
        the question is about (a source's ``chunk.person_ids`` says whom it concerns)."""
        ...

    def warm(self) -> None:
        """Load models now (no case data), so the first question pays no loading cost."""
        ...
