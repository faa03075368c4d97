"""Ingest a small generated estate: counts match the files, policy matches gold, families form."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from evals.estate import generate_estate
from retrieval.ingest import Ingestor
from retrieval.ingest.reader import count_lines
from retrieval.jsonl import jsonl_rows
from retrieval.linkage.result import LinkageResult, PersonKey
from retrieval.store import CaseStore


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("estate")
    generate_estate(out, families=12, seed=11)
    return out


def test_generated_estate_ingests_and_matches_gold(estate: Path, tmp_path, default_policy):
    store = CaseStore.open(f"sqlite:///{tmp_path / 'cs.sqlite3'}")
    ingestor = Ingestor(store, default_policy, tmp_path / "q", batch_size=50)
    report = ingestor.ingest(estate)
    totals = report.totals()

    record_lines = sum(count_lines(p) for p in estate.glob("extracts/*/records.jsonl"))
    person_lines = sum(count_lines(p) for p in estate.glob("extracts/*/people.jsonl"))
    assert totals.records.read == record_lines and totals.people.read == person_lines
    assert totals.records.quarantined == totals.people.quarantined == 0
    assert totals.people.inserted == store.count_people() == person_lines

    gold = list(jsonl_rows(estate / "gold/policy.jsonl"))
    excluded = [(g["source_system"], g["record_id"]) for g in gold if g["expected"] == "exclude"]
    restricted = [(g["source_system"], g["record_id"]) for g in gold if g["expected"] != "exclude"]
    assert excluded and restricted
    assert all(store.get_record(*key) is None for key in excluded)
    assert all(store.get_record(*key).sensitivity == "restricted" for key in restricted)
    assert totals.records.skipped == len(excluded)
    assert totals.records.inserted == record_lines - len(excluded) == store.count_records()

    again = ingestor.ingest(estate).totals()
    assert again.records.unchanged == totals.records.inserted
    assert again.records.inserted == again.records.updated == again.records.deleted == 0
    assert again.people.unchanged == person_lines

    # With the true linkage, derived families never mix two real families...
    groups: dict[str, list[PersonKey]] = defaultdict(list)
    family_of_person: dict[str, str] = {}
    for link in jsonl_rows(estate / "gold/links.jsonl"):
        groups[link["true_person_id"]].append(PersonKey(link["source_system"], link["person_id"]))
    for fam in jsonl_rows(estate / "gold/families.jsonl"):
        for member in fam["members"]:
            family_of_person[member] = fam["family_id"]
    summary = store.replace_linkage(LinkageResult.from_groups(list(groups.values())))
    assert summary.linked_people == len(groups)
    gold_families_per_family: dict[str, set[str]] = defaultdict(set)
    derived_per_gold: dict[str, set[str]] = defaultdict(set)
    for true_id, members in groups.items():
        linked = store.linked_person_of(members[0].source_system, members[0].person_id)
        family = store.family_of(linked)
        gold_families_per_family[family.family_id].add(family_of_person[true_id])
        derived_per_gold[family_of_person[true_id]].add(family.family_id)
    assert all(len(g) == 1 for g in gold_families_per_family.values())
    # ...and, through the recorded relationships, each real family is one derived family.
    assert all(len(d) == 1 for d in derived_per_gold.values())
    assert summary.families == 12
    index_children = {
        f["family_id"]: f["index_child"] for f in jsonl_rows(estate / "gold/families.jsonl")
    }
    assert len(index_children) == 12
    # Every index child has at least one recorded family tie.
    for true_id in index_children.values():
        key = groups[true_id][0]
        family = store.family_of(store.linked_person_of(key.source_system, key.person_id))
        assert len(family.members) > 1
    store.close()
