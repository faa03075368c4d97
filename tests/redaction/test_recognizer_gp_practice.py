"""GP practice names."""

from __future__ import annotations

import pytest

from redaction.recognizers import GpPracticeRecognizer


@pytest.fixture(scope="module")
def recognizer() -> GpPracticeRecognizer:
    return GpPracticeRecognizer()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("registered at Riverside Medical Centre", "Riverside Medical Centre"),
        ("letter from Park Lane Surgery", "Park Lane Surgery"),
        ("GP at Oakwood Health Centre", "Oakwood Health Centre"),
        ("Beech Grove Medical Practice", "Beech Grove Medical Practice"),
    ],
)
def test_practice_names_are_found(recognizer, matches, text: str, expected: str) -> None:
    assert matches(recognizer, text) == [expected]


@pytest.mark.parametrize(
    "text",
    ["The Surgery said", "booked at the surgery", "at the health centre", "Mum's medical centre"],
)
def test_generic_words_are_not_practice_names(recognizer, matches, text: str) -> None:
    assert matches(recognizer, text) == []


def test_practice_wins_over_street_name_inside_it(found) -> None:
    assert found("Letter from Park Lane Surgery.") == [("GP_PRACTICE", "Park Lane Surgery")]
