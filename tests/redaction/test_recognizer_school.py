"""School names."""

from __future__ import annotations

import pytest

from redaction.recognizers import UkSchoolRecognizer


@pytest.fixture(scope="module")
def recognizer() -> UkSchoolRecognizer:
    return UkSchoolRecognizer()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("attends Brookfield Primary School daily", "Brookfield Primary School"),
        ("moved to St Mary's C of E Academy in 2023", "St Mary's C of E Academy"),
        ("starts at Hillside High in Sept", "Hillside High"),
        ("The Brookfield Primary office", "Brookfield Primary"),
        ("Kirkholme Community College rang", "Kirkholme Community College"),
        ("St. Anne's RC Primary School", "St. Anne's RC Primary School"),
        ("Westgate Pupil Referral Unit", "Westgate Pupil Referral Unit"),
    ],
)
def test_school_names_are_found(recognizer, matches, text: str, expected: str) -> None:
    assert matches(recognizer, text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "the new Secondary School",
        "a Primary School place",
        "after school club",
        "Mum said school was fine",
        "high school transition",
    ],
)
def test_generic_school_words_are_not_names(recognizer, matches, text: str) -> None:
    assert matches(recognizer, text) == []


def test_school_wins_over_partial_person(found) -> None:
    spans = found("Freddie moved to St Mary's C of E Academy.")
    assert ("SCHOOL", "St Mary's C of E Academy") in spans
    assert not any(t == "PERSON" and "Mary" in v for t, v in spans)
