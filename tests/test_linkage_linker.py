"""link_people on a hand-built family: one person per true person, relatives kept apart."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from retrieval.linkage.evaluate import pairwise_scores
from retrieval.linkage.linker import link_people, link_people_with_stats
from retrieval.linkage.result import PersonKey
from retrieval.records import Person

HOME = {"line1": "12 Alder Row", "postcode": "LS6 2AB"}
OLD_HOME = {"line1": "3 Birch Court", "postcode": "LS11 5QT"}


def _p(system: str, pid: str, truth: str, **fields: Any) -> tuple[Person, str]:
    return Person(person_id=pid, source_system=system, **fields), truth


def evans_family() -> list[tuple[Person, str]]:
    """A mother, her partner, four children (twins among them) in four systems.

    Variations a council sees: nickname, reversed names, DOB typo and day/month swap,
    an old address, identifiers present in some systems only.
    """
    return [
        # Mother: Margaret / Maggie, moved house (HEALTH holds the old address).
        _p(
            "LCS",
            "L-M",
            "mum",
            given_name="Margaret",
            family_name="Evans",
            dob=date(1988, 7, 14),
            gender="female",
            address=HOME,
        ),
        _p(
            "HEALTH",
            "H-M",
            "mum",
            given_name="Maggie",
            family_name="Evans",
            dob=date(1988, 7, 14),
            gender="female",
            address=OLD_HOME,
            identifiers={"nhs_number": "9434765919"},
        ),
        _p(
            "POLICE",
            "P-M",
            "mum",
            given_name="Margaret",
            family_name="Evans",
            dob=date(1988, 7, 14),
            gender="F",
            address=HOME,
            identifiers={"ni_number": "QQ123456C"},
        ),
        # Partner: same address, different family name.
        _p(
            "LCS",
            "L-D",
            "dad",
            given_name="Daniel",
            family_name="Okafor",
            dob=date(1985, 2, 3),
            gender="male",
            address=HOME,
        ),
        _p(
            "POLICE",
            "P-D",
            "dad",
            given_name="Danny",
            family_name="Okafor",
            dob=date(1985, 2, 3),
            gender="male",
            address=HOME,
        ),
        # Frederick / Freddie, DOB day-month swapped in SCHOOL, reversed names in HEALTH.
        _p(
            "LCS",
            "L-F",
            "fred",
            given_name="Frederick",
            family_name="Evans",
            dob=date(2014, 3, 11),
            gender="male",
            address=HOME,
        ),
        _p(
            "SCHOOL",
            "S-F",
            "fred",
            given_name="Freddie",
            family_name="Evans",
            dob=date(2014, 11, 3),
            gender="male",
            address=HOME,
            identifiers={"upn": "A123456789012"},
        ),
        _p(
            "HEALTH",
            "H-F",
            "fred",
            given_name="Evans",
            family_name="Frederick",
            dob=date(2014, 3, 11),
            gender="male",
            address=HOME,
            identifiers={"nhs_number": "4010232137"},
        ),
        # Twins: same DOB, surname, address and gender; only the given name differs.
        _p(
            "LCS",
            "L-T1",
            "twin1",
            given_name="Oscar",
            family_name="Evans",
            dob=date(2017, 5, 2),
            gender="male",
            address=HOME,
        ),
        _p(
            "SCHOOL",
            "S-T1",
            "twin1",
            given_name="Oscar",
            family_name="Evans",
            dob=date(2017, 5, 2),
            gender="male",
            address=HOME,
        ),
        _p(
            "HEALTH",
            "H-T1",
            "twin1",
            given_name="Oscar",
            family_name="Evans",
            dob=date(2017, 5, 12),
            gender="male",
            address=HOME,
        ),  # one-digit DOB typo
        _p(
            "LCS",
            "L-T2",
            "twin2",
            given_name="Jacob",
            family_name="Evans",
            dob=date(2017, 5, 2),
            gender="male",
            address=HOME,
        ),
        _p(
            "SCHOOL",
            "S-T2",
            "twin2",
            given_name="Jake",
            family_name="Evans",
            dob=date(2017, 5, 2),
            gender="male",
            address=HOME,
        ),
        # Baby, only in HEALTH and LCS.
        _p(
            "LCS",
            "L-B",
            "baby",
            given_name="Lily",
            family_name="Evans",
            dob=date(2023, 9, 30),
            gender="female",
            address=HOME,
        ),
        _p(
            "HEALTH",
            "H-B",
            "baby",
            given_name="Lily",
            family_name="Evans",
            dob=date(2023, 9, 30),
            gender="female",
            address=HOME,
            identifiers={"nhs_number": "4857773456"},
        ),
        # An unrelated neighbour with the same family name in the same street.
        _p(
            "POLICE",
            "P-N",
            "neighbour",
            given_name="Frederick",
            family_name="Evans",
            dob=date(1951, 1, 20),
            gender="male",
            address={"postcode": "LS6 2AD"},
        ),
    ]


def _truth(rows: list[tuple[Person, str]]) -> dict[PersonKey, str]:
    return {PersonKey(p.source_system, p.person_id): t for p, t in rows}


def test_family_is_linked_exactly_and_relatives_stay_apart() -> None:
    rows = evans_family()
    result = link_people([p for p, _ in rows])
    truth = _truth(rows)
    expected = {}
    for key, person in truth.items():
        expected.setdefault(person, []).append(key)
    assert sorted(result.clusters.values()) == sorted(sorted(m) for m in expected.values())
    scores = pairwise_scores(result.clusters.values(), truth)
    assert scores.precision == 1.0 and scores.recall == 1.0


def test_every_person_is_in_exactly_one_cluster_and_no_cluster_repeats_a_system() -> None:
    rows = evans_family()
    result = link_people([p for p, _ in rows])
    members = [m for cluster in result.clusters.values() for m in cluster]
    assert sorted(members) == sorted(_truth(rows))
    for cluster in result.clusters.values():
        systems = [m.source_system for m in cluster]
        assert len(systems) == len(set(systems))


def test_cluster_ids_are_stable_across_runs_and_input_order() -> None:
    people = [p for p, _ in evans_family()]
    first = link_people(people)
    second = link_people(list(reversed(people)))
    assert first.clusters == second.clusters


def test_conflicting_nhs_number_is_never_merged_but_is_reviewed() -> None:
    a = Person(
        person_id="H1",
        source_system="HEALTH",
        given_name="Amira",
        family_name="Khan",
        dob=date(2010, 1, 5),
        address=HOME,
        identifiers={"nhs_number": "9434765919"},
    )
    b = Person(
        person_id="Y1",
        source_system="YOUTH_JUSTICE",
        given_name="Amira",
        family_name="Khan",
        dob=date(2010, 1, 5),
        address=HOME,
        identifiers={"nhs_number": "4010232137"},
    )
    result = link_people([a, b], link_threshold=0.99, review_threshold=0.0)
    assert len(result.clusters) == 2
    assert [(r.left, r.right) for r in result.review_pairs] == [
        (PersonKey("HEALTH", "H1"), PersonKey("YOUTH_JUSTICE", "Y1"))
    ]
    assert "NHS number conflicts" in result.review_pairs[0].evidence


def test_same_system_lookalikes_go_to_review_not_merge() -> None:
    base = {
        "given_name": "Chloe",
        "family_name": "Wright",
        "dob": date(2012, 6, 1),
        "gender": "female",
        "address": HOME,
    }
    people = [
        Person(person_id="E1", source_system="EHM", **base),
        Person(person_id="E2", source_system="EHM", **base),
    ]
    result = link_people(people)
    assert len(result.clusters) == 2
    assert len(result.review_pairs) == 1
    review = result.review_pairs[0]
    assert review.probability >= 0.5
    assert "possible duplicate" in review.evidence


def test_review_evidence_names_fields_never_values() -> None:
    rows = evans_family()
    result, stats = link_people_with_stats([p for p, _ in rows], review_threshold=0.0001)
    assert stats.review_pairs == len(result.review_pairs) > 0
    raw_values = set()
    for person, _ in rows:
        raw_values |= {person.given_name, person.family_name, str(person.dob)}
        raw_values |= {v for v in person.identifiers.model_dump().values() if v}
        if person.address and person.address.postcode:
            raw_values.add(person.address.postcode)
    for review in result.review_pairs:
        assert review.evidence
        lowered = review.evidence.lower()
        for value in raw_values:
            assert value.lower() not in lowered, "evidence must not contain raw personal data"


def test_bad_thresholds_are_rejected() -> None:
    with pytest.raises(ValueError, match="review_threshold"):
        link_people([], link_threshold=0.5, review_threshold=0.9)


def test_no_people_gives_an_empty_result() -> None:
    result = link_people([])
    assert result.clusters == {} and result.review_pairs == []
