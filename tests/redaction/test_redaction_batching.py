"""Batched context lookups and the cheaper context enhancer give the same redaction as
the one-record-at-a-time path (real Presidio, real SQLite store, real Splink linkage)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from redaction.detect import Detector
from redaction.pipeline import redact_all
from redaction.placeholders import PlaceholderKeyer
from redaction.pseudonymiser import Pseudonymiser
from redaction.vault import TokenVault, generate_vault_key
from retrieval.store import CaseStore


class CountingStore:
    """The real case store, counting the per-record lookups redaction makes."""

    def __init__(self, store: CaseStore) -> None:
        self._store = store
        self.linked_calls = 0
        self.family_calls = 0

    def linked_ids_of(self, source_system: str, person_ids: Iterable[str]) -> dict[str, str]:
        self.linked_calls += 1
        return self._store.linked_ids_of(source_system, person_ids)

    def family_ids_of(self, linked_ids: Iterable[str]) -> dict[str, str | None]:
        self.family_calls += 1
        return self._store.family_ids_of(linked_ids)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def _open_store(path: Path, estate: Path) -> CaseStore:
    """A case store at ``path`` holding the estate ingested and linked (``open_stack``);
    closing the store is the caller's."""
    from api import backends
    from api.settings import load_settings

    data = path.parent / f"data-{path.stem}"
    data.mkdir()
    settings = load_settings(data_dir=data, database_url=f"sqlite:///{path}", progress=False)
    stack = backends.open_stack(settings)
    stack.ingest(estate)
    stack.link()
    return stack.store


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from evals.estate import generate_estate

    root = tmp_path_factory.mktemp("batching") / "estate"
    generate_estate(root, families=3, seed=7)
    return root


def _pseudonymiser(detector: Detector, key: str, knowledge: Any) -> Pseudonymiser:
    return Pseudonymiser(detector, TokenVault(key), PlaceholderKeyer(key), knowledge)


def test_batched_contexts_match_one_by_one_with_few_lookups(
    estate: Path, tmp_path: Path, detector: Detector
) -> None:
    store = _open_store(tmp_path / "a.sqlite3", estate)
    key = generate_vault_key()
    records = list(store.iter_records())
    systems = {r.source_system for r in records}
    assert len(records) > 20 and len(systems) > 1

    one_by_one = _pseudonymiser(detector, key, store)
    singles = [one_by_one.context_for(r) for r in records]
    counting = CountingStore(store)
    batched = _pseudonymiser(detector, key, counting).contexts_for(records)

    assert [(c.linked_person_ids, c.family_ids, c.family.family_key) for c in batched] == [
        (c.linked_person_ids, c.family_ids, c.family.family_key) for c in singles
    ]
    assert [c.context_hash for c in batched] == [c.context_hash for c in singles]
    assert any(c.family_ids for c in batched)  # linkage found families, not only fallbacks
    assert counting.linked_calls == len(systems)
    assert counting.family_calls == 1
    store.close()


def test_redact_all_output_equals_record_by_record(
    estate: Path, tmp_path: Path, detector: Detector, default_policy
) -> None:
    key = generate_vault_key()
    batched_store = _open_store(tmp_path / "b.sqlite3", estate)
    single_store = _open_store(tmp_path / "c.sqlite3", estate)

    report = redact_all(
        batched_store, _pseudonymiser(detector, key, batched_store), default_policy, batch_size=7
    )
    assert report.redacted_new == len(list(batched_store.iter_records()))
    assert report.replacements > 0

    single = _pseudonymiser(detector, key, single_store)
    expected = {}
    for record in single_store.iter_records():
        row = single.pseudonymise(record).row
        expected[row.key] = (row.title, row.text, row.family_ids, row.context_hash)
    got = {
        r.key: (r.title, r.text, r.family_ids, state.context_hash)
        for r in batched_store.iter_pseudonymised()
        for state in [batched_store.redaction_states()[r.key]]
    }
    assert got == expected

    again = redact_all(
        batched_store, _pseudonymiser(detector, key, batched_store), default_policy, batch_size=7
    )
    assert again.unchanged == report.redacted_new and again.redacted_changed == 0
    batched_store.close()
    single_store.close()


def test_contexts_must_match_the_records(estate: Path, tmp_path: Path, detector: Detector) -> None:
    store = _open_store(tmp_path / "d.sqlite3", estate)
    key = generate_vault_key()
    pseudonymiser = _pseudonymiser(detector, key, store)
    records = list(store.iter_records())[:3]
    contexts = pseudonymiser.contexts_for(records)
    with pytest.raises(ValueError, match="2 contexts given for 3 records"):
        pseudonymiser.pseudonymise_many(records, contexts[:2])
    assert [r.row.text for r in pseudonymiser.pseudonymise_many(records, contexts)] == [
        r.row.text for r in pseudonymiser.pseudonymise_many(records)
    ]
    store.close()


def test_context_enhancer_scores_like_presidios(detector: Detector) -> None:
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer

    ours = detector._analyzer
    stock = AnalyzerEngine(
        registry=ours.registry,
        nlp_engine=ours.nlp_engine,
        supported_languages=["en"],
        context_aware_enhancer=LemmaContextAwareEnhancer(),
    )
    texts = [
        "Mum's mobile number is 07700 900 123 and her date of birth is 02/03/1990.",
        "Called the school office on 0161 496 0000; UPN H801200001001 confirmed.",
        "Phoned 07700 900 123 after the visit on 4 March.",
    ]
    boosted = 0
    for text in texts:
        mine = ours.analyze(text=text, language="en", return_decision_process=True)
        theirs = stock.analyze(text=text, language="en", return_decision_process=True)
        assert [(r.entity_type, r.start, r.end, r.score) for r in mine] == [
            (r.entity_type, r.start, r.end, r.score) for r in theirs
        ]
        boosted += sum(
            1
            for r in mine
            if r.analysis_explanation and r.analysis_explanation.supportive_context_word
        )
    assert boosted > 0  # the texts exercise context boosting


def test_repeated_texts_are_detected_once_with_the_same_spans(detector: Detector) -> None:
    title = "Home visit: seen mum Ayesha Khan and Callum"
    texts = [title, "Call from SW Tendai Oduya on 07700 900123.", title, title]
    many = detector.detect_many(texts)
    assert many == [detector.detect(t) for t in texts]
    assert any(s.entity_type == "PERSON" for s in many[0])
    many[0].clear()  # each text gets its own list
    assert many[2] == many[3] == detector.detect(title)
