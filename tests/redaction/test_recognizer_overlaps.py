"""Overlap resolution: which of two overlapping detections a reader would want kept."""

from __future__ import annotations

import pytest

from redaction.overlaps import resolve_overlaps
from redaction.spans import DetectedSpan


def s(start: int, end: int, entity: str, score: float = 0.8, source: str = "pattern"):
    return DetectedSpan(start, end, entity, score, "test", source)  # type: ignore[arg-type]


def test_phone_beats_event_date_found_inside_it() -> None:
    text = "call 0113 496 0123 today"
    phone = s(5, 18, "PHONE", 0.7)
    date = s(5, 9, "DATE", 0.85, "ner")
    assert resolve_overlaps([date, phone], text) == [phone]


def test_longer_pattern_span_wins_within_a_tier() -> None:
    text = "ring +44 113 496 0123"
    phone = s(5, 21, "PHONE", 0.7)
    nhs_lookalike = s(9, 21, "NHS_NUMBER", 1.0)
    assert resolve_overlaps([nhs_lookalike, phone], text) == [phone]


def test_higher_score_wins_for_the_same_characters() -> None:
    nhs = s(0, 12, "NHS_NUMBER", 1.0)
    phone = s(0, 12, "PHONE", 0.75)
    assert resolve_overlaps([phone, nhs]) == [nhs]


def test_date_of_birth_beats_event_date_on_the_same_date() -> None:
    dob = s(4, 14, "DATE_OF_BIRTH", 0.9)
    event = s(4, 14, "DATE", 0.95)
    assert resolve_overlaps([event, dob]) == [dob]


def test_pattern_beats_model_even_when_model_is_longer() -> None:
    text = "Leeds LS6 2QR"
    model = s(0, 9, "PERSON", 0.85, "ner")  # "Leeds LS6"
    postcode = s(6, 13, "POSTCODE", 0.6)
    result = resolve_overlaps([model, postcode], text)
    assert [(r.entity_type, text[r.start : r.end]) for r in result] == [
        ("PERSON", "Leeds"),
        ("POSTCODE", "LS6 2QR"),
    ]


def test_known_identifier_beats_everything_and_model_keeps_remainder() -> None:
    text = "Margaret Evans rang"
    model = s(0, 14, "PERSON", 0.85, "ner")
    known = s(0, 8, "PERSON", 1.0, "known")
    result = resolve_overlaps([model, known], text)
    assert [(r.source, text[r.start : r.end]) for r in result] == [
        ("known", "Margaret"),
        ("ner", "Evans"),
    ]


@pytest.mark.parametrize("remainder", ["ref and", "SW", "a"])
def test_model_remainders_that_are_not_names_are_dropped(remainder: str) -> None:
    text = f"{remainder} LCS/2024/00123"
    model = s(0, len(text), "ORGANISATION", 0.85, "ner")
    ref = s(len(remainder) + 1, len(text), "CASE_REFERENCE", 0.85)
    assert resolve_overlaps([model, ref], text) == [ref]


def test_partly_covered_pattern_span_is_dropped_not_cut() -> None:
    a = s(0, 10, "ADDRESS", 0.75)
    b = s(5, 20, "SCHOOL", 0.7)  # longer: wins
    assert resolve_overlaps([a, b], "x" * 20) == [b]


def test_result_is_sorted_and_non_overlapping() -> None:
    spans = [s(30, 40, "PHONE"), s(0, 5, "PERSON", source="ner"), s(10, 20, "EMAIL")]
    result = resolve_overlaps(spans)
    assert [r.start for r in result] == [0, 10, 30]


@pytest.mark.parametrize(
    ("start", "end", "score", "source"),
    [(-1, 3, 0.5, "pattern"), (3, 3, 0.5, "pattern"), (0, 3, 1.5, "pattern"), (0, 3, 0.5, "x")],
)
def test_bad_spans_are_rejected(start: int, end: int, score: float, source: str) -> None:
    with pytest.raises(ValueError):
        DetectedSpan(start, end, "PERSON", score, "test", source)  # type: ignore[arg-type]
