"""Record-aware pseudonymisation over a small ingested, linked estate (real Presidio,
real SQLite, real Splink). Presidio loads once; the estate is redacted once per module."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from redaction.detect import Detector
from redaction.evaluation import load_gold_spans, load_name_origins, score
from redaction.pipeline import redact_all
from redaction.placeholders import PlaceholderKeyer
from redaction.pseudonymiser import PseudonymisedResult, Pseudonymiser
from redaction.reidentify import reidentify, restore
from redaction.vault import TokenVault, VaultLockedError, generate_vault_key
from retrieval.pseudonymised import PseudonymisedSource
from retrieval.store import CaseStore


@pytest.fixture(scope="session")
def detector() -> Detector:
    from redaction.detect import build_detector

    return build_detector()


@dataclass
class Redacted:
    estate: Path
    store: CaseStore
    key: str
    pseudonymiser: Pseudonymiser
    results: dict[tuple[str, str], PseudonymisedResult]
    originals: dict[tuple[str, str], Any]


@pytest.fixture(scope="module")
def redacted(tmp_path_factory: pytest.TempPathFactory, detector: Detector) -> Any:
    from api import backends
    from api.settings import load_settings
    from evals.estate import generate_estate

    root = tmp_path_factory.mktemp("pseudo")
    estate = root / "estate"
    generate_estate(estate, families=8, seed=5)
    settings = load_settings(data_dir=root / "data", progress=False)
    settings.data_dir.mkdir()
    stack = backends.open_stack(settings)
    store = stack.store
    stack.ingest(estate)
    stack.link()
    key = generate_vault_key()
    pseudonymiser = Pseudonymiser(detector, TokenVault(key), PlaceholderKeyer(key), store)
    records = list(store.iter_records())
    results = pseudonymiser.pseudonymise_many(records)
    store.save_pseudonymised(
        [r.row for r in results], [p for r in results for p in r.new_placeholders]
    )
    yield Redacted(
        estate,
        store,
        key,
        pseudonymiser,
        {r.row.key: r for r in results},
        {r.key: r for r in records},
    )
    stack.close()


def _placeholder_at(result: PseudonymisedResult, field: str, start: int, end: int) -> str | None:
    for r in result.replacements:
        if r.field == field and r.start < end and start < r.end:
            return r.placeholder
    return None


def test_same_person_gets_one_pseudonym_across_records_and_systems(redacted: Redacted) -> None:
    seen: dict[str, set[str]] = defaultdict(set)
    systems: dict[str, set[str]] = defaultdict(set)
    nickname_mentions = 0
    persons = {
        line["true_person_id"]: line
        for line in map(
            __import__("json").loads,
            (redacted.estate / "gold" / "persons.jsonl").read_text().splitlines(),
        )
    }
    for gold in load_gold_spans(redacted.estate):
        if gold.type != "PERSON" or gold.true_person_id is None:
            continue
        result = redacted.results.get((gold.source_system, gold.record_id))
        if result is None:
            continue
        placeholder = _placeholder_at(result, gold.field, gold.start, gold.end)
        assert placeholder is not None
        seen[gold.true_person_id].add(placeholder)
        systems[gold.true_person_id].add(gold.source_system)
        text = getattr(redacted.originals[(gold.source_system, gold.record_id)], gold.field)
        if text[gold.start : gold.end] in persons[gold.true_person_id]["nicknames"]:
            nickname_mentions += 1
    inconsistent = {p: s for p, s in seen.items() if len(s) != 1}
    assert not inconsistent
    assert any(len(s) >= 3 for s in systems.values()), "expected people named in 3+ systems"
    assert nickname_mentions > 0, "the estate should exercise nicknames"
    # Different people of one family never share a pseudonym.
    by_family: dict[str, list[str]] = defaultdict(list)
    for person_id, placeholders in seen.items():
        by_family[persons[person_id]["family_id"]].append(next(iter(placeholders)))
    assert all(len(v) == len(set(v)) for v in by_family.values())


def test_role_labels_and_dob_age_bands(redacted: Redacted) -> None:
    texts = " ".join(r.row.text for r in redacted.results.values())
    assert "[Child 1]" in texts and "[Mother]" in texts
    bands = re.findall(r"\[DOB: (Child \d+|[A-Z][a-z' ]+), (aged [0-9+\-]+|aged under 1)\]", texts)
    assert bands, "dates of birth should become age bands"
    # Event dates are kept: most notes start with a visit date.
    assert re.search(r"\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2} [A-Z][a-z]{2}", texts)


def test_no_raw_family_identifiers_left(redacted: Redacted) -> None:
    """Every gold direct identifier of a family member is gone from the stored text."""
    leaks = []
    stored = {r.key: r for r in redacted.store.iter_pseudonymised()}
    for gold in load_gold_spans(redacted.estate):
        if gold.true_person_id is None or (gold.source_system, gold.record_id) not in stored:
            continue
        original = getattr(redacted.originals[(gold.source_system, gold.record_id)], gold.field)
        value = original[gold.start : gold.end]
        row = stored[(gold.source_system, gold.record_id)]
        if re.search(rf"(?<!\w){re.escape(value)}(?!\w)", getattr(row, gold.field)):
            leaks.append((gold.source_system, gold.record_id, gold.type))
    assert leaks == []


def test_unknown_people_get_typed_placeholders_consistent_per_family(redacted: Redacted) -> None:
    per_family: dict[tuple[str, str], set[str]] = defaultdict(set)
    for gold in load_gold_spans(redacted.estate):
        if gold.type != "PROFESSIONAL":
            continue
        key = (gold.source_system, gold.record_id)
        if key not in redacted.results:
            continue
        result = redacted.results[key]
        placeholder = _placeholder_at(result, gold.field, gold.start, gold.end)
        assert placeholder is not None and re.fullmatch(r"\[Person \d+\]", placeholder)
        name = getattr(redacted.originals[key], gold.field)[gold.start : gold.end]
        per_family[(result.family_key, name)].add(placeholder)
    assert per_family
    assert all(len(p) == 1 for p in per_family.values())


def test_vault_round_trip_and_refusal_without_the_key(redacted: Redacted) -> None:
    vault = TokenVault(redacted.key)
    for key, original in redacted.originals.items():
        found = redacted.store.get_pseudonymised(*key)
        assert found is not None
        record, sealed = found
        assert restore(record.text, sealed, vault, "text") == original.text
        assert restore(record.title, sealed, vault, "title") == original.title
    record, sealed = redacted.store.get_pseudonymised(*next(iter(redacted.originals)))  # type: ignore[misc]
    shown = reidentify(record.text, sealed, vault)
    assert "[" not in shown or shown.count("[") < record.text.count("[")
    with pytest.raises(VaultLockedError):
        reidentify(record.text, sealed, TokenVault(generate_vault_key()))


def test_store_implements_the_pseudonymised_source_contract(redacted: Redacted) -> None:
    source: PseudonymisedSource = redacted.store
    records = list(source.iter_pseudonymised())
    keys = source.pseudonymised_keys()
    assert len(records) == len(redacted.originals) == len(keys)
    assert all(keys[r.key] == r.source_hash and len(r.source_hash) == 64 for r in records)
    assert all(r.linked_person_ids and r.family_ids for r in records)
    assert all(r.author_role for r in records)


def test_evaluation_meets_targets_on_the_small_estate(redacted: Redacted) -> None:
    gold = load_gold_spans(redacted.estate)
    origins = load_name_origins(redacted.estate)
    triples = [
        (
            r,
            {"title": redacted.originals[k].title, "text": redacted.originals[k].text},
            list(redacted.originals[k].person_ids),
        )
        for k, r in redacted.results.items()
    ]
    report = score(triples, gold, *origins).to_dict()
    assert report["gold_spans"] > 500
    assert report["direct_identifier_recall"]["rate"] >= 0.995
    assert report["overall_precision"]["rate"] >= 0.90
    assert report["direct_recall_gap_points"] <= 1.0
    assert all(":" in k for k in report["misses_by_type"])  # types and counts only


def test_redact_all_is_incremental_and_removes_stale_rows(
    redacted: Redacted, detector: Detector, default_policy: Any
) -> None:
    store, pseudonymiser = redacted.store, redacted.pseudonymiser
    report = redact_all(store, pseudonymiser, default_policy)
    assert report.unchanged == len(redacted.originals) and report.redacted_new == 0

    first_key = sorted(redacted.originals)[0]
    changed = redacted.originals[first_key].model_copy(update={"text": "Updated note text."})
    store.upsert_records([changed])
    # A record sealed since: the policy no longer permits it, so its row goes.
    refused_key = sorted(redacted.originals)[1]
    sealed = redacted.originals[refused_key].model_copy(update={"sensitivity": "sealed"})
    store.upsert_records([sealed])
    report = redact_all(store, pseudonymiser, default_policy)
    assert report.redacted_changed == 1 and report.removed_stale == 1
    assert store.get_pseudonymised(*refused_key) is None
    assert store.get_pseudonymised(*first_key)[0].text == "Updated note text."  # type: ignore[index]

    deleted_key = sorted(redacted.originals)[2]
    store.delete_records([deleted_key])
    assert store.get_pseudonymised(*deleted_key) is None  # cascades with the record

    other_key = generate_vault_key()
    other = Pseudonymiser(detector, TokenVault(other_key), PlaceholderKeyer(other_key), store)
    report = redact_all(store, other, default_policy)
    assert report.redacted_changed == len(redacted.originals) - 2  # a new key redoes all
    assert report.redacted_new == 0
