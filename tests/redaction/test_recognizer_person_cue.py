"""Names after roles, titles and greetings; role words trimmed off model-found names."""

from __future__ import annotations

import pytest

from redaction.recognizers import PersonCueRecognizer


@pytest.fixture(scope="module")
def recognizer() -> PersonCueRecognizer:
    return PersonCueRecognizer()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Contact number for mum Ayesha: 07700 900679", ["Ayesha"]),
        ("Seen Andreea and M/O Ioana Gheorghe. Fine.", ["Andreea", "Ioana Gheorghe"]),
        ("Designated Safeguarding Lead Tendai Oduya. Following", ["Tendai Oduya"]),
        ("Dear Zeinab, thank you", ["Zeinab"]),
        ("ref X. -- Tomasz Kirkbride, PC", ["Tomasz Kirkbride"]),
        ("Mrs O'Neill and Mr McDonald", ["McDonald", "O'Neill"]),
        ("Lives with Charlotte at the flat", ["Charlotte"]),
        ("Nadia Hargreaves, Educational Psychologist", ["Nadia Hargreaves"]),
    ],
)
def test_names_after_cues(recognizer, matches, text: str, expected: list[str]) -> None:
    assert matches(recognizer, text) == sorted(expected)


@pytest.mark.parametrize(
    "text",
    [
        "mum Said she was tired",
        "Seen Monday with mum",
        "Seen Mum and Dad together",
        "Family Support Worker. Tel 0113 496 0690",
        "lives with Social Care support",
    ],
)
def test_cues_followed_by_non_names(recognizer, matches, text: str) -> None:
    assert matches(recognizer, text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Grandmother Margaret Evans called the office.", "Margaret Evans"),
        ("Spoke with maternal grandmother Margaret Evans today.", "Margaret Evans"),
        ("Mr John Smith attended the meeting.", "John Smith"),
        ("SW Jane Brown visited.", "Jane Brown"),
    ],
)
def test_role_words_and_titles_are_not_part_of_names(found, text: str, name: str) -> None:
    people = [v for t, v in found(text) if t == "PERSON"]
    assert name in people
    assert all(not v.lower().startswith(("grand", "mr ", "sw ", "maternal")) for v in people)


def test_bare_role_words_are_not_people(found) -> None:
    spans = found("Mum and Dad met the SW and HV at the CAMHS clinic.")
    assert not [v for t, v in spans if t in ("PERSON", "ORGANISATION")]


def test_later_mentions_of_a_found_name_are_found(found) -> None:
    text = "Seen Andreea and Mum. Andreea was quiet and Andreea ate well."
    people = [v for t, v in found(text) if t == "PERSON"]
    assert people == ["Andreea", "Andreea", "Andreea"]
