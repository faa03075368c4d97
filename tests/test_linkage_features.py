"""Normalisation that decides what counts as agreement between two systems' records."""

from __future__ import annotations

from datetime import date

import pytest

from retrieval.linkage.features import (
    normalise_digits,
    normalise_gender,
    normalise_postcode,
    people_frame,
    person_features,
)
from retrieval.linkage.names import canonical_given, fold_name, nickname_table, parse_nickname_table
from retrieval.records import Person


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("Freddie", "frederick"),
        ("FRED", "frederick"),
        ("Maggie", "margaret"),
        ("Mo", "mohammed"),
        ("Muhammad", "mohammed"),
        ("Ola", "aleksandra"),
        ("Gosia", "malgorzata"),
        ("Małgorzata", "malgorzata"),
        ("Zoë", "zoe"),
        ("Oscar", "oscar"),
        ("Mary Jane", "mary"),
    ],
)
def test_given_names_reduce_to_one_canonical_form(raw: str, canonical: str) -> None:
    assert canonical_given(raw) == canonical


def test_names_fold_case_accents_and_punctuation() -> None:
    assert fold_name("  O'Brien ") == "obrien"
    assert fold_name("Nguyễn") == "nguyen"
    assert fold_name("Smith-Jones") == "smith jones"
    assert fold_name("  ") is None
    assert fold_name(None) is None


def test_ambiguous_nickname_table_is_rejected() -> None:
    with pytest.raises(ValueError, match="two canonical names"):
        parse_nickname_table("alexander: alex\nalexandra: alex\n")
    with pytest.raises(ValueError, match="line 1"):
        parse_nickname_table("no colon here\n")


def test_packaged_nickname_table_keeps_siblings_apart() -> None:
    table = nickname_table()
    assert len(table) > 300
    # Short forms shared by two different full names must not be in the table.
    for ambiguous in ("alex", "sam", "charlie", "pat", "nicky", "jamie"):
        assert ambiguous not in table, ambiguous


def test_identifiers_and_postcodes_are_normalised() -> None:
    assert normalise_postcode("ls62ab") == "LS6 2AB"
    assert normalise_postcode(" SW1A  1AA ") == "SW1A 1AA"
    assert normalise_postcode("not a postcode") is None
    assert normalise_digits("943 476 5919", 10) == "9434765919"
    assert normalise_digits("943 476", 10) is None
    assert normalise_gender("F") == "female"
    assert normalise_gender("Not stated") is None
    assert normalise_gender("non-binary") == "other"


def test_person_row_carries_aliases_and_dob_parts() -> None:
    person = Person(
        person_id="P1",
        source_system="LCS",
        given_name="Aleksandra",
        family_name="Nowak",
        known_as=["Ola"],
        dob=date(2012, 4, 9),
        address={"postcode": "ls6 2ab"},
        identifiers={"nhs_number": "943-476-5919", "upn": "a123456789012"},
    )
    row = person_features(person)
    assert row["unique_id"] == "LCS:P1"
    assert row["alias_canonicals"] == ["aleksandra"]
    assert (row["dob"], row["dob_year"], row["dob_month"], row["dob_day"]) == (
        "2012-04-09",
        2012,
        4,
        9,
    )
    assert row["postcode_district"] == "LS6"
    assert row["nhs_number"] == "9434765919"
    assert row["upn"] == "A123456789012"


def test_duplicate_person_is_an_error_without_personal_data() -> None:
    person = Person(person_id="P1", source_system="LCS", given_name="Secretname")
    with pytest.raises(ValueError) as info:
        people_frame([person, person])
    assert "LCS:P1" in str(info.value)
    assert "Secretname" not in str(info.value)
