"""The relationship contract on ingest: direction read by setting, impossible ties quarantined.

Synthetic people only. On a child's line ``{person_id: M, type: mother}`` means M is the
child's mother (``theirs_to_me``); an export that means "I am M's mother" is
``me_to_theirs``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from retrieval.ingest import Ingestor
from retrieval.ingest.relationships import check_relationships, turn_round
from retrieval.records import Person, Relationship


def _person(pid: str, dob: str | None, gender: str, *rels: tuple[str, str]) -> dict[str, Any]:
    return {
        "person_id": pid,
        "source_system": "HOUSING",
        "given_name": "Test",
        "family_name": pid,
        "dob": dob,
        "gender": gender,
        "relationships": [{"person_id": p, "type": t} for p, t in rels],
    }


def _family(direction: str) -> list[dict[str, Any]]:
    """Mum (1985), dad (1983), child (2015), in the given export direction."""
    if direction == "theirs_to_me":
        return [
            _person("H-MUM", "1985-02-01", "female", ("H-KID", "child"), ("H-DAD", "partner")),
            _person("H-DAD", "1983-07-09", "male", ("H-KID", "child"), ("H-MUM", "partner")),
            _person("H-KID", "2015-10-12", "male", ("H-MUM", "mother"), ("H-DAD", "father")),
        ]
    return [
        _person("H-MUM", "1985-02-01", "female", ("H-KID", "mother"), ("H-DAD", "partner")),
        _person("H-DAD", "1983-07-09", "male", ("H-KID", "father"), ("H-MUM", "partner")),
        _person("H-KID", "2015-10-12", "male", ("H-MUM", "child"), ("H-DAD", "child")),
    ]


def _ties(people: dict[int, Person]) -> set[tuple[str, str, str]]:
    return {(p.person_id, r.person_id, r.type) for p in people.values() for r in p.relationships}


CONTRACT_TIES = {
    ("H-MUM", "H-KID", "child"),
    ("H-MUM", "H-DAD", "partner"),
    ("H-DAD", "H-KID", "child"),
    ("H-DAD", "H-MUM", "partner"),
    ("H-KID", "H-MUM", "mother"),
    ("H-KID", "H-DAD", "father"),
}


def _lines(rows: list[dict[str, Any]]) -> list[tuple[int, Person]]:
    return [(n, Person.model_validate(row)) for n, row in enumerate(rows, start=1)]


def test_contract_direction_is_kept_as_it_is() -> None:
    people, issues = check_relationships(_lines(_family("theirs_to_me")))
    assert issues == []
    assert _ties(people) == CONTRACT_TIES


def test_other_direction_is_turned_round_by_setting() -> None:
    people, issues = check_relationships(_lines(_family("me_to_theirs")), "me_to_theirs")
    assert issues == []
    assert _ties(people) == CONTRACT_TIES


def test_other_direction_read_as_the_contract_is_refused_not_misread() -> None:
    """Without the setting, every parent/child tie of that export is impossible: all go."""
    people, issues = check_relationships(_lines(_family("me_to_theirs")))
    assert _ties(people) == {("H-MUM", "H-DAD", "partner"), ("H-DAD", "H-MUM", "partner")}
    assert len(issues) == 4
    assert {i.field for i in issues} == {"relationships.0", "relationships.1"}
    assert all("older" in i.error or "younger" in i.error for i in issues)


@pytest.mark.parametrize(
    ("kid_dob", "dad_dob", "kept"),
    [
        ("2015-10-12", "1983-07-09", True),  # 32 years older: a father
        ("2015-10-12", "2009-01-01", False),  # six years older: not a father
        ("2015-10-12", "2040-01-01", False),  # born after the child
        ("2015-10-12", None, True),  # no DOB: nothing to check
    ],
)
def test_impossible_parent_age_is_caught(kid_dob: str, dad_dob: str | None, kept: bool) -> None:
    rows = [
        _person("H-DAD", dad_dob, "male"),
        _person("H-KID", kid_dob, "male", ("H-DAD", "father")),
    ]
    people, issues = check_relationships(_lines(rows))
    assert (("H-KID", "H-DAD", "father") in _ties(people)) is kept
    assert (len(issues) == 0) is kept
    if not kept:
        assert issues[0].line == 2 and issues[0].field == "relationships.0"
        assert "1983" not in issues[0].error and "2040" not in issues[0].error


def test_lines_that_contradict_each_other_are_both_quarantined() -> None:
    rows = [
        _person("H-A", None, "female", ("H-B", "mother")),
        _person("H-B", None, "female", ("H-A", "mother")),
        _person("H-C", None, "female", ("H-D", "step_father")),
        _person("H-D", None, "male", ("H-C", "child")),  # loose, but the same way round
    ]
    people, issues = check_relationships(_lines(rows))
    assert [(i.line, i.field) for i in issues] == [(1, "relationships.0"), (2, "relationships.0")]
    assert "contradicts" in issues[0].error
    assert ("H-C", "H-D", "step_father") in _ties(people)


def test_turning_round_uses_the_other_persons_gender() -> None:
    rel = Relationship(person_id="X", type="child")
    assert turn_round(rel, "female")[0].type == "mother"  # type: ignore[union-attr]
    assert turn_round(rel, None)[0].type == "parent"  # type: ignore[union-attr]
    assert turn_round(Relationship(person_id="X", type="dog_walker"), None)[0] is None


def _write(folder: Path, rows: list[dict[str, Any]]) -> Path:
    path = folder / "extracts" / "HOUSING" / "people.jsonl"
    path.parent.mkdir(parents=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return folder


def test_ingest_quarantines_the_relationship_and_keeps_the_person(
    case_store: Any, default_policy: Any, tmp_path: Path
) -> None:
    estate = _write(tmp_path / "estate", _family("me_to_theirs"))
    report = Ingestor(case_store, default_policy, tmp_path / "q").ingest(estate)
    people = report.to_dict()["systems"]["HOUSING"]["people"]
    assert people["inserted"] == 3 and people["quarantined"] == 0
    assert people["relationships_quarantined"] == 4
    kid = case_store.get_person("HOUSING", "H-KID")
    assert kid is not None and kid.relationships == []
    entries = [json.loads(x) for x in report.quarantine_file.read_text().splitlines()]
    assert {e["file"] for e in entries} == {"HOUSING/people.jsonl"}
    assert {(e["line"], e["errors"][0]["field"]) for e in entries} == {
        (1, "relationships.0"),
        (2, "relationships.0"),
        (3, "relationships.0"),
        (3, "relationships.1"),
    }


def test_ingest_reads_the_other_direction_by_setting(
    case_store: Any, default_policy: Any, tmp_path: Path
) -> None:
    estate = _write(tmp_path / "estate", _family("me_to_theirs"))
    ingestor = Ingestor(
        case_store,
        default_policy,
        tmp_path / "q",
        relationship_direction_by_system={"HOUSING": "me_to_theirs"},
    )
    report = ingestor.ingest(estate)
    assert report.to_dict()["systems"]["HOUSING"]["people"]["relationships_quarantined"] == 0
    kid = case_store.get_person("HOUSING", "H-KID")
    assert kid is not None
    assert {(r.person_id, r.type) for r in kid.relationships} == {
        ("H-MUM", "mother"),
        ("H-DAD", "father"),
    }
