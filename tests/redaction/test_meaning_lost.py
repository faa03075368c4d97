"""Meaning lost (issue 24): placeholders whose original was an allow-listed term or an
ordinary word are counted from the records' sealed vault entries, never shown. Records
and words are synthetic."""

from __future__ import annotations

from datetime import datetime

import pytest

from redaction.leaks.meaning import ALLOW_LISTED, ORDINARY_WORD, MeaningScanner
from redaction.vault import TokenVault, generate_vault_key
from retrieval.pseudonymised import PseudonymisedRecord


def _record(n: int, text: str) -> PseudonymisedRecord:
    return PseudonymisedRecord(
        source_system="CSC",
        record_id=f"N{n}",
        record_type="case_note",
        occurred_at=datetime(2025, 3, n),
        recorded_at=datetime(2025, 3, n),
        sensitivity="standard",
        title="Visit",
        text=text,
        source_url=f"https://csc.example.org/N{n}",
    )


@pytest.mark.parametrize(
    ("original", "verdict"),
    [
        ("SLT", ALLOW_LISTED),
        ("Early Help", ALLOW_LISTED),
        ("Catalogue", ORDINARY_WORD),
        ("Refer", ORDINARY_WORD),
        ("Kwabena", None),  # a name
        ("Hope", None),  # a word that is also a name: maybe a person
        ("MASH/24/0917", None),  # an identifier that holds a practice term
        ("PC 2231 Oduya", None),  # an officer: a role word before a name
    ],
)
def test_originals_are_classified(original: str, verdict: str | None) -> None:
    found = MeaningScanner().classify(original)
    assert (found[0] if found else None) == verdict


def test_counts_come_from_the_sealed_entries_and_hold_no_original() -> None:
    vault = TokenVault(generate_vault_key())
    records = [
        (
            _record(1, "Referred to [Organisation 1] by [Person 2]; [Person 3] the form."),
            {"[Organisation 1]": "SLT", "[Person 2]": "Dr Mensah", "[Person 3]": "Catalogue"},
        ),
        # "Nan" as the family's grandmother keeps its meaning; as [Person 4] it is lost.
        (
            _record(2, "[Grandmother] and [Person 4] came."),
            {"[Grandmother]": "Nan", "[Person 4]": "Nan"},
        ),
    ]
    report = MeaningScanner().scan(
        ((record, vault.seal(mapping)) for record, mapping in records), vault
    )
    assert report.records == 2 and report.placeholders == 5
    assert report.allow_listed == 2 and report.ordinary == 1
    assert report.lost[(ALLOW_LISTED, "Organisation")] == 1
    assert report.lost[(ALLOW_LISTED, "Person")] == 1
    assert report.sections == {"glossary": 1, "kinship": 1}
    text = repr(report.to_dict())
    for original in ("SLT", "Mensah", "Catalogue", "Nan"):
        assert original not in text


def test_an_entry_the_key_cannot_open_is_counted_not_read() -> None:
    sealed = TokenVault(generate_vault_key()).seal({"[Person 1]": "Refer"})
    report = MeaningScanner().scan(
        [(_record(3, "[Person 1] him."), sealed)], TokenVault(generate_vault_key())
    )
    assert report.unopened == 1 and report.placeholders == 0
