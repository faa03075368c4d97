"""The synthetic estate: determinism, contracts, exact PII offsets, gold consistency."""

from __future__ import annotations

import json
import re
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest

from evals.estate import NAME_ORIGINS, SYSTEMS, EstateSummary, generate_estate
from evals.estate.textbuilder import PII_TYPES
from retrieval.records import Person, SourceRecord, as_day

FAMILIES = 24
SEED = 11


def _lines(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


class Estate:
    def __init__(self, root: Path, summary: EstateSummary) -> None:
        self.root = root
        self.summary = summary
        self.people = {s: _lines(root / "extracts" / s / "people.jsonl") for s in SYSTEMS}
        self.records = {s: _lines(root / "extracts" / s / "records.jsonl") for s in SYSTEMS}
        self.gold = {
            name: _lines(root / "gold" / f"{name}.jsonl")
            for name in ("persons", "links", "families", "facts", "pii_spans", "policy")
        }
        self.record_by_key = {
            (r["source_system"], r["record_id"]): r for rs in self.records.values() for r in rs
        }
        self.person_by_key = {
            (p["source_system"], p["person_id"]): p for ps in self.people.values() for p in ps
        }
        self.true_by_id = {p["true_person_id"]: p for p in self.gold["persons"]}
        self.link = {
            (x["source_system"], x["person_id"]): x["true_person_id"] for x in self.gold["links"]
        }


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Estate:
    root = tmp_path_factory.mktemp("estate")
    summary = generate_estate(root, families=FAMILIES, seed=SEED)
    return Estate(root, summary)


def _all_bytes(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_same_seed_gives_identical_bytes_and_another_seed_differs(
    estate: Estate, tmp_path: Path
) -> None:
    again = tmp_path / "again"
    generate_estate(again, families=FAMILIES, seed=SEED)
    first, second = _all_bytes(estate.root), _all_bytes(again)
    assert first.keys() == second.keys()
    assert first == second
    other = tmp_path / "other"
    generate_estate(other, families=FAMILIES, seed=SEED + 1)
    different = _all_bytes(other)
    assert different["extracts/LCS/records.jsonl"] != first["extracts/LCS/records.jsonl"]
    assert different["gold/persons.jsonl"] != first["gold/persons.jsonl"]


def test_layout_and_manifest_match_files(estate: Estate) -> None:
    manifest = json.loads((estate.root / "manifest.json").read_text())
    assert manifest["seed"] == SEED
    assert manifest["families"] == FAMILIES
    assert manifest["reference_date"] == "2026-11-01"
    for system in SYSTEMS:
        assert manifest["systems"][system]["people"] == len(estate.people[system])
        assert manifest["systems"][system]["records"] == len(estate.records[system])
    assert len(estate.gold["families"]) == FAMILIES
    assert estate.summary.records == sum(len(r) for r in estate.records.values())
    assert estate.summary.pii_spans == len(estate.gold["pii_spans"])
    # at this size every system is represented
    assert all(estate.records[s] for s in SYSTEMS)


def test_refuses_non_empty_directory_unless_forced(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("x")
    with pytest.raises(FileExistsError):
        generate_estate(tmp_path, families=2, seed=1)
    summary = generate_estate(tmp_path, families=2, seed=1, force=True)
    assert summary.records > 0
    assert (tmp_path / "keep.txt").exists()  # force replaces only the estate's own outputs
    with pytest.raises(ValueError):
        generate_estate(tmp_path / "new", families=0, seed=1)


def test_every_line_validates_against_the_contracts(estate: Estate) -> None:
    for system in SYSTEMS:
        for line in estate.people[system]:
            person = Person.model_validate(line)
            assert person.source_system == system
            ids = person.identifiers
            assert person.dob or ids.nhs_number or ids.upn or ids.ni_number
        for line in estate.records[system]:
            record = SourceRecord.model_validate(line)
            assert record.source_system == system
            assert record.version and record.version >= 1
            assert record.updated_at and record.updated_at >= record.recorded_at
            assert record.recorded_at.date() >= as_day(record.occurred_at)
            assert record.recorded_at.date().isoformat() < "2026-11-01"
            assert "example" in record.source_url
            assert record.author.name and record.author.role and record.author.organisation
            assert 30 <= len(record.text.split()) <= 220


def test_ids_are_unique_and_person_ids_resolve(estate: Estate) -> None:
    for system in SYSTEMS:
        record_ids = [r["record_id"] for r in estate.records[system]]
        person_ids = [p["person_id"] for p in estate.people[system]]
        assert len(set(record_ids)) == len(record_ids)
        assert len(set(person_ids)) == len(person_ids)
        known = set(person_ids)
        for record in estate.records[system]:
            assert set(record["person_ids"]) <= known
        for person in estate.people[system]:
            for rel in person["relationships"]:
                assert rel["person_id"] in known and rel["person_id"] != person["person_id"]


def test_every_pii_span_is_exact(estate: Estate) -> None:
    spans = estate.gold["pii_spans"]
    assert len(spans) > 20 * FAMILIES
    for span in spans:
        record = estate.record_by_key[(span["source_system"], span["record_id"])]
        assert span["field"] in ("text", "title")
        assert record[span["field"]][span["start"] : span["end"]] == span["text"], span
        assert span["type"] in PII_TYPES
        if span["true_person_id"] is not None:
            assert span["true_person_id"] in estate.true_by_id
    types = Counter(s["type"] for s in spans)
    for kind in PII_TYPES:
        assert types[kind] > 0, f"no {kind} spans generated"
    # spans in one field never overlap
    by_field: dict[tuple[str, str, str], list[tuple[int, int]]] = {}
    for s in spans:
        by_field.setdefault((s["source_system"], s["record_id"], s["field"]), []).append(
            (s["start"], s["end"])
        )
    for ranges in by_field.values():
        ranges.sort()
        assert all(a[1] <= b[0] for a, b in pairwise(ranges))


def test_known_identifiers_in_text_are_all_spanned(estate: Estate) -> None:
    """No family member's full name, NHS number or phone appears outside a span."""
    spanned: dict[tuple[str, str, str], list[tuple[int, int]]] = {}
    for s in estate.gold["pii_spans"]:
        spanned.setdefault((s["source_system"], s["record_id"], s["field"]), []).append(
            (s["start"], s["end"])
        )
    needles = []
    for p in estate.gold["persons"]:
        needles.append(f"{p['given_name']} {p['family_name']}")
        needles.append(p["nhs_number"])
        needles.extend(p["phones"])
        needles.extend(p["emails"])
    for key, record in estate.record_by_key.items():
        for field in ("text", "title"):
            value = record[field]
            for needle in needles:
                for m in re.finditer(re.escape(needle), value):
                    covered = any(
                        a <= m.start() and m.end() <= b for a, b in spanned.get((*key, field), [])
                    )
                    assert covered, (key, field)


def test_gold_links_cover_every_person_line_exactly_once(estate: Estate) -> None:
    links = estate.gold["links"]
    keys = [(x["source_system"], x["person_id"]) for x in links]
    assert len(keys) == len(set(keys))
    assert set(keys) == set(estate.person_by_key)
    assert {x["true_person_id"] for x in links} <= set(estate.true_by_id)
    members = {m for f in estate.gold["families"] for m in f["members"]}
    assert members == set(estate.true_by_id)


def test_facts_point_at_records_that_state_them(estate: Estate) -> None:
    facts = estate.gold["facts"]
    kinds = Counter(f["kind"] for f in facts)
    for kind in ("substance_misuse", "protective_factor", "strength", "send_provision"):
        assert kinds[kind] > 0
    for fact in facts:
        assert fact["record_keys"], fact["fact_id"]
        assert set(fact["subjects"]) <= set(estate.true_by_id)
        for system, record_id in fact["record_keys"]:
            record = estate.record_by_key[(system, record_id)]
            text = record["text"].lower()
            if fact["kind"] == "substance_misuse":
                substance = fact["details"]["substance"]
                word = "prescri" if substance == "prescription" else substance
                assert word in text
            if fact["kind"] == "exclusion":
                assert "exclusion" in text
            if fact["kind"] == "missing_episode":
                assert "missing" in text
            if fact["kind"] == "send_provision":
                assert fact["details"]["provision"].lower() in text
        dates = {estate.record_by_key[tuple(k)]["occurred_at"] for k in fact["record_keys"]}
        assert fact["occurred_at"] in dates
        if fact["kind"] == "send_provision" and fact["details"]["vague"]:
            assert not fact["details"]["quantified"]


def test_families_without_substance_misuse_never_mention_it(estate: Estate) -> None:
    with_misuse = {f["family_id"] for f in estate.gold["facts"] if f["kind"] == "substance_misuse"}
    family_of = {p["true_person_id"]: p["family_id"] for p in estate.gold["persons"]}
    without = {f["family_id"] for f in estate.gold["families"]} - with_misuse
    assert with_misuse and without
    pattern = re.compile(r"alcohol|cannabis|cocaine|heroin|ketamine|drug|diazepam", re.I)
    for (system, _), record in estate.record_by_key.items():
        fams = {family_of[estate.link[(system, pid)]] for pid in record["person_ids"]}
        if fams <= without:
            assert not pattern.search(record["text"])


def test_name_origins_and_characteristics_are_varied(estate: Estate) -> None:
    origins = Counter(f["name_origin"] for f in estate.gold["families"])
    assert len(origins) >= 6
    assert set(origins) <= set(NAME_ORIGINS)
    people = estate.gold["persons"]
    assert len({p["language"] for p in people}) >= 4
    assert len({p["religion"] for p in people}) >= 3
    roles = Counter(p["family_role"] for p in people)
    assert roles["child"] == FAMILIES
    assert roles["mother"] > 0 and roles["sibling"] > 0


def test_systems_record_people_differently(estate: Estate) -> None:
    """Linkage has work to do: nicknames, spelling variants, swaps, DOB typos, moves."""
    seen = Counter()
    for key, line in estate.person_by_key.items():
        truth = estate.true_by_id[estate.link[key]]
        if line["given_name"] in truth["nicknames"]:
            seen["nickname"] += 1
        elif (
            line["given_name"] == truth["family_name"]
            and line["family_name"] == truth["given_name"]
        ):
            seen["swap"] += 1
        elif (
            line["given_name"] != truth["given_name"] or line["family_name"] != truth["family_name"]
        ):
            seen["spelling"] += 1
        if line["dob"] is None:
            seen["no_dob"] += 1
        elif line["dob"] != truth["dob"]:
            seen["dob_typo"] += 1
        if truth["previous_addresses"] and line["address"] == truth["previous_addresses"][0]:
            seen["old_address"] += 1
        if line["identifiers"]["upn"]:
            assert key[0] in ("SCHOOL", "SEND")
        if line["identifiers"]["ni_number"]:
            assert truth["family_role"] not in ("child", "sibling") or truth["dob"] < "2008-11-01"
    for kind in ("nickname", "swap", "spelling", "dob_typo", "no_dob"):
        assert seen[kind] > 0, kind
    changed = sum(seen[k] for k in ("nickname", "swap", "spelling", "dob_typo", "no_dob"))
    assert changed < 0.5 * len(estate.person_by_key)  # mostly resolvable


def test_policy_material_is_listed(estate: Estate) -> None:
    policy = {(p["source_system"], p["record_id"]): p for p in estate.gold["policy"]}
    assert policy
    for key, record in estate.record_by_key.items():
        if (
            record["sensitivity"] == "sealed"
            or "adoption" in record["policy_tags"]
            or "no_ai_processing" in record["policy_tags"]
        ):
            assert policy[key]["expected"] == "exclude"
        elif record["record_type"] == "camhs_clinical":
            assert record["sensitivity"] == "restricted"
            assert policy[key]["expected"] == "restricted"
        else:
            assert key not in policy
    assert any(r["record_type"] == "adoption_record" for r in estate.records["LCS"])
    flagged = [f for f in estate.gold["facts"] if f["only_in_restricted"]]
    for fact in flagged:
        assert all(tuple(k) in policy for k in fact["record_keys"])


def test_send_children_have_the_full_set_of_advice(estate: Estate) -> None:
    by_child: dict[str, set[str]] = {}
    for record in estate.records["SEND"]:
        assert record["record_type"] in ("advice_report", "views")
        child = estate.link[("SEND", record["person_ids"][0])]
        by_child.setdefault(child, set()).add(record["advice_type"])
    assert by_child
    for types in by_child.values():
        assert {
            "educational_psychology",
            "speech_and_language",
            "occupational_therapy",
            "paediatric",
            "social_care",
            "parent_views",
        } <= types
    provisions = [f for f in estate.gold["facts"] if f["kind"] == "send_provision"]
    assert any(f["details"]["quantified"] for f in provisions)
    assert any(f["details"]["vague"] for f in provisions)
    child_views = [r for r in estate.records["SEND"] if r["advice_type"] == "child_views"]
    assert all(r["text"].startswith("My name is ") for r in child_views)
