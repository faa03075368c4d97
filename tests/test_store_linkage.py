"""Linkage results in the case store: clusters, family network, review pairs, scoping."""

from __future__ import annotations

import pytest

from retrieval.linkage.result import LinkageResult, PersonKey, ReviewPair, linked_person_id
from retrieval.store import CaseStore, LinkedRelationship
from retrieval.store.families import derive_families, derive_linked_relationships

K = PersonKey


def _family_estate(case_store: CaseStore, make_person, make_record) -> None:
    """Child + mother in LCS and SCHOOL, an unrelated person, records in both systems."""
    case_store.upsert_people(
        [
            make_person("LCS-C", relationships=[{"person_id": "LCS-M", "type": "mother"}]),
            make_person("LCS-M", relationships=[{"person_id": "LCS-C", "type": "child"}]),
            make_person("LCS-X"),
        ]
    )
    case_store.upsert_people(
        [
            make_person(
                "SCH-C",
                source_system="SCHOOL",
                relationships=[{"person_id": "SCH-M", "type": "Mother "}],
            ),
            make_person("SCH-M", source_system="SCHOOL"),
        ]
    )
    case_store.upsert_records(
        [
            make_record("L1", person_ids=["LCS-C"], occurred_at="2024-01-05"),
            make_record("L2", person_ids=["LCS-M"], occurred_at="2024-01-01"),
            make_record("L3", person_ids=["LCS-X"]),
        ]
    )
    case_store.upsert_records(
        [make_record("S1", source_system="SCHOOL", person_ids=["SCH-C"], occurred_at="2023-12-01")]
    )


def _linkage() -> LinkageResult:
    return LinkageResult.from_groups(
        [
            [K("LCS", "LCS-C"), K("SCHOOL", "SCH-C")],
            [K("LCS", "LCS-M"), K("SCHOOL", "SCH-M")],
            [K("LCS", "LCS-X")],
        ],
        review_pairs=[ReviewPair(K("SCHOOL", "SCH-M"), K("LCS", "LCS-X"), 0.7, "dob differs")],
    )


def test_replace_linkage_derives_family_network(case_store, make_person, make_record) -> None:
    _family_estate(case_store, make_person, make_record)
    summary = case_store.replace_linkage(_linkage())
    assert summary.linked_people == 3
    assert summary.merged_clusters == 2
    assert summary.families == 2  # child + mother, and the unrelated person alone
    assert summary.review_pairs == 1

    child = case_store.linked_person_of("SCHOOL", "SCH-C")
    mother = case_store.linked_person_of("LCS", "LCS-M")
    assert child == case_store.linked_person_of("LCS", "LCS-C")
    assert child == linked_person_id([K("LCS", "LCS-C"), K("SCHOOL", "SCH-C")])
    assert case_store.members_of(child) == [K("LCS", "LCS-C"), K("SCHOOL", "SCH-C")]

    family = case_store.family_of(child)
    assert family is not None
    assert sorted(family.members) == sorted([child, mother])
    # "mother" is recorded by LCS and (with different spelling) by SCHOOL: one tie, 2 sources.
    assert LinkedRelationship(child, mother, "mother", 2) in family.relationships
    assert LinkedRelationship(mother, child, "child", 1) in family.relationships
    loner = case_store.linked_person_of("LCS", "LCS-X")
    assert case_store.family_of(loner).members == [loner]
    assert case_store.family_of(loner).family_id != family.family_id
    assert case_store.family_of("LP-unknown") is None
    assert case_store.linked_person_of("LCS", "nobody") is None

    pairs = case_store.review_pairs()
    assert len(pairs) == 1 and pairs[0].probability == pytest.approx(0.7)
    assert pairs[0].evidence == "dob differs"


def test_records_for_linked_person_span_systems(case_store, make_person, make_record) -> None:
    _family_estate(case_store, make_person, make_record)
    case_store.replace_linkage(_linkage())
    child = case_store.linked_person_of("LCS", "LCS-C")
    keys = case_store.record_keys_for_linked_person(child)
    assert keys == [("SCHOOL", "S1"), ("LCS", "L1")]  # oldest first
    records = case_store.records_for_linked_person(child)
    assert [r.key for r in records] == keys


def test_replacing_linkage_replaces_everything(case_store, make_person, make_record) -> None:
    _family_estate(case_store, make_person, make_record)
    case_store.replace_linkage(_linkage())
    split = LinkageResult.from_groups(
        [
            [K("LCS", "LCS-C")],
            [K("SCHOOL", "SCH-C")],
            [K("LCS", "LCS-M")],
            [K("SCHOOL", "SCH-M")],
            [K("LCS", "LCS-X")],
        ]
    )
    summary = case_store.replace_linkage(split)
    assert summary.merged_clusters == 0 and summary.review_pairs == 0
    assert case_store.review_pairs() == []
    assert case_store.linked_person_of("LCS", "LCS-C") != case_store.linked_person_of(
        "SCHOOL", "SCH-C"
    )
    child = case_store.linked_person_of("LCS", "LCS-C")
    assert case_store.record_keys_for_linked_person(child) == [("LCS", "L1")]


def test_person_in_two_clusters_is_rejected(case_store) -> None:
    bad = LinkageResult(
        clusters={"LP-a": [K("LCS", "P1")], "LP-b": [K("LCS", "P1"), K("EHM", "E1")]}
    )
    with pytest.raises(ValueError, match="two linked people"):
        case_store.replace_linkage(bad)
    assert case_store.linked_person_of("EHM", "E1") is None


def test_deleting_people_removes_them_from_linkage(case_store, make_person, make_record) -> None:
    _family_estate(case_store, make_person, make_record)
    case_store.replace_linkage(_linkage())
    child = case_store.linked_person_of("LCS", "LCS-C")
    mother = case_store.linked_person_of("LCS", "LCS-M")
    assert case_store.delete_people([K("LCS", "LCS-X"), ("SCHOOL", "SCH-M")]) == 2
    assert case_store.linked_person_of("LCS", "LCS-X") is None
    assert case_store.members_of(mother) == [K("LCS", "LCS-M")]
    # LCS still records the mother/child tie, SCHOOL no longer does.
    family = case_store.family_of(child)
    assert LinkedRelationship(child, mother, "mother", 1) in family.relationships
    assert case_store.delete_people([("LCS", "LCS-M")]) == 1
    assert case_store.family_of(mother) is None
    assert case_store.family_of(child).members == [child]


def test_derivation_drops_self_ties_and_unknown_people() -> None:
    cluster_of = {K("A", "1"): "LP1", K("A", "2"): "LP1", K("A", "3"): "LP2"}
    ties = derive_linked_relationships(
        cluster_of,
        [("A", "1", "2", "sibling"), ("A", "1", "3", "father"), ("A", "1", "9", "aunt")],
    )
    assert ties == [LinkedRelationship("LP1", "LP2", "father", 1)]


def test_families_are_connected_components_with_stable_ids() -> None:
    ties = [
        LinkedRelationship("LP1", "LP2", "mother"),
        LinkedRelationship("LP3", "LP2", "mother"),
        LinkedRelationship("LP4", "LP5", "partner"),
    ]
    families = derive_families(["LP1", "LP2", "LP3", "LP4", "LP5", "LP6"], ties)
    assert families["LP1"] == families["LP2"] == families["LP3"]
    assert families["LP4"] == families["LP5"] != families["LP1"]
    assert len(set(families.values())) == 3
    again = derive_families(["LP6", "LP5", "LP4", "LP3", "LP2", "LP1"], list(reversed(ties)))
    assert again == families
