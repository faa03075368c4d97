"""Case and record references of source systems."""

from __future__ import annotations

import pytest

from redaction.recognizers import CaseReferenceRecognizer


@pytest.fixture(scope="module")
def recognizer() -> CaseReferenceRecognizer:
    return CaseReferenceRecognizer()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see LCS/2024/00123 for detail", "LCS/2024/00123"),
        ("ref EHM-000123.", "EHM-000123"),
        ("person LCS-P000123 linked", "LCS-P000123"),
        ("crime ref 13/45678/24 noted", "13/45678/24"),
        ("Case no: 2024-0098 opened", "2024-0098"),
        ("ref: AB12345", "AB12345"),
        ("police log number 4521 of today", "4521"),
        ("OCCURRENCE 24000999123 RAISED", "24000999123"),  # police occurrence (issue 24)
        ("occ no 5512/23", "5512/23"),
    ],
)
def test_references_are_found(recognizer, matches, text: str, expected: str) -> None:
    assert matches(recognizer, text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "COVID-19 vaccination",
        "reference to mum's support",
        "in case 2 children attend",
        "met on Mar-2024",
        "record 12/08/23 of the visit",  # a date, not a reference
        "ISBN-12345",  # unknown system without context: weak
        "case discussed at panel",
    ],
)
def test_non_references_are_not_found(recognizer, matches, text: str) -> None:
    assert matches(recognizer, text) == []


def test_reference_wins_over_date_inside_it(found) -> None:
    assert found("Transferred, see LCS/2024/00123.") == [("CASE_REFERENCE", "LCS/2024/00123")]
