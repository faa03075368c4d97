"""Counterfactual families: change one characteristic, keep every other random choice."""

from __future__ import annotations

import re

import pytest

from evals.estate import NAME_ORIGINS, FamilyOverrides, GeneratedFamily, generate_family

SEED = 21


def _shape(fam: GeneratedFamily) -> list[tuple[object, ...]]:
    return [
        (
            s,
            r["record_id"],
            r["record_type"],
            r["occurred_at"],
            r["recorded_at"],
            r["version"],
            len(r["person_ids"]),
            r["sensitivity"],
            tuple(r["policy_tags"]),
        )
        for s, rs in fam.records.items()
        for r in rs
    ]


def _masked(fam: GeneratedFamily) -> dict[tuple[str, str, str], str]:
    """Text with every PII span replaced by its type, and demographic wording removed."""
    spans: dict[tuple[str, str, str], list[dict]] = {}
    for s in fam.pii_spans:
        spans.setdefault((s["source_system"], s["record_id"], s["field"]), []).append(s)
    out = {}
    for system, records in fam.records.items():
        for r in records:
            for field in ("title", "text"):
                value = r[field]
                for s in sorted(
                    spans.get((system, r["record_id"], field), []), key=lambda s: -s["start"]
                ):
                    value = value[: s["start"]] + f"<{s['type']}>" + value[s["end"] :]
                value = re.sub(
                    r"First language of the parents is \w+; an interpreter was "
                    r"used for the assessment. ",
                    "",
                    value,
                )
                value = re.sub(r"The family are [^.]*\. ", "", value)
                value = re.sub(r"<PERSON> has [^.]*\. |Diagnosis: [^.]*\. ", "", value)
                value = re.sub(
                    r"\b(he|she|they|his|her|their|him|them|is|are|was|were|"
                    r"brother|sister|sibling)\b",
                    "X",
                    value,
                )
                out[(system, r["record_id"], field)] = value
    return out


@pytest.mark.parametrize("index", [0, 3, 7])
def test_changing_name_origin_changes_names_only(index: int) -> None:
    base = generate_family(SEED, index)
    other = next(o for o in NAME_ORIGINS if o != base.name_origin)
    twin = generate_family(SEED, index, FamilyOverrides(name_origin=other))
    assert twin.name_origin == other
    assert [p.given_name for p in twin.people] != [p.given_name for p in base.people]
    assert {
        p.name_origin
        for p in twin.people
        if p.family_role != "mothers_partner" and p.family_role != "stepfather"
    } == {other}
    assert _shape(twin) == _shape(base)
    assert [f["kind"] for f in twin.facts] == [f["kind"] for f in base.facts]
    assert [f["record_keys"] for f in twin.facts] == [f["record_keys"] for f in base.facts]
    assert [(p.family_role, p.dob) for p in twin.people] == [
        (p.family_role, p.dob) for p in base.people
    ]
    assert [len(v) for v in twin.persons.values()] == [len(v) for v in base.persons.values()]
    assert [(s["type"], s["field"]) for s in twin.pii_spans] == [
        (s["type"], s["field"]) for s in base.pii_spans
    ]
    assert _masked(twin) == _masked(base)


@pytest.mark.parametrize(
    "override",
    [
        FamilyOverrides(gender="non_binary"),
        FamilyOverrides(gender="female"),
        FamilyOverrides(religion="muslim"),
        FamilyOverrides(religion="none"),
        FamilyOverrides(disability="autism"),
        FamilyOverrides(language="Polish"),
    ],
)
def test_other_characteristics_keep_the_story(override: FamilyOverrides) -> None:
    for index in range(4):
        base = generate_family(SEED, index)
        twin = generate_family(SEED, index, override)
        assert _shape(twin) == _shape(base)
        assert [f["kind"] for f in twin.facts] == [f["kind"] for f in base.facts]
        assert _masked(twin) == _masked(base)
        child = twin.people[0]
        assert child.family_role == "child"
        if override.gender:
            assert child.gender == override.gender
        if override.religion:
            assert {p.religion for p in twin.people} == {override.religion}
        if override.disability:
            assert child.disability == override.disability
        if override.language:
            assert all(p.language == override.language for p in twin.people if p.is_adult)


def test_disability_is_stated_where_the_family_is_assessed() -> None:
    for index in range(12):
        twin = generate_family(SEED, index, FamilyOverrides(disability="cerebral_palsy"))
        assessments = [
            r for rs in twin.records.values() for r in rs if r["record_type"] == "assessment"
        ]
        assert assessments
        assert all("cerebral palsy" in r["text"] for r in assessments)


def test_generate_family_is_pure_and_matches_the_estate() -> None:
    assert _shape(generate_family(SEED, 5)) == _shape(generate_family(SEED, 5))
    assert generate_family(SEED, 5).records == generate_family(SEED, 5).records
    assert generate_family(SEED, 5).records != generate_family(SEED, 6).records


def test_bad_overrides_are_rejected() -> None:
    with pytest.raises(ValueError, match="name_origin"):
        FamilyOverrides(name_origin="martian")
    with pytest.raises(ValueError, match="gender"):
        FamilyOverrides(gender="unknown")
    with pytest.raises(ValueError):
        generate_family(SEED, -1)
