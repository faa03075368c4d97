"""Answer quality over the estate's gold facts with the extractive generator (issue 5),
on the REAL stack: pseudonymised by Presidio, linked by Splink, retrieved from Qdrant Edge
through the scoped hybrid search."""

from __future__ import annotations

import time

import pytest

from evals.measure import measure_quality


@pytest.fixture(scope="module")
def report(real_stack):
    # Measured on pseudonymised answers (no re-identification), as the evals do.
    with real_stack.service(reidentify=False) as service:
        start = time.perf_counter()
        result = measure_quality(
            service, real_stack.corpus, real_stack.principal("evaluator"), real_stack.policy
        )
    print(
        f"\nquality over {result.families} families in {time.perf_counter() - start:.1f}s:",
        result.as_dict(),
    )
    return result


def test_every_gold_family_was_linked_to_one_store_family(real_stack):
    from real_stack import FAMILIES

    assert len(real_stack.corpus.family_ids()) == FAMILIES
    assert len(set(real_stack.corpus.subject_of.values())) == FAMILIES


def test_citation_precision(report):
    assert report.citations_checked > 30
    assert report.citation_precision >= 0.95


def test_fact_recall(report):
    assert report.facts_scored > 30
    assert report.fact_recall >= 0.85, report.missed_facts


def test_no_unsupported_sentence_is_shown_as_fact(report):
    assert report.supported_sentences > 0
    assert report.unsupported_shown_as_fact == 0


def test_refusal_and_factual_sets(report):
    assert report.refusal_set >= 40 and report.factual_set >= 40
    assert report.refusal_set_refused == 1.0
    assert report.factual_set_refused == 0.0


def test_absence_questions_answered_as_absence(report):
    assert report.absence_questions > 0
    assert report.absence_answered_as_absence == 1.0


def test_latency_is_measured(report):
    assert 0 < report.latency_p50_ms <= report.latency_p95_ms
