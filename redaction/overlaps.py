"""Resolve overlapping spans so each character belongs to at most one entity.

Trust order: identifiers the pseudonymiser knows belong to the record's people
(``known``), then pattern and checksum recognizers (``pattern``), then the statistical
model (``ner``). Event dates (``DATE``) come last whatever found them, since they are
kept in the text: a phone number that spaCy also called a date stays a phone number.
Within a tier the longer span wins ("+44 113 496 0123" the phone over "113 496 0123"
the NHS-shaped digits inside it), then the higher score.

A model span that loses only part of its characters keeps the rest (a known first name
inside "Margaret Evans" leaves "Evans" as a person); a pattern span that loses any
character is dropped, since half a phone number is not a phone number.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from redaction.entities import DATE
from redaction.name_spans import EDGE_WORDS, is_only_abbreviations
from redaction.spans import DetectedSpan

_TIER = {"known": 0, "pattern": 1, "ner": 2}
_LAST_TIER = 3


def tier(span: DetectedSpan) -> int:
    """Lower wins."""
    return _LAST_TIER if span.entity_type == DATE else _TIER[span.source]


def _uncovered(span: DetectedSpan, taken: list[DetectedSpan]) -> list[tuple[int, int]]:
    pieces = [(span.start, span.end)]
    for other in taken:
        if not span.overlaps(other):
            continue
        next_pieces = []
        for start, end in pieces:
            if other.end <= start or other.start >= end:
                next_pieces.append((start, end))
                continue
            if start < other.start:
                next_pieces.append((start, other.start))
            if other.end < end:
                next_pieces.append((other.end, end))
        pieces = next_pieces
    return pieces


def tidy_piece(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    piece = text[start:end]
    if sum(c.isalnum() for c in piece) < 2:
        return None
    # What is left of a model span must still look like a name: capitalised, and not
    # only function words or service abbreviations ("ref", "and", "SW").
    words = piece.split()
    if not any(c.isupper() or c.isdigit() for c in piece) or is_only_abbreviations(piece):
        return None
    if all(w.lower().strip(".,:;") in EDGE_WORDS for w in words):
        return None
    return start, end


def resolve_overlaps(spans: Iterable[DetectedSpan], text: str | None = None) -> list[DetectedSpan]:
    """Non-overlapping spans in text order; ``text`` lets partly covered model spans keep
    their remainder (without it they are dropped)."""
    taken: list[DetectedSpan] = []
    ordered = sorted(spans, key=lambda s: (tier(s), -s.length, -s.score, s.start, s.entity_type))
    for span in ordered:
        pieces = _uncovered(span, taken)
        if pieces == [(span.start, span.end)]:
            taken.append(span)
            continue
        if span.source != "ner" or span.entity_type == DATE or text is None:
            continue
        for start, end in pieces:
            tidy = tidy_piece(text, start, end)
            if tidy is not None:
                taken.append(replace(span, start=tidy[0], end=tidy[1]))
    return sorted(taken, key=lambda s: (s.start, s.end))
