"""The span contract shared by detection, the pseudonymiser and the leak scanner.

Spans carry offsets, never the matched text, so a span printed in a log line or an
exception message cannot leak personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

#: Where a span came from. Overlap resolution trusts ``known`` (identifiers of people
#: linked to the record, matched by the pseudonymiser) over ``pattern`` (regex and
#: checksum recognizers) over ``ner`` (the statistical model).
SpanSource = Literal["known", "pattern", "ner"]
SOURCES: tuple[SpanSource, ...] = ("known", "pattern", "ner")


@dataclass(frozen=True, slots=True)
class DetectedSpan:
    """One detected piece of personal data: ``text[start:end]`` has type ``entity_type``."""

    start: int
    end: int
    entity_type: str
    score: float
    recognizer: str
    source: SpanSource = "pattern"

    def __post_init__(self) -> None:
        if self.start < 0 or self.end <= self.start:
            raise ValueError(f"bad span offsets start={self.start} end={self.end}")
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"span score must be within 0..1, got {self.score}")
        if self.source not in SOURCES:
            raise ValueError(f"unknown span source {self.source!r}")

    @property
    def length(self) -> int:
        return self.end - self.start

    def overlaps(self, other: DetectedSpan) -> bool:
        return self.start < other.end and other.start < self.end
