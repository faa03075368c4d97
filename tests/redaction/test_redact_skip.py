"""``redact all`` skips a record it cannot process, says which and why (never its text),
and finishes everything else (issue 15, F4 and F11): real Presidio and spaCy, real SQLite."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from redaction.detect import Detector
from redaction.pipeline import redact_all
from redaction.placeholders import PlaceholderKeyer
from redaction.pseudonymiser import Pseudonymiser
from redaction.vault import TokenVault, generate_vault_key
from retrieval.store import CaseStore

#: Longer than spaCy's default ``nlp.max_length`` (1,000,000): the model refuses it (E088).
HUGE = "Jane Doe visited the family home at 14 Mill Lane. " * 20_500


@pytest.fixture
def store(tmp_path: Path, make_record) -> CaseStore:
    opened = CaseStore.open(f"sqlite:///{tmp_path / 'cs.sqlite3'}")
    # Stored before ingest had a size limit (the upgrade case): 1 huge among 5 ordinary.
    records = [make_record(f"R{i}", text=f"Seen at home on visit {i}.") for i in range(5)]
    records.insert(2, make_record("BIG", text=HUGE))
    opened.upsert_records(records)
    return opened


def _pseudonymiser(detector: Detector, store: CaseStore) -> Pseudonymiser:
    key = generate_vault_key()
    return Pseudonymiser(detector, TokenVault(key), PlaceholderKeyer(key), store)


def test_a_record_the_model_refuses_is_skipped_and_the_rest_redacted(
    store: CaseStore, detector: Detector, default_policy, caplog
) -> None:
    with caplog.at_level(logging.WARNING):
        report = redact_all(store, _pseudonymiser(detector, store), default_policy, batch_size=4)
    assert report.skipped == {"LCS:BIG": "ValueError [E088]"}
    assert report.redacted_new == 5 and store.count_pseudonymised() == 5
    assert "redaction skipped record LCS:BIG: ValueError [E088]" in caplog.text
    assert "Jane" not in caplog.text and "Mill Lane" not in caplog.text


def test_a_record_over_the_size_limit_is_skipped_before_the_model(
    store: CaseStore, detector: Detector, default_policy
) -> None:
    pseudonymiser = _pseudonymiser(detector, store)
    report = redact_all(store, pseudonymiser, default_policy, batch_size=4, max_chars=200_000)
    assert report.skipped == {"LCS:BIG": "longer than 200000 characters"}
    assert report.redacted_new == 5 and store.count_pseudonymised() == 5
    # The next run reports it again (it is never silently dropped) and redoes nothing else.
    again = redact_all(store, pseudonymiser, default_policy, batch_size=4, max_chars=200_000)
    assert again.skipped == report.skipped and again.unchanged == 5
