"""Pure parts of pseudonymisation: roles, age bands, known-mention matching, placeholders."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from redaction.known_mentions import KnownMatcher, build_matcher, dob_pattern, phone_pattern
from redaction.placeholders import PlaceholderKeyer, PlaceholderRegistry
from redaction.pseudonyms import age_band
from redaction.roster import build_roster
from redaction.vault import VaultKeyError, generate_vault_key
from retrieval.records import Person
from retrieval.store.families import LinkedRelationship as Tie


def _person(pid: str, **fields: Any) -> Person:
    data: dict[str, Any] = {"person_id": pid, "source_system": "LCS", "given_name": "X"}
    data.update(fields)
    return Person.model_validate(data)


@pytest.fixture
def family() -> tuple[dict[str, list[Person]], list[Tie]]:
    members = {
        "C-young": [
            _person("1", given_name="Frederick", family_name="Okafor", dob="2018-03-02"),
            _person("E1", given_name="Freddie", family_name="Okafor", dob="2018-03-02"),
        ],
        "C-old": [
            _person(
                "2",
                given_name="Amara",
                family_name="Okafor",
                dob="2012-07-15",
                identifiers={"nhs_number": "9434765919", "upn": "A123456789012"},
            )
        ],
        "M": [
            _person(
                "3",
                given_name="Grace",
                family_name="Okafor",
                gender="female",
                dob="1990-01-09",
                phone="07700 900303",
                email="grace.o@example.org",
                address={
                    "line1": "Flat 2, 19 Hawthorn Road",
                    "town": "Kirkholme",
                    "postcode": "BD16 0QG",
                },
            )
        ],
        "P": [_person("4", given_name="Dean", family_name="Walsh", gender="male")],
        "G1": [_person("5", given_name="Ruth", family_name="Bell", gender="female")],
        "G2": [_person("6", given_name="Joan", family_name="Ward", gender="female")],
    }
    ties = []
    for child in ("C-young", "C-old"):
        ties += [
            Tie(child, "M", "mother"),
            Tie(child, "P", "mothers_partner"),
            Tie(child, "G1", "grandparent"),
            Tie(child, "G2", "grandparent"),
            Tie("M", child, "child"),
        ]
    return members, ties


def test_roles_follow_relationships_and_children_are_ordered_oldest_first(family) -> None:
    roster = build_roster("F", *family, today=date(2026, 1, 1))
    names = {m.member_id: m.pseudonym for m in roster.members}
    assert names["C-old"] == "Child 1"
    assert names["C-young"] == "Child 2"
    assert names["M"] == "Mother"
    assert names["P"] == "Mother's partner"
    assert {names["G1"], names["G2"]} == {"Grandmother 1", "Grandmother 2"}


def test_a_mother_with_her_own_mother_in_the_family_is_not_a_child(family) -> None:
    """Three generations: the mother is her mother's child, and still [Mother]."""
    members, ties = family
    members = {**members, "N": [_person("7", given_name="Iris", gender="female", dob="1962-04-01")]}
    ties = [*ties, Tie("M", "N", "mother"), Tie("N", "M", "child")]
    ties += [Tie(child, "N", "grandparent") for child in ("C-young", "C-old")]
    names = {m.member_id: m.pseudonym for m in build_roster("F", members, ties).members}
    assert names["M"] == "Mother"
    assert (names["C-old"], names["C-young"]) == ("Child 1", "Child 2")
    # A parent under 18 is still a child.
    young = {**members, "M": [_person("3", given_name="Grace", gender="female", dob="2010-01-09")]}
    roster = build_roster("F", young, ties, today=date(2026, 1, 1))
    assert roster.by_id("M").is_child


def test_roster_fingerprint_changes_with_family_knowledge(family) -> None:
    members, ties = family
    before = build_roster("F", members, ties).fingerprint
    members["P"] = [
        _person("4", given_name="Dean", family_name="Walsh", gender="male", known_as=["Deano"])
    ]
    assert build_roster("F", members, ties).fingerprint != before


@pytest.mark.parametrize(
    ("dob", "on", "band"),
    [
        (date(2016, 5, 1), date(2025, 4, 30), "aged 8-10"),
        (date(2016, 5, 1), date(2027, 5, 1), "aged 11-13"),
        (date(2025, 1, 1), date(2025, 6, 1), "aged under 1"),
        (date(2025, 6, 1), date(2025, 1, 1), "not yet born"),
        (date(1950, 1, 1), date(2025, 1, 1), "aged 65+"),
    ],
)
def test_age_band(dob: date, on: date, band: str) -> None:
    assert age_band(dob, on) == band


def _found(matcher: KnownMatcher, text: str) -> list[tuple[str, str, str]]:
    return [(text[m.start : m.end], m.kind, m.owner) for m in matcher.find(text)]


def test_matcher_finds_name_variants_nicknames_possessives_and_full_names(family) -> None:
    matcher = build_matcher(build_roster("F", *family))
    text = (
        "Freddie's mum Grace Okafor said Freddy and FREDERICK were fine; Okafor, Amara "
        "attended. Fred will go. We will visit Dean Walsh. grace is a word here."
    )
    found = _found(matcher, text)
    assert ("Freddie", "PERSON", "C-young") in found
    assert ("Grace Okafor", "PERSON", "M") in found
    assert ("Freddy", "PERSON", "C-young") in found  # nickname table
    assert ("FREDERICK", "PERSON", "C-young") in found
    assert ("Okafor, Amara", "PERSON", "C-old") in found
    assert ("Dean Walsh", "PERSON", "P") in found
    assert all(t != "will" and t != "grace" for t, _, _ in found)


def test_shared_surname_alone_is_a_family_placeholder(family) -> None:
    matcher = build_matcher(build_roster("F", *family))
    assert _found(matcher, "The Okafor family") == [("Okafor", "PERSON", "Family name 1")]


def test_a_title_of_the_other_gender_makes_a_lone_surname_the_familys(family) -> None:
    """Issue 24: the only Walsh the store knows is Dean (male); "Mrs Walsh, paternal nan"
    is somebody else of that family, never [Mother's partner]."""
    matcher = build_matcher(build_roster("F", *family))
    (nan, _, nan_owner), (dad, _, dad_owner) = _found(
        matcher, "Seen Mrs Walsh, paternal nan, and Mr Walsh."
    )
    assert nan == dad == "Walsh"
    assert nan_owner.startswith("Family name") and dad_owner == "P"
    assert _found(matcher, "Mrs. Walsh rang")[0][2].startswith("Family name")


def test_three_generations_sharing_a_surname_never_give_it_one_role(family) -> None:
    members, ties = family
    members = {
        **members,
        "G3": [_person("7", given_name="Edith", family_name="Okafor", gender="female")],
    }
    ties = [*ties, Tie("M", "G3", "mother")]
    matcher = build_matcher(build_roster("F", members, ties))
    for text in ("Mrs Okafor attended", "Mr Okafor attended", "Okafor family"):
        owners = {owner for _, _, owner in _found(matcher, text)}
        assert owners == {"Family name 1"}, text


@pytest.mark.parametrize(
    "written",
    [
        "09/01/1990",
        "9.1.90",
        "1990-01-09",
        "9th January 1990",
        "9 Jan 90",
        "January 9, 1990",
        "09-01-1990",
        "9th of January 1990",
    ],
)
def test_dob_formats(written: str) -> None:
    import re

    assert re.search(dob_pattern(date(1990, 1, 9)), f"born {written}.")
    assert not re.search(dob_pattern(date(1990, 1, 9)), "seen 19/01/1990 and 09/01/1991")


@pytest.mark.parametrize(
    "written",
    ["07700 900303", "07700900303", "+44 7700 900303", "07700-900303", "+44 (0)7700 900303"],
)
def test_phone_forms(written: str) -> None:
    import re

    assert re.search(phone_pattern("07700 900303") or "", f"call {written} today")
    assert not re.search(phone_pattern("07700 900303") or "", "call 07700 900304 today")


def test_identifiers_address_postcode_with_or_without_spaces(family) -> None:
    matcher = build_matcher(build_roster("F", *family))
    text = (
        "NHS 943 476 5919, UPN a123456789012, tel +44 7700 900303, grace.o@example.org, "
        "lives at Flat 2, 19 Hawthorn Rd, Kirkholme BD160QG; later 19 Hawthorn Road."
    )
    kinds = {(t, k) for t, k, _ in _found(matcher, text)}
    assert ("943 476 5919", "NHS_NUMBER") in kinds
    assert ("a123456789012", "UPN") in kinds
    assert ("+44 7700 900303", "PHONE") in kinds
    assert ("grace.o@example.org", "EMAIL") in kinds
    assert ("Flat 2, 19 Hawthorn Rd, Kirkholme", "ADDRESS") in kinds
    assert ("BD160QG", "POSTCODE") in kinds
    assert ("19 Hawthorn Road", "ADDRESS") in kinds


def test_the_street_alone_is_the_family_address_but_not_a_street_every_town_has(family) -> None:
    members, ties = family
    members = {
        **members,
        "G1": [
            _person(
                "5",
                given_name="Ruth",
                family_name="Bell",
                address={"line1": "42 High Street", "town": "Kirkholme"},
            )
        ],
    }
    matcher = build_matcher(build_roster("F", members, ties))
    text = "moved from hawthorn rd last year; nan shops on the High Street"
    assert ("hawthorn rd", "ADDRESS") in {(t, k) for t, k, _ in _found(matcher, text)}
    assert ("Hawthorn Rd.", "ADDRESS") in {
        (t, k) for t, k, _ in _found(matcher, "visit at Hawthorn Rd. today")
    }
    assert "High Street" not in {t for t, _, _ in _found(matcher, text)}


def test_placeholder_registry_is_keyed_and_numbered_per_label() -> None:
    key = generate_vault_key()
    keyer = PlaceholderKeyer(key)
    registry = PlaceholderRegistry("F", keyer)
    assert registry.placeholder("PERSON", "Jane Brown") == "[Person 1]"
    assert registry.placeholder("PERSON", "jane  BROWN") == "[Person 1]"
    assert registry.placeholder("PERSON", "Ann Lee") == "[Person 2]"
    assert registry.placeholder("SCHOOL", "Oak Primary") == "[School 1]"
    entries = registry.drain_new()
    assert len(entries) == 3 and registry.drain_new() == []
    assert all("jane" not in e.value_hmac.lower() for e in entries)
    # Reloaded from stored entries, numbering continues; another key gives other hashes.
    again = PlaceholderRegistry("F", keyer, entries)
    assert again.placeholder("PERSON", "Ann Lee") == "[Person 2]"
    assert again.placeholder("PERSON", "New Person") == "[Person 3]"
    other = PlaceholderKeyer(generate_vault_key())
    assert other.digest("PERSON", "Ann Lee") != keyer.digest("PERSON", "Ann Lee")


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("Tash Briggs", "NATASHA BRIGGS", True),  # case and a diminutive (issue 24 item 7)
        ("Bill Horner", "William Horner", True),  # the linkage nickname table
        ("Bill Horner", "Will Horner", True),
        ("Natasha Briggs", "Natalie Briggs", False),  # another person
        ("Tash", "Natasha Briggs", False),  # a lone first name is not the full name
    ],
)
def test_unknown_people_keep_one_placeholder_across_spellings(
    first: str, second: str, same: bool
) -> None:
    registry = PlaceholderRegistry("F", PlaceholderKeyer(generate_vault_key()))
    a, b = registry.placeholder("PERSON", first), registry.placeholder("PERSON", second)
    assert (a == b) is same


def test_keyer_refuses_a_missing_key() -> None:
    with pytest.raises(VaultKeyError):
        PlaceholderKeyer("")


@pytest.mark.parametrize(
    ("written", "member"),
    [
        ("Amarra", "C-old"),  # a letter added
        ("Amaa", "C-old"),  # a letter dropped
        ("Aamra", "C-old"),  # two letters swapped
        ("Fredddie", "C-young"),  # a known-as name of another system
        ("FREDERCK", "C-young"),  # in capitals, a letter dropped
        ("Fredrick", None),  # a letter dropped, but a given name of its own
        ("Amara", None),  # spelt right: the matcher's, not a misspelling
        ("Dean", None),  # shorter than four letters after an edit would be anyone
        ("Tamara", None),  # a given name of its own (another person)
        ("Grace", None),
        ("Brace", None),  # an English word
    ],
)
def test_a_members_name_misspelt_by_one_letter_is_that_member(
    family, written: str, member: str | None
) -> None:
    from redaction.name_lists import default_name_lists
    from redaction.roster import misspelt_member

    lists = default_name_lists()
    roster = build_roster("F", *family)
    found = misspelt_member(roster, written, lambda k: lists.is_given(k) or lists.is_english(k))
    assert (found.member_id if found else None) == member
