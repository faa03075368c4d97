"""Dates of birth versus event dates: only the former are pseudonymised."""

from __future__ import annotations

import pytest

from redaction.recognizers import DateOfBirthRecognizer


@pytest.fixture(scope="module")
def recognizer() -> DateOfBirthRecognizer:
    return DateOfBirthRecognizer()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DOB 12/03/2015", "12/03/2015"),
        ("born 3rd March 2015", "3rd March 2015"),
        ("D.O.B: 2015-03-12", "2015-03-12"),
        ("d.o.b. 25th July 2016.", "25th July 2016"),
        ("date of birth 4 Apr 15", "4 Apr 15"),
        ("(DOB 12.3.15)", "12.3.15"),
        ("born in March 2015", "March 2015"),
        ("b. 03/04/2016 in Leeds", "03/04/2016"),
        ("born on 12/03/15 at LGI", "12/03/15"),
    ],
)
def test_dates_of_birth_are_found(recognizer, matches, text: str, expected: str) -> None:
    assert matches(recognizer, text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "seen on 12/03/2015",
        "visit 3rd March 2024",
        "born to be wild",
        "DOB not known",
        "strategy meeting 2024-06-18",
    ],
)
def test_event_dates_are_not_dates_of_birth(recognizer, matches, text: str) -> None:
    assert matches(recognizer, text) == []


def test_detector_separates_birth_date_from_event_date(found) -> None:
    spans = found("Home visit 03/04/2024. Child DOB 12/03/2015 was present.")
    assert ("DATE_OF_BIRTH", "12/03/2015") in spans
    assert ("DATE", "03/04/2024") in spans
    assert ("DATE", "12/03/2015") not in spans
