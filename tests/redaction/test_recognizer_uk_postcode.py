"""UK postcodes score above the threshold (Presidio's own scores them 0.10)."""

from __future__ import annotations

import pytest

from redaction.recognizers import CaselensUkPostcodeRecognizer


@pytest.fixture(scope="module")
def recognizer() -> CaselensUkPostcodeRecognizer:
    return CaselensUkPostcodeRecognizer()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Leeds LS6 2QR.", "LS6 2QR"),
        ("HX14 3AB", "HX14 3AB"),
        ("Manchester M1 1AE", "M1 1AE"),
        ("London EC1A 1BB", "EC1A 1BB"),
        ("London W1A 0AX", "W1A 0AX"),
        ("postcode LS62QR", "LS62QR"),
    ],
)
def test_postcodes_are_found(recognizer, matches, text: str, expected: str) -> None:
    assert matches(recognizer, text) == [expected]


@pytest.mark.parametrize(
    "text",
    # Run together in lower case, a postcode needs a context word (issue 24 made the
    # spaced lower-case form count on its own).
    ["the A1 road", "took 2 paracetamol", "room B12", "Year 6 class", "ls62qr"],
)
def test_non_postcodes_or_weak_shapes_are_not_found(recognizer, matches, text: str) -> None:
    assert matches(recognizer, text) == []


def test_postcode_passes_the_detector_threshold(detector) -> None:
    text = "Family moved to BD7 1AA in March."
    spans = detector.detect(text)
    postcode = [s for s in spans if s.entity_type == "POSTCODE"]
    assert [text[s.start : s.end] for s in postcode] == ["BD7 1AA"]
    assert postcode[0].score >= detector.score_threshold
