"""Scan targets for known identifiers and report hits without repeating them.

The report holds, per hit, the target, location, kind, strength, owners
(``SYSTEM:person_id``) and a masked form; never the matched text. Counts cover every hit;
only the first ``max_hits`` are kept in full, so a badly leaking corpus cannot exhaust memory.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from redaction.leaks.identifiers import Strength, needles_from_people
from redaction.leaks.masking import mask
from redaction.leaks.matcher import LeakMatcher
from redaction.leaks.targets import LeakTarget
from retrieval.records import Person


@dataclass(frozen=True)
class LeakHit:
    """One known identifier found in one place (masked; the raw value is never kept)."""

    target: str
    location: str
    column: int
    kind: str
    strength: str
    owners: tuple[str, ...]
    masked: str

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["owners"] = list(self.owners)
        return data


@dataclass
class LeakReport:
    """Everything a scan found, with counts by kind and by target."""

    targets: list[str] = field(default_factory=list)
    hits: list[LeakHit] = field(default_factory=list)
    by_kind: Counter[tuple[str, str]] = field(default_factory=Counter)
    by_target: Counter[tuple[str, str]] = field(default_factory=Counter)
    texts: int = 0
    chars: int = 0
    needles: int = 0
    seconds: float = 0.0
    dropped_hits: int = 0

    @property
    def strong(self) -> int:
        return sum(n for (_, s), n in self.by_kind.items() if s == Strength.STRONG)

    @property
    def weak(self) -> int:
        return sum(n for (_, s), n in self.by_kind.items() if s == Strength.WEAK)

    @property
    def clean(self) -> bool:
        """No strong hit (weak hits are reported, never fail the scan)."""
        return self.strong == 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "clean": self.clean,
            "strong": self.strong,
            "weak": self.weak,
            "targets": self.targets,
            "texts": self.texts,
            "chars": self.chars,
            "needles": self.needles,
            "seconds": round(self.seconds, 3),
            "by_kind": [
                {"kind": k, "strength": s, "count": n} for (k, s), n in sorted(self.by_kind.items())
            ],
            "by_target": [
                {"target": t, "strength": s, "count": n}
                for (t, s), n in sorted(self.by_target.items())
            ],
            "hits": [h.to_dict() for h in self.hits],
            "dropped_hits": self.dropped_hits,
        }


class LeakScanner:
    """Known identifiers of every person, compiled once; scans any number of targets."""

    def __init__(self, matcher: LeakMatcher, *, max_hits: int = 10_000) -> None:
        if max_hits < 0:
            raise ValueError("max_hits must not be negative")
        self._matcher = matcher
        self._max_hits = max_hits

    @classmethod
    def from_people(cls, people: Iterable[Person], *, max_hits: int = 10_000) -> LeakScanner:
        """A scanner for the known identifiers of ``people`` (e.g. ``store.iter_people()``)."""
        return cls(LeakMatcher(needles_from_people(people)), max_hits=max_hits)

    @property
    def needles(self) -> int:
        return len(self._matcher)

    def find(self, text: str, target: str = "text", location: str = "text") -> list[LeakHit]:
        """Hits in one text (masked)."""
        return [
            LeakHit(
                target=target,
                location=location,
                column=m.start + 1,
                kind=m.kind,
                strength=str(m.strength),
                owners=m.owners,
                masked=mask(text[m.start : m.end], m.kind),
            )
            for m in self._matcher.find(text)
        ]

    def scan(self, targets: Iterable[LeakTarget]) -> LeakReport:
        """Scan every text of every target; the report is complete even if hits are capped."""
        started = time.perf_counter()
        report = LeakReport(needles=self.needles)
        for target in targets:
            name = target.describe()
            report.targets.append(name)
            for location, text in target.iter_texts():
                report.texts += 1
                report.chars += len(text)
                for hit in self.find(text, name, location):
                    report.by_kind[(hit.kind, hit.strength)] += 1
                    report.by_target[(name, hit.strength)] += 1
                    if len(report.hits) < self._max_hits:
                        report.hits.append(hit)
                    else:
                        report.dropped_hits += 1
        report.seconds = time.perf_counter() - started
        return report
