"""Overview of one child or family: who is involved, what has happened, strengths beside
concerns, the child's own words, and where to look next. Every item cites its record.

Facts, never judgement: counts, dates and verbatim sentences only; no score, rating or
risk level is computed. The records come from the index through the same permission filter
as answers (``SubjectRecords``: ``retrieval.index.HybridSearcher.subject_records``), so a
withheld, sealed or ``no_ai_processing`` record never reaches this module; withheld
records are counted per source system with the roles that could see them, never shown.
Sentences are chosen by the answer stack's rules: topic cue words (``assistant.topics``),
the same meaning-based relevance (``assistant.relevance``), and the chronology's
observed / self-reported / allegation labels (``assistant.reliability``). Which record
types are key events is a reviewed data file (``assistant/data/event_kinds.yaml``).
Real names are put back only at display time, through the answer stack's reidentifier.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any, Protocol

import yaml

from assistant.relevance import Candidate, RelevanceModel
from assistant.text import split_sentences
from assistant.topics import CONCERN_TOPICS, TOPIC_BY_NAME, sentence_topics
from retrieval.principal import Principal

#: (principal, text, cited record keys) -> text with the names the principal may see.
Reidentifier = Callable[[Any, str, Sequence[tuple[str, str]]], str]

#: The one line every overview carries (issue 23: facts, not judgement).
FACTS_ONLY = (
    "This overview lists what is recorded: dates, counts and the records' own words. "
    "caselens gives no scores, ratings or risk levels; a practitioner decides."
)
#: What the strengths and concerns are ranked against (the answer stack's relevance).
STRENGTHS_QUERY = "What is going well: strengths, protective factors, support and progress?"
CONCERNS_QUERY = "What concerns are recorded about the child's safety and wellbeing?"
VOICE_QUERY = "What has the child said about their views, wishes and feelings?"
#: A fact is a sentence, not a heading ("Strengths", "This is a strength.").
_MIN_WORDS = 5
#: Words a parent or carer uses, not the child: a parent author, a parent's placeholder,
#: or an "I" who speaks about a child ("I want [Child 1] to read").
_PARENT_AUTHOR = re.compile(r"parent|mother|father|carer|\bmum\b|\bdad\b", re.IGNORECASE)
_QUOTED = re.compile(r"['\"\u2018\u201c]\w")
_PARENT_VOICE = re.compile(r"\[(?:Mother|Father|Parent|Carer|Step)|\bI\b[^.]*\[Child")


class RecordChunk(Protocol):
    """One indexed chunk of a permitted record (``retrieval.index.SearchHit``)."""

    @property
    def record_id(self) -> str: ...

    @property
    def source_system(self) -> str: ...

    @property
    def record_type(self) -> str: ...

    @property
    def occurred_at(self) -> str: ...

    @property
    def recorded_at(self) -> str: ...

    @property
    def author_role(self) -> str | None: ...

    @property
    def title(self) -> str: ...

    @property
    def source_url(self) -> str: ...

    @property
    def chunk_index(self) -> int: ...

    @property
    def text(self) -> str:
        """Pseudonymised."""
        ...


class SourceOfKnowledge(Protocol):
    """How a record knows what a sentence says, as the chronology labels it
    (``assistant.reliability``; ``api.backends`` adapts its classifier)."""

    def provenance(
        self, sentence: str, record_type: str, author_role: str | None
    ) -> tuple[str, str]:
        """(class, plain label): observed, self_reported, third_party_allegation, ..."""
        ...

    def is_outcome(self, sentence: str) -> bool:
        """The sentence records how an allegation or concern was resolved."""
        ...


@dataclass(frozen=True)
class HouseholdMember:
    """A member of the subject's family, by the family's pseudonym ("[Mother]")."""

    linked_person_id: str
    label: str
    is_child: bool
    #: The principal's caseload reaches them: their own overview may be opened.
    may_open: bool


#: (principal, subject id) -> the subject's family members (``assistant.households``).
Household = Callable[[Any, str], list[HouseholdMember]]


class SubjectRecords(Protocol):
    """The permitted records of a subject and what is withheld (``HybridSearcher``)."""

    def subject_records(
        self, principal: Principal, subject: Any
    ) -> tuple[Sequence[RecordChunk], int]: ...

    def explain_withheld(
        self, principal: Principal, subject: Any
    ) -> tuple[dict[str, int], dict[str, list[str]]]: ...


# --- the overview's shape (returned unchanged by CLI and API) -----------------------------


@dataclass(frozen=True)
class RecordRef:
    """The record an item came from."""

    source_system: str
    record_id: str
    record_type: str
    occurred_at: str
    author_role: str | None
    title: str
    source_url: str


@dataclass(frozen=True)
class Involvement:
    """One source system's involvement with the subject."""

    source_system: str
    #: Professional roles that recorded about the subject there, most records first.
    roles: list[str]
    records: int
    first_recorded: str
    latest_recorded: str
    #: A record within ``current_days`` of the overview's date.
    current: bool
    first: RecordRef
    latest_contact: RecordRef


@dataclass(frozen=True)
class EventKind:
    kind: str
    label: str
    count: int
    latest: str


@dataclass(frozen=True)
class Event:
    kind: str
    label: str
    date: str
    #: The record's first sentence, word for word.
    quote: str
    record: RecordRef


@dataclass(frozen=True)
class Fact:
    """A verbatim sentence, with how the record knows it."""

    text: str
    reliability: str
    reliability_label: str
    record: RecordRef
    #: Topic labels the sentence is about (concerns).
    topics: list[str] = field(default_factory=list)
    #: For an allegation: what the same record says came of it ("" when it says nothing).
    outcome: str = ""


@dataclass(frozen=True)
class Withheld:
    source_system: str
    records: int
    #: Roles whose filter would show more of them (ask someone in that role).
    visible_to_roles: list[str]


@dataclass
class Overview:
    subject: str
    user: str
    role: str
    as_of: str
    facts_only: str
    records_shown: int
    involvement: list[Involvement]
    event_kinds: list[EventKind]
    events: list[Event]
    strengths: list[Fact]
    concerns: list[Fact]
    child_voice: list[Fact]
    withheld_records: int
    withheld: list[Withheld]
    #: The subject's family members (pseudonyms from linkage), each a link to their own
    #: overview where the caseload reaches them.
    household: list[HouseholdMember] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- the event data file ---------------------------------------------------------------


@dataclass(frozen=True)
class EventKinds:
    """record type -> (kind, label), in the data file's order of kinds."""

    by_type: dict[str, tuple[str, str]]
    order: tuple[str, ...]

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> EventKinds:
        by_type: dict[str, tuple[str, str]] = {}
        kinds = data.get("kinds") or {}
        for kind, spec in kinds.items():
            label = str(spec["label"])
            for record_type in spec["record_types"]:
                if record_type in by_type:
                    raise ValueError(f"record type {record_type!r} is listed under two kinds")
                by_type[str(record_type)] = (str(kind), label)
        return cls(by_type, tuple(kinds))


@cache
def default_event_kinds() -> EventKinds:
    text = resources.files("assistant").joinpath("data/event_kinds.yaml").read_text("utf-8")
    return EventKinds.from_mapping(yaml.safe_load(text))


# --- building it -----------------------------------------------------------------------


@dataclass
class _Record:
    ref: RecordRef
    recorded_at: str
    sentences: list[str]


def _day(value: str) -> date:
    text = value[:10]
    return date.fromisoformat(text)


def _records(chunks: Sequence[RecordChunk]) -> list[_Record]:
    """Chunks grouped into records, each record's sentences once and in order (chunks
    overlap), newest first."""
    grouped: dict[tuple[str, str], list[RecordChunk]] = {}
    for chunk in chunks:
        grouped.setdefault((chunk.source_system, chunk.record_id), []).append(chunk)
    out = []
    for parts in grouped.values():
        parts.sort(key=lambda c: c.chunk_index)
        head = parts[0]
        sentences = list(
            dict.fromkeys(s for c in parts for s in split_sentences(c.text) if s.strip())
        )
        ref = RecordRef(
            head.source_system,
            head.record_id,
            head.record_type,
            str(head.occurred_at)[:10],
            head.author_role,
            head.title or "",
            head.source_url or "",
        )
        out.append(_Record(ref, str(head.recorded_at or ""), sentences))
    out.sort(key=lambda r: (r.ref.occurred_at, r.recorded_at, r.ref.record_id), reverse=True)
    return out


class OverviewBuilder:
    """Builds an ``Overview`` for a principal and subject from the permitted records."""

    def __init__(
        self,
        records: SubjectRecords,
        *,
        relevance: RelevanceModel | None = None,
        reidentifier: Reidentifier | None = None,
        sources: SourceOfKnowledge | None = None,
        household: Household | None = None,
        event_kinds: EventKinds | None = None,
        current_days: int = 90,
        max_facts: int = 6,
        on_close: Sequence[Callable[[], None]] = (),
    ) -> None:
        if current_days < 1 or max_facts < 1:
            raise ValueError("current_days and max_facts must be at least 1")
        self._records = records
        self._relevance = relevance
        self._reidentify = reidentifier
        self._sources = sources
        self._household = household
        self._kinds = event_kinds if event_kinds is not None else default_event_kinds()
        self.current_days = current_days
        self.max_facts = max_facts
        self._on_close = list(on_close)

    def close(self) -> None:
        """Close what the builder's assembly opened for it (the sentence-vector cache)."""
        closers, self._on_close = self._on_close, []
        for close in reversed(closers):
            close()

    def build(self, principal: Principal, subject: str, as_of: date | None = None) -> Overview:
        as_of = as_of or datetime.now(UTC).date()
        chunks, withheld_count = self._records.subject_records(principal, subject)
        records = _records(chunks)
        by_system, visible_to = (
            self._records.explain_withheld(principal, subject) if withheld_count else ({}, {})
        )
        overview = Overview(
            subject=subject,
            user=principal.user,
            role=principal.role,
            as_of=as_of.isoformat(),
            facts_only=FACTS_ONLY,
            records_shown=len(records),
            involvement=self._involvement(records, as_of),
            event_kinds=[],
            events=[],
            strengths=[],
            concerns=[],
            child_voice=[],
            withheld_records=withheld_count,
            withheld=[
                Withheld(system, count, sorted(visible_to.get(system, [])))
                for system, count in sorted(by_system.items())
            ],
        )
        overview.events, overview.event_kinds = self._events(records)
        overview.strengths, overview.concerns, overview.child_voice = self._facts(records)
        if self._household is not None:
            overview.household = self._household(principal, subject)
        return self._display(principal, overview)

    # -- who is involved --

    def _involvement(self, records: list[_Record], as_of: date) -> list[Involvement]:
        systems: dict[str, list[_Record]] = {}
        for record in records:  # newest first
            systems.setdefault(record.ref.source_system, []).append(record)
        out = []
        for system, mine in systems.items():
            roles: dict[str, int] = {}
            for record in mine:
                if record.ref.author_role:
                    roles[record.ref.author_role] = roles.get(record.ref.author_role, 0) + 1
            latest, first = mine[0], mine[-1]
            out.append(
                Involvement(
                    source_system=system,
                    roles=sorted(roles, key=lambda r: (-roles[r], r)),
                    records=len(mine),
                    first_recorded=first.ref.occurred_at,
                    latest_recorded=latest.ref.occurred_at,
                    current=as_of - _day(latest.ref.occurred_at)
                    <= timedelta(days=self.current_days),
                    first=first.ref,
                    latest_contact=latest.ref,
                )
            )
        out.sort(key=lambda i: (i.latest_recorded, i.source_system), reverse=True)
        return out

    # -- what has happened --

    def _events(self, records: list[_Record]) -> tuple[list[Event], list[EventKind]]:
        events = []
        for record in records:  # newest first
            found = self._kinds.by_type.get(record.ref.record_type)
            if found is None:
                continue
            kind, label = found
            whole = [x for x in record.sentences if len(x.split()) >= _MIN_WORDS]
            quote = (whole or record.sentences or [record.ref.title])[0]
            events.append(Event(kind, label, record.ref.occurred_at, quote, record.ref))
        kinds = []
        for kind in self._kinds.order:
            mine = [e for e in events if e.kind == kind]
            if mine:
                kinds.append(EventKind(kind, mine[0].label, len(mine), mine[0].date))
        return events, kinds

    # -- strengths, concerns, the child's words --

    def _facts(self, records: list[_Record]) -> tuple[list[Fact], list[Fact], list[Fact]]:
        strengths: list[tuple[_Record, str, tuple[str, ...]]] = []
        concerns: list[tuple[_Record, str, tuple[str, ...]]] = []
        voice: list[tuple[_Record, str, tuple[str, ...]]] = []
        for record in records:
            parent = bool(_PARENT_AUTHOR.search(record.ref.author_role or ""))
            for sentence in record.sentences:
                if len(sentence.split()) < _MIN_WORDS:
                    continue
                # A sentence naming a strength is listed there, not also as a concern
                # ("presented as well cared for" carries a home-conditions cue too).
                found = sentence_topics(sentence, CONCERN_TOPICS)
                # An outcome ("no injuries", "NFA") is shown under the allegation it
                # resolves, not as a concern of its own.
                if sentence_topics(sentence, ("protective",)):
                    strengths.append((record, sentence, ()))
                elif found and not (self._sources and self._sources.is_outcome(sentence)):
                    concerns.append((record, sentence, found))
                if (
                    not parent
                    and sentence_topics(sentence, ("views",))
                    and not _PARENT_VOICE.search(sentence)
                    and self._own_account(sentence, record.ref)
                ):
                    voice.append((record, sentence, ()))
        return (
            self._chosen(STRENGTHS_QUERY, strengths),
            self._chosen(CONCERNS_QUERY, concerns),
            self._chosen(VOICE_QUERY, voice),
        )

    def _own_account(self, sentence: str, ref: RecordRef) -> bool:
        """The sentence is someone's own account (the chronology's self-reported); without
        a classifier, a quotation."""
        if self._sources is None:
            return bool(_QUOTED.search(sentence))
        kind, _ = self._sources.provenance(sentence, ref.record_type, ref.author_role)
        return kind == "self_reported"

    def _chosen(self, query: str, found: list[tuple[_Record, str, tuple[str, ...]]]) -> list[Fact]:
        """At most ``max_facts`` of ``found``: the most relevant to ``query`` by the answer
        stack's relevance (newest first without one), one per record before any second,
        listed newest first."""
        if not found:
            return []
        order = list(range(len(found)))
        if self._relevance is not None:
            scored = self._relevance.score(
                query,
                [
                    Candidate(
                        text=sentence,
                        title=record.ref.title,
                        topic_match=True,
                        record=f"{record.ref.source_system}:{record.ref.record_id}",
                    )
                    for record, sentence, _ in found
                ],
            )
            order.sort(key=lambda i: -scored[i].relevance)
        picked: list[int] = []
        seen: set[tuple[str, str]] = set()
        for repeat in (False, True):
            for i in order:
                key = (found[i][0].ref.source_system, found[i][0].ref.record_id)
                if len(picked) >= self.max_facts or i in picked or ((key in seen) != repeat):
                    continue
                picked.append(i)
                seen.add(key)
        picked.sort(key=lambda i: found[i][0].ref.occurred_at, reverse=True)
        facts = []
        for i in picked:
            record, sentence, topics = found[i]
            reliability, label = "unknown", "source of knowledge not stated"
            outcome = ""
            if self._sources is not None:
                ref = record.ref
                reliability, label = self._sources.provenance(
                    sentence, ref.record_type, ref.author_role
                )
                if reliability == "third_party_allegation":
                    after = record.sentences[record.sentences.index(sentence) + 1 :]
                    outcome = next((s for s in after if self._sources.is_outcome(s)), "")
            facts.append(
                Fact(
                    text=sentence,
                    reliability=reliability,
                    reliability_label=label,
                    record=record.ref,
                    topics=[TOPIC_BY_NAME[t].label for t in topics],
                    outcome=outcome,
                )
            )
        return facts

    # -- display --

    def _display(self, principal: Principal, overview: Overview) -> Overview:
        """Real names, only from records the principal may see, only in what is shown."""
        show = self._reidentify
        if show is None:
            return overview

        def ref(r: RecordRef) -> RecordRef:
            key = [(r.source_system, r.record_id)]
            return RecordRef(
                r.source_system,
                r.record_id,
                r.record_type,
                r.occurred_at,
                r.author_role,
                show(principal, r.title, key) if r.title else "",
                r.source_url,
            )

        def fact(f: Fact) -> Fact:
            key = [(f.record.source_system, f.record.record_id)]
            return Fact(
                show(principal, f.text, key),
                f.reliability,
                f.reliability_label,
                ref(f.record),
                f.topics,
                show(principal, f.outcome, key) if f.outcome else "",
            )

        overview.involvement = [
            Involvement(
                i.source_system,
                i.roles,
                i.records,
                i.first_recorded,
                i.latest_recorded,
                i.current,
                ref(i.first),
                ref(i.latest_contact),
            )
            for i in overview.involvement
        ]
        overview.events = [
            Event(
                e.kind,
                e.label,
                e.date,
                show(principal, e.quote, [(e.record.source_system, e.record.record_id)]),
                ref(e.record),
            )
            for e in overview.events
        ]
        overview.strengths = [fact(f) for f in overview.strengths]
        overview.concerns = [fact(f) for f in overview.concerns]
        overview.child_voice = [fact(f) for f in overview.child_voice]
        return overview
