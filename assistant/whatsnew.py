"""What's new: for each child or family on a worker's caseload, the records added or
changed since a moment (when the worker last looked, or a date they choose), each summarised
by its own sentences and cited to itself: the overnight view councils asked for.

Only records the worker may see: the records come through the timeline's permitted records
(the answers' index filter), and changes are matched against them, so a changed record the
role may not see is never named, only counted as withheld by the timeline. Sentences are the
record's own words (the first few whole sentences), pseudonymised in the index and put back
at display time for the worker.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from assistant.timeline import TimelineBuilder, TimelineLine
from retrieval.principal import Principal

#: A summary sentence is a sentence, not a heading.
_MIN_WORDS = 4


class ChangeLike(Protocol):
    @property
    def changed_at(self) -> datetime: ...

    @property
    def added(self) -> bool: ...


class ChangedRecords(Protocol):
    """``retrieval.store.changes.RecordChanges``."""

    def changed_since(self, since: datetime) -> Mapping[tuple[str, str], ChangeLike]: ...


@dataclass(frozen=True)
class NewsItem:
    #: added | changed
    change: str
    changed_at: str
    record: TimelineLine
    #: The record's own sentences; each cites ``record``.
    sentences: list[str]


@dataclass
class SubjectNews:
    subject: str
    label: str
    items: list[NewsItem]


@dataclass
class Digest:
    user: str
    role: str
    since: str
    as_of: str
    subjects: list[SubjectNews] = field(default_factory=list)

    @property
    def records(self) -> int:
        return sum(len(s.items) for s in self.subjects)

    def record_ids(self) -> list[str]:
        return [
            f"{i.record.source_system}:{i.record.record_id}" for s in self.subjects for i in s.items
        ]

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "records": self.records}


class WhatsNew:
    def __init__(
        self, timeline: TimelineBuilder, changes: ChangedRecords, max_sentences: int = 2
    ) -> None:
        if max_sentences < 1:
            raise ValueError("max_sentences must be at least 1")
        self._timeline = timeline
        self._changes = changes
        self.max_sentences = max_sentences

    def digest(
        self,
        principal: Principal,
        subjects: Sequence[tuple[str, str]],
        since: datetime,
        as_of: datetime | None = None,
    ) -> Digest:
        """``subjects``: (subject id, label) of the worker's caseload. A record about
        several of them is listed under the first only. Newest change first."""
        changed = self._changes.changed_since(since)
        digest = Digest(
            user=principal.user,
            role=principal.role,
            since=since.astimezone(UTC).isoformat(timespec="seconds"),
            as_of=(as_of or datetime.now(UTC)).isoformat(timespec="seconds"),
        )
        listed: set[tuple[str, str]] = set()
        for subject, label in subjects:
            items: list[NewsItem] = []
            if changed:
                records, _ = self._timeline.records(principal, subject)
                for record in records:
                    key = (record.line.source_system, record.line.record_id)
                    change = changed.get(key)
                    if change is None or key in listed:
                        continue
                    listed.add(key)
                    items.append(self._item(principal, record, change))
            items.sort(key=lambda i: (i.changed_at, i.record.occurred_at), reverse=True)
            digest.subjects.append(SubjectNews(subject, label, items))
        return digest

    def _item(self, principal: Principal, record: Any, change: ChangeLike) -> NewsItem:
        line: TimelineLine = record.line
        key = (line.source_system, line.record_id)
        whole = [s for s in record.sentences if len(s.split()) >= _MIN_WORDS]
        chosen = (whole or list(record.sentences) or [line.title])[: self.max_sentences]
        shown = TimelineLine(
            line.source_system,
            line.record_id,
            line.record_type,
            line.occurred_at,
            line.author_role,
            self._timeline.show(principal, line.title, key),
            line.source_url,
        )
        return NewsItem(
            change="added" if change.added else "changed",
            changed_at=change.changed_at.astimezone(UTC).isoformat(timespec="seconds"),
            record=shown,
            sentences=[self._timeline.show(principal, s, key) for s in chosen],
        )
