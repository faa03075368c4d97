"""Leak scanner on a generated, ingested estate: sees real identifiers, and only those.

The estate's gold PII spans say exactly where identifiers are in every raw record, so
the scanner's hits can be checked both ways: it must find the identifiers the case store
knows (recall), and every strong hit must be a real identifier (no false alarms).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.settings import default_policy_path
from evals.estate import generate_estate
from redaction.leaks import LeakScanner, PseudonymisedTarget, RawRecordTarget
from retrieval.ingest import Ingestor
from retrieval.policy import InformationSharingPolicy
from retrieval.store import CaseStore

#: Gold span types that belong to a person and that the scanner looks for.
PERSONAL_TYPES = (
    "PERSON",
    "DATE_OF_BIRTH",
    "NHS_NUMBER",
    "UPN",
    "NI_NUMBER",
    "PHONE",
    "EMAIL",
    "ADDRESS",
    "POSTCODE",
)


@pytest.fixture(scope="module")
def policy() -> InformationSharingPolicy:
    return InformationSharingPolicy.load(default_policy_path())


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("leak-estate")
    generate_estate(out, families=10, seed=23)
    return out


@pytest.fixture(scope="module")
def store(
    estate: Path, tmp_path_factory: pytest.TempPathFactory, policy: InformationSharingPolicy
) -> Iterator[CaseStore]:
    folder = tmp_path_factory.mktemp("leak-store")
    case_store = CaseStore.open(f"sqlite:///{folder / 'cs.sqlite3'}")
    Ingestor(case_store, policy, folder / "q", batch_size=200).ingest(estate)
    yield case_store
    case_store.close()


@pytest.fixture(scope="module")
def scanner(store: CaseStore) -> LeakScanner:
    return LeakScanner.from_people(store.iter_people())


def _gold_spans(estate: Path) -> dict[str, list[dict[str, Any]]]:
    """Gold spans keyed like the raw-record target's locations."""
    spans: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in (estate / "gold/pii_spans.jsonl").read_text().splitlines():
        span = json.loads(line)
        location = f"records:{span['source_system']}:{span['record_id']}:{span['field']}"
        spans[location].append(span)
    return spans


def test_raw_records_are_full_of_hits_and_strong_hits_are_real(
    scanner: LeakScanner, store: CaseStore, estate: Path
) -> None:
    report = scanner.scan([RawRecordTarget(store)])
    assert report.strong > 200 and not report.clean
    kinds = {kind for (kind, strength) in report.by_kind if strength == "strong"}
    assert {"full_name", "dob", "nhs_number", "upn", "phone", "address", "postcode"} <= kinds

    gold = _gold_spans(estate)
    column_hits: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for hit in report.hits:
        column_hits[hit.location].append((hit.column - 1, hit.strength == "strong"))
        if hit.strength == "strong":
            assert any(s["start"] <= hit.column - 1 < s["end"] for s in gold[hit.location]), (
                f"strong {hit.kind} hit outside any gold PII span at {hit.location}"
            )

    # Recall: gold identifiers of people the case store knows are found.
    total: Counter[str] = Counter()
    found: Counter[str] = Counter()
    for location, spans in gold.items():
        starts = [c for c, _ in column_hits.get(location, [])]
        for span in spans:
            if span["type"] in PERSONAL_TYPES and span["true_person_id"]:
                total[span["type"]] += 1
                # A hit that starts inside the span (a name may be cut by a title or role).
                if any(span["start"] <= c < span["end"] for c in starts):
                    found[span["type"]] += 1
    recall = {kind: found[kind] / n for kind, n in total.items()}
    assert total["PERSON"] > 100
    assert recall["PERSON"] >= 0.95, recall
    for kind in ("DATE_OF_BIRTH", "UPN", "PHONE", "ADDRESS", "POSTCODE"):
        assert recall.get(kind, 1.0) >= 0.95, (kind, recall)


def test_gold_pseudonymised_estate_has_no_strong_hits(
    scanner: LeakScanner, estate: Path, policy: InformationSharingPolicy
) -> None:
    from evals.gold_pseudonymised import load_gold_source

    source = load_gold_source(estate, policy)
    report = scanner.scan([PseudonymisedTarget(source)])
    assert report.texts > 100
    assert report.strong == 0, report.to_dict()["by_kind"]


def test_case_store_pseudonymised_records_have_no_strong_hits(tmp_path: Path) -> None:
    """Done-when of the redaction issue: redact a fully ingested estate, scan, find nothing.

    Runs the real pipeline: ingest, linkage (gold links, so the test is about redaction,
    not linkage), ``redact_all`` with Presidio + spaCy and the vault, then the scanner
    over the case store's pseudonymised table. Weak hits (a bare event date equal to
    someone's DOB) are allowed; strong hits mean an identifier survived redaction.
    """
    from api import backends
    from api.settings import load_settings
    from redaction.leaks.meaning import MeaningScanner, sealed_entries
    from redaction.vault import generate_vault_key
    from retrieval.linkage.evaluate import gold_linkage

    estate_dir = tmp_path / "estate"
    generate_estate(estate_dir, families=6, seed=31)
    settings = load_settings(
        data_dir=tmp_path / "data", vault_key=generate_vault_key(), progress=False
    )
    settings.data_dir.mkdir()
    stack = backends.open_stack(settings)
    try:
        case_store = stack.store
        stack.ingest(estate_dir)
        case_store.replace_linkage(gold_linkage(estate_dir))
        redacted = stack.redact()
        assert redacted.redacted_new == case_store.count_records() > 50

        scanner = LeakScanner.from_people(case_store.iter_people())
        raw = scanner.scan([RawRecordTarget(case_store)])
        report = scanner.scan([PseudonymisedTarget(case_store)])
        # Meaning lost (issue 24): no practice term, service or role word of the
        # allow-list stands behind a placeholder.
        meaning = MeaningScanner().scan(
            sealed_entries(case_store), backends.build_token_vault(settings)
        )
    finally:
        stack.close()
    assert meaning.records == redacted.redacted_new and meaning.placeholders > 100
    assert meaning.allow_listed == 0, meaning.to_dict()
    assert raw.strong > 100  # the same scanner sees the identifiers before redaction
    assert report.texts == 2 * redacted.redacted_new
    leaked = sorted({(h.kind, h.location) for h in report.hits if h.strength == "strong"})
    assert report.strong == 0, f"identifiers survived redaction: {leaked}"
