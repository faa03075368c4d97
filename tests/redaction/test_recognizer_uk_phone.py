"""UK phone numbers: positives and negatives, and phones winning over dates and NHS shapes."""

from __future__ import annotations

import pytest

from redaction.recognizers import UkPhoneRecognizer


@pytest.fixture(scope="module")
def recognizer() -> UkPhoneRecognizer:
    return UkPhoneRecognizer()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mobile 07700 900123 after 5", "07700 900123"),
        ("text 07700900123", "07700900123"),
        ("on 07700-900123.", "07700-900123"),
        ("call 07700 900 123", "07700 900 123"),
        ("ring +44 7700 900456", "+44 7700 900456"),
        ("ring +447700900456", "+447700900456"),
        ("landline 0113 496 0123", "0113 496 0123"),
        ("landline (0113) 496 0999", "(0113) 496 0999"),
        ("landline (0113) 4960999", "(0113) 4960999"),
        ("office +44 (0)113 496 0123", "+44 (0)113 496 0123"),
        ("office +44 113 496 0123", "+44 113 496 0123"),
        ("London 020 7946 0123", "020 7946 0123"),
        ("London (020) 79460123", "(020) 79460123"),
        ("Manchester 0161-496-0000", "0161-496-0000"),
        ("village 01632 960123", "01632 960123"),
        ("council 0300 123 4567", "0300 123 4567"),
    ],
)
def test_uk_phone_numbers_are_found(recognizer, matches, text: str, expected: str) -> None:
    assert matches(recognizer, text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "NHS number 943 476 5919",  # no leading 0 / +44
        "seen on 12/03/2015 at 10:30",
        "weighed 07.5 kg",
        "case LCS/2024/00123",
        "score 0113",  # too short
        "UPN B801200005001",
        "ref 0113496012345678",  # too long: part of a longer number
        "year 2015 0113 496",
    ],
)
def test_non_phone_numbers_are_not_phones(recognizer, matches, text: str) -> None:
    assert matches(recognizer, text) == []


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("Nan called from 0113 496 0123 on Monday.", "0113 496 0123"),
        ("Mum's mobile is 07700 900123.", "07700 900123"),
        ("Dad is on +44 113 496 0123 (NHS-shaped digits inside).", "+44 113 496 0123"),
        ("Office (0113) 496 0999 on 3 May 2024.", "(0113) 496 0999"),
    ],
)
def test_phone_wins_over_date_and_nhs_lookalikes(found, text: str, phone: str) -> None:
    spans = found(text)
    assert ("PHONE", phone) in spans
    inside = [(t, v) for t, v in spans if v in phone and v != phone]
    assert inside == [], f"parts of the phone also tagged: {inside}"
    assert all(t != "NHS_NUMBER" for t, _ in spans)


def test_international_number_is_a_phone(found) -> None:
    assert ("PHONE", "+48 601 234 567") in found("Aunt in Poland on +48 601 234 567.")
