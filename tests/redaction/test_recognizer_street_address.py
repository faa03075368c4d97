"""Street addresses: flats, house numbers, named streets; not courts, schools or titles."""

from __future__ import annotations

import pytest

from redaction.recognizers import UkStreetAddressRecognizer


@pytest.fixture(scope="module")
def recognizer() -> UkStreetAddressRecognizer:
    return UkStreetAddressRecognizer()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mum lives at Flat 3, 27 Mill Lane with the children", "Flat 3, 27 Mill Lane"),
        ("SW visited 14 Rosewood Close on Monday", "14 Rosewood Close"),
        ("at Flat 6, 29 Saxon Court, Oldcastle, HX2 3NE.", "Flat 6, 29 Saxon Court, Oldcastle"),
        ("moved to 88 Primrose Hill Road last week", "88 Primrose Hill Road"),
        ("at 5 Canal Side since May", "5 Canal Side"),
        ("at 12 Mill Rd. today", "12 Mill Rd."),
        ("at 12 Chapel Lane.", "12 Chapel Lane"),
        ("moved to Flat 4, Oak House, Station Approach", "Flat 4, Oak House, Station Approach"),
        ("He lives on Chapel Lane now.", "Chapel Lane"),
    ],
)
def test_addresses_are_found(recognizer, matches, text: str, expected: str) -> None:
    assert matches(recognizer, text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Hearing at Family Court on 3 May.",  # no number: Court is not a street here
        "seen 3 times at the Park",
        "Dr Patel saw him 3 times",
        "aged 14 The Road to recovery",
        "scored 10 out of 12 in class",
        "14 rosewood close",  # lower case is not a proper name
    ],
)
def test_non_addresses_are_not_found(recognizer, matches, text: str) -> None:
    assert matches(recognizer, text) == []


def test_spacy_street_names_do_not_become_people(found) -> None:
    spans = found("Mum lives at Flat 3, 27 Mill Lane, Leeds LS6 2QR with Freddie.")
    assert ("ADDRESS", "Flat 3, 27 Mill Lane, Leeds") in spans
    assert ("POSTCODE", "LS6 2QR") in spans
    assert not any(t == "PERSON" and "Mill" in v for t, v in spans)
