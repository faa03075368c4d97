"""Household evidence in linkage: people found through the people around them, relatives kept apart.

The families are synthetic. The Marsh family moved house; the new address is known to the
school and housing only. The school holds the mother under a misspelt surname with no date
of birth and the child with a month typo in the date of birth; housing holds the mother's
partner with no date of birth and the mother under her maiden name.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from retrieval.linkage.household import Household, role_of, ties_of
from retrieval.linkage.linker import link_people_with_stats
from retrieval.linkage.result import PersonKey, ReviewDecision
from retrieval.records import Person

OLD = {"line1": "4 Quarry Lane", "postcode": "BK1 4AA"}
NEW = {"line1": "19 Weir Close", "postcode": "BK7 2XY"}


def _p(system: str, pid: str, **fields: Any) -> Person:
    return Person(person_id=pid, source_system=system, **fields)


def _rel(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"person_id": pid, "type": kind} for pid, kind in pairs]


def marsh_family() -> tuple[list[Person], dict[str, str]]:
    people = [
        # Children's social care: everyone, old address, full dates of birth.
        _p(
            "LCS",
            "L1",
            given_name="Ellis",
            family_name="Marsh",
            dob=date(2014, 3, 9),
            gender="male",
            address=OLD,
            identifiers={"nhs_number": "9990001111"},
            relationships=_rel(("L2", "mother"), ("L3", "step_father"), ("L4", "sibling")),
        ),
        _p(
            "LCS",
            "L2",
            given_name="Gemma",
            family_name="Marsh",
            dob=date(1990, 5, 20),
            gender="female",
            address=OLD,
            relationships=_rel(("L1", "child"), ("L4", "child"), ("L3", "partner")),
        ),
        _p(
            "LCS",
            "L3",
            given_name="Rhys",
            family_name="Doyle",
            dob=date(1987, 11, 2),
            gender="male",
            address=OLD,
            relationships=_rel(("L2", "partner")),
        ),
        _p(
            "LCS",
            "L4",
            given_name="Nia",
            family_name="Marsh",
            dob=date(2017, 8, 9),
            gender="female",
            address=OLD,
            relationships=_rel(("L2", "mother"), ("L1", "sibling")),
        ),
        # Health: mother and son at the old address.
        _p(
            "HEALTH",
            "H1",
            given_name="Ellis",
            family_name="Marsh",
            dob=date(2014, 3, 9),
            gender="male",
            address=OLD,
            identifiers={"nhs_number": "9990001111"},
            relationships=_rel(("H2", "mother")),
        ),
        _p(
            "HEALTH",
            "H2",
            given_name="Gemma",
            family_name="Marsh",
            dob=date(1990, 5, 20),
            gender="female",
            address=OLD,
            relationships=_rel(("H1", "child")),
        ),
        # School, new address: the child's month mistyped, mother misspelt with no DOB.
        _p(
            "SCHOOL",
            "S1",
            given_name="Ellis",
            family_name="Marsh",
            dob=date(2014, 8, 9),
            gender="male",
            address=NEW,
            identifiers={"upn": "A999000000001"},
            relationships=_rel(("S2", "mother")),
        ),
        _p(
            "SCHOOL",
            "S2",
            given_name="Gemma",
            family_name="Marsch",
            gender="female",
            address=NEW,
            relationships=_rel(("S1", "child")),
        ),
        # Housing, new address: mother under her maiden name, partner without a DOB.
        _p(
            "HOUSING",
            "G1",
            given_name="Gemma",
            family_name="Whitlow",
            dob=date(1990, 5, 20),
            gender="female",
            address=NEW,
            identifiers={"ni_number": "QQ123456A"},
            relationships=_rel(("G2", "partner"), ("G3", "child")),
        ),
        _p(
            "HOUSING",
            "G2",
            given_name="Rhys",
            family_name="Doyle",
            gender="male",
            address=NEW,
            relationships=_rel(("G1", "partner")),
        ),
        _p(
            "HOUSING",
            "G3",
            given_name="Ellis",
            family_name="Marsh",
            dob=date(2014, 3, 9),
            gender="male",
            address=NEW,
            relationships=_rel(("G1", "mother")),
        ),
    ]
    truth = {
        "L1": "ellis",
        "H1": "ellis",
        "S1": "ellis",
        "G3": "ellis",
        "L2": "gemma",
        "H2": "gemma",
        "S2": "gemma",
        "G1": "gemma",
        "L3": "rhys",
        "G2": "rhys",
        "L4": "nia",
    }
    return people, truth


def _groups(result: Any) -> dict[str, set[str]]:
    return {cid: {k.person_id for k in ms} for cid, ms in result.clusters.items()}


def _assert_matches(result: Any, truth: dict[str, str]) -> None:
    cluster_of = {k.person_id: c for k, c in result.cluster_of().items()}
    for a in truth:
        for b in truth:
            same_person = truth[a] == truth[b]
            assert (cluster_of[a] == cluster_of[b]) == same_person, (a, b)


def test_relationship_roles_read_in_the_contract_direction() -> None:
    assert role_of("mother") == role_of("Father") == "parent"
    assert role_of("step-father") == "step_parent"
    assert role_of("pet") is None
    people, _ = marsh_family()
    ties = {(t.person.person_id, t.role, t.other.person_id) for t in ties_of(people)}
    # "L2 is my mother" on L1's line: L2 is the parent of L1, L1 the child of L2.
    assert ("L2", "parent", "L1") in ties and ("L1", "child", "L2") in ties
    assert ("L1", "parent", "L2") not in ties
    household = Household.of(people)
    assert household.related(PersonKey("LCS", "L1"), PersonKey("LCS", "L2"))
    assert not household.related(PersonKey("LCS", "L1"), PersonKey("HEALTH", "H1"))


def test_moved_family_links_through_the_household() -> None:
    people, truth = marsh_family()
    result, stats = link_people_with_stats(people)
    _assert_matches(result, truth)
    assert stats.household_links >= 3


def test_without_relationships_the_hard_records_stay_apart() -> None:
    """The same records with no relationships: names and addresses alone do not link them."""
    people, _ = marsh_family()
    bare = [p.model_copy(update={"relationships": []}) for p in people]
    result, stats = link_people_with_stats(bare)
    cluster_of = {k.person_id: c for k, c in result.cluster_of().items()}
    assert stats.household_links == 0
    assert cluster_of["S2"] != cluster_of["L2"]  # misspelt, no DOB, new address
    assert cluster_of["G2"] != cluster_of["L3"]  # no DOB, new address


def test_twins_siblings_and_same_named_parent_and_child_stay_apart() -> None:
    home = {"line1": "8 Kiln Street", "postcode": "BK3 9QD"}
    twin = {"family_name": "Okafor", "dob": date(2016, 4, 2), "address": home}
    people = [
        # LCS records father and son with the same name, and twins.
        _p(
            "LCS",
            "L1",
            given_name="Daniel",
            family_name="Okafor",
            dob=date(1975, 1, 6),
            gender="male",
            address=home,
            relationships=_rel(("L2", "child"), ("L3", "child")),
        ),
        _p(
            "LCS",
            "L2",
            given_name="Daniel",
            family_name="Okafor",
            dob=date(1998, 1, 6),
            gender="male",
            address=home,
            relationships=_rel(("L1", "father")),
        ),
        _p(
            "LCS",
            "L3",
            given_name="Amara",
            gender="female",
            **twin,
            relationships=_rel(("L1", "father"), ("L4", "sibling")),
        ),
        _p(
            "LCS",
            "L4",
            given_name="Adaeze",
            gender="female",
            **twin,
            relationships=_rel(("L1", "father"), ("L3", "sibling")),
        ),
        # School: the twins again, no identifiers; father without a DOB.
        _p(
            "SCHOOL",
            "S1",
            given_name="Amara",
            gender="female",
            **twin,
            relationships=_rel(("S3", "father")),
        ),
        _p(
            "SCHOOL",
            "S2",
            given_name="Adaeze",
            gender="female",
            **twin,
            relationships=_rel(("S3", "father")),
        ),
        _p(
            "SCHOOL",
            "S3",
            given_name="Daniel",
            family_name="Okafor",
            gender="male",
            address=home,
            relationships=_rel(("S1", "child"), ("S2", "child")),
        ),
        # Police: a Daniel Okafor with no DOB and no relationships (father or son?).
        _p("POLICE", "P1", given_name="Daniel", family_name="Okafor", gender="male", address=home),
    ]
    result, _ = link_people_with_stats(people)
    cluster_of = {k.person_id: c for k, c in result.cluster_of().items()}
    assert cluster_of["L1"] != cluster_of["L2"]
    assert cluster_of["L3"] != cluster_of["L4"]
    assert cluster_of["S1"] != cluster_of["S2"]
    assert cluster_of["S1"] == cluster_of["L3"] and cluster_of["S2"] == cluster_of["L4"]
    # The school's father is the father of the linked twins: the father, not the son.
    assert cluster_of["S3"] == cluster_of["L1"] != cluster_of["L2"]
    # Father or son? The police record is never merged into either on names alone.
    assert cluster_of["P1"] not in (cluster_of["L1"], cluster_of["L2"])


def test_maiden_name_needs_the_household() -> None:
    """Given name alone agrees: a link only when both are the mother of the same child."""
    people, _ = marsh_family()
    result, _ = link_people_with_stats(people)
    cluster_of = {k.person_id: c for k, c in result.cluster_of().items()}
    assert cluster_of["G1"] == cluster_of["L2"]
    # Another Gemma, mother of nobody in this family, at the new address: not merged.
    stranger = _p(
        "HOUSING", "G9", given_name="Gemma", family_name="Pryor", gender="female", address=NEW
    )
    result, _ = link_people_with_stats([*people, stranger])
    cluster_of = {k.person_id: c for k, c in result.cluster_of().items()}
    assert cluster_of["G9"] not in {cluster_of["L2"], cluster_of["L1"]}


def test_clerical_decisions_override_the_scores() -> None:
    people, _ = marsh_family()
    gemma_lcs, gemma_school = PersonKey("LCS", "L2"), PersonKey("SCHOOL", "S2")
    rejected, _ = link_people_with_stats(
        people, decisions=[ReviewDecision(gemma_lcs, gemma_school, accept=False)]
    )
    cluster_of = rejected.cluster_of()
    assert cluster_of[gemma_lcs] != cluster_of[gemma_school]
    # Two records never scored alike: a reviewer who knows they are one person merges them.
    stranger = _p("POLICE", "P9", given_name="G", family_name="M", gender="female")
    accepted, stats = link_people_with_stats(
        [*people, stranger],
        decisions=[ReviewDecision(PersonKey("POLICE", "P9"), gemma_lcs, accept=True)],
    )
    assert accepted.cluster_of()[PersonKey("POLICE", "P9")] == accepted.cluster_of()[gemma_lcs]
    assert stats.decisions_applied == 1
