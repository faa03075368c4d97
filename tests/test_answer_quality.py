"""Answer quality over the estate's gold facts with the extractive generator (issue 5)."""

from __future__ import annotations

import time

import pytest

from assistant.measure import measure_quality
from assistant.service import AnswerService
from assistant.testing import estate_stack


@pytest.fixture(scope="module")
def report():
    stack = estate_stack()
    # Measure on pseudonymised answers (no re-identification), as the evals do.
    service = AnswerService(stack.retriever, stack.service._generator, stack.verifier)
    start = time.perf_counter()
    result = measure_quality(service, stack.retriever, stack.estate_dir, stack.principal())
    print(f"\nquality over {result.families} families in {time.perf_counter() - start:.1f}s:",
          result.as_dict())
    return result


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
