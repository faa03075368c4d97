"""The case-normalised copy the detector also analyses (redaction/truecase.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from redaction.keep import default_keep_list
from redaction.name_lists import default_name_lists
from redaction.truecase import case_shadow


def shadow(text: str) -> str | None:
    return case_shadow(text, default_name_lists(), default_keep_list())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # capitals: names capitalised, ordinary words lower, practice terms untouched
        (
            "VICTIM OISIN DOHERTY AT 12 LARCH CLOSE, MARAC REFERRAL MADE.",
            "victim Oisin Doherty at 12 Larch Close, MARAC referral made.",
        ),
        # lower case: given names and the surname after one get their capital
        ("spoke to dariusz zielinski re rent", "spoke to Dariusz Zielinski re rent"),
        # a lower-case house number and street
        ("now at 61 larch close with nan", "now at 61 Larch Close with nan"),
    ],
)
def test_shadow_writes_names_and_places_as_a_careful_note_would(text: str, expected: str) -> None:
    assert shadow(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Seen Oisin at home with Mum; CIN plan reviewed.",  # already well written
        "mum said the car broke down and she will ring back",  # ordinary lower-case words
        "HV",  # too short to be a passage in capitals
        "went on the year 7 school trip, back at 4",  # a number straight before a school word
    ],
)
def test_shadow_is_none_when_nothing_changes(text: str) -> None:
    assert shadow(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "ŁUKASZ WIŚNIEWSKI REPORTED MISSING",
        "straße and ﬁne ligatures stay the same length",
        "ayodele's dad rang",
    ],
)
def test_shadow_keeps_every_offset(text: str) -> None:
    copy = shadow(text)
    assert copy is None or len(copy) == len(text)


def test_a_name_inside_an_address_needs_no_copy_and_the_address_is_still_redacted(
    found: Callable[[str], list[tuple[str, str]]],
) -> None:
    # An e-mail address is found whatever its case, so a given name inside one
    # ("tomasz.") must not make the detector analyse a second copy of the note.
    text = "Letter copied to tomasz.krol@example.net and to www.example.org/tomasz."
    assert shadow(text) is None
    assert ("EMAIL", "tomasz.krol@example.net") in found(text)
