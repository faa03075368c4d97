"""The timeline of a child or family: every record the principal may see, one dated line
each (source system, record type, author role, title), oldest first, optionally narrowed
by source system, record type and date range.

The records come from the index through the answers' permission filter
(``SubjectRecords``: ``retrieval.index.HybridSearcher.subject_records``), so a withheld,
sealed or ``no_ai_processing`` record never reaches this module; withheld records are only
counted. Titles are pseudonymised in the index; real names are put back at display time,
only for records the principal may see (the answers' reidentifier).

``RecordFilter`` is the one narrowing rule: the timeline applies it here, and a question
narrowed the same way gets it as extra index conditions (``record_filter_spec``), which
can only ever remove records from the permitted set.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any, Protocol

from assistant.overview import RecordChunk
from retrieval.index.filters import FilterSpec, narrowing_filter
from retrieval.principal import Principal

#: (principal, text, cited record keys) -> text with the names the principal may see.
Reidentifier = Callable[[Any, str, Sequence[tuple[str, str]]], str]


class SubjectRecords(Protocol):
    """The permitted chunks of a subject and how many records are withheld."""

    def subject_records(
        self, principal: Principal, subject: Any
    ) -> tuple[Sequence[RecordChunk], int]: ...


@dataclass(frozen=True)
class RecordFilter:
    """Source systems, record types (any of each; none given: all) and an inclusive range
    of the day a record is about."""

    systems: tuple[str, ...] = ()
    record_types: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None

    def __post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("the date range ends before it starts")

    @property
    def empty(self) -> bool:
        return not (self.systems or self.record_types or self.date_from or self.date_to)

    def matches(self, source_system: str, record_type: str, day: date) -> bool:
        return (
            (not self.systems or source_system in self.systems)
            and (not self.record_types or record_type in self.record_types)
            and (self.date_from is None or day >= self.date_from)
            and (self.date_to is None or day <= self.date_to)
        )

    def timestamps(self) -> tuple[int | None, int | None]:
        """The date range as the index's ``occurred_ts`` bounds (UTC seconds, inclusive)."""
        low = high = None
        if self.date_from is not None:
            low = int(datetime.combine(self.date_from, time.min, UTC).timestamp())
        if self.date_to is not None:
            high = int(datetime.combine(self.date_to, time.max, UTC).timestamp())
        return low, high

    def spec(self) -> FilterSpec | None:
        """The narrowing as index conditions (AND-ed onto the permission filter)."""
        low, high = self.timestamps()
        return narrowing_filter(self.systems, self.record_types, low, high)

    def as_dict(self) -> dict[str, Any]:
        return {
            "systems": list(self.systems),
            "record_types": list(self.record_types),
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
        }


@dataclass(frozen=True)
class TimelineLine:
    source_system: str
    record_id: str
    record_type: str
    #: The day the record is about (YYYY-MM-DD).
    occurred_at: str
    author_role: str | None
    title: str
    source_url: str


@dataclass
class Timeline:
    subject: str
    user: str
    role: str
    lines: list[TimelineLine]
    #: Every permitted record of the subject, before the filter.
    records_permitted: int
    #: The systems and record types among the permitted records (the filter's choices).
    systems: list[str]
    record_types: list[str]
    withheld_records: int
    filter: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class RecordLine:
    """One permitted record: its line and its sentences (pseudonymised), in order."""

    line: TimelineLine
    recorded_at: str
    sentences: tuple[str, ...]


def record_lines(chunks: Sequence[RecordChunk]) -> list[RecordLine]:
    """Chunks grouped into records (each record once, its chunks in order), oldest first."""
    from assistant.text import split_sentences

    grouped: dict[tuple[str, str], list[RecordChunk]] = {}
    for chunk in chunks:
        grouped.setdefault((chunk.source_system, chunk.record_id), []).append(chunk)
    out = []
    for parts in grouped.values():
        parts.sort(key=lambda c: c.chunk_index)
        head = parts[0]
        sentences = dict.fromkeys(
            s.strip() for c in parts for s in split_sentences(c.text) if s.strip()
        )
        line = TimelineLine(
            head.source_system,
            head.record_id,
            head.record_type,
            str(head.occurred_at)[:10],
            head.author_role,
            head.title or "",
            head.source_url or "",
        )
        out.append(RecordLine(line, str(head.recorded_at or ""), tuple(sentences)))
    out.sort(key=lambda r: (r.line.occurred_at, r.recorded_at, r.line.record_id))
    return out


class TimelineBuilder:
    """Builds the timeline (and, for What's new, the permitted records) of a subject."""

    def __init__(self, records: SubjectRecords, reidentifier: Reidentifier | None = None):
        self._records = records
        self._reidentify = reidentifier

    def records(self, principal: Principal, subject: str) -> tuple[list[RecordLine], int]:
        """The subject's permitted records, oldest first, and how many are withheld."""
        chunks, withheld = self._records.subject_records(principal, subject)
        return record_lines(chunks), withheld

    def show(self, principal: Principal, text: str, key: tuple[str, str]) -> str:
        """``text`` of one record with the names the principal may see put back."""
        if not text or self._reidentify is None:
            return text
        return self._reidentify(principal, text, [key])

    def build(
        self, principal: Principal, subject: str, narrow: RecordFilter | None = None
    ) -> Timeline:
        narrow = narrow or RecordFilter()
        records, withheld = self.records(principal, subject)
        lines = [
            r.line
            for r in records
            if narrow.matches(
                r.line.source_system, r.line.record_type, date.fromisoformat(r.line.occurred_at)
            )
        ]
        shown = [
            TimelineLine(
                x.source_system,
                x.record_id,
                x.record_type,
                x.occurred_at,
                x.author_role,
                self.show(principal, x.title, (x.source_system, x.record_id)),
                x.source_url,
            )
            for x in lines
        ]
        return Timeline(
            subject=subject,
            user=principal.user,
            role=principal.role,
            lines=shown,
            records_permitted=len(records),
            systems=sorted({r.line.source_system for r in records}),
            record_types=sorted({r.line.record_type for r in records}),
            withheld_records=withheld,
            filter=narrow.as_dict(),
        )
