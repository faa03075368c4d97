"""Gold questions from planted facts: types, subjects, expected records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.estate import generate_estate
from evals.questions import (
    generate_questions,
    gold_family_resolver,
    gold_subject_resolver,
    recall_at_k,
)


def test_questions_follow_the_planted_facts(tmp_path: Path) -> None:
    generate_estate(tmp_path, 6, 11)
    questions = generate_questions(tmp_path, gold_subject_resolver, gold_family_resolver)
    facts = [json.loads(line) for line in (tmp_path / "gold/facts.jsonl").open()]
    kinds = {(f["family_id"], f["kind"]) for f in facts}
    assert questions
    for q in questions:
        if q.type == "absence":
            assert (q.family_id, q.fact_kind) not in kinds and not q.expected_record_keys
        else:
            assert (q.family_id, q.fact_kind) in kinds and q.expected_record_keys
        assert q.subject in (q.family_id, q.index_child)
        assert q.index_child.startswith("LP-" + q.family_id)
        assert "adoption" not in q.fact_kind
    cross = [q for q in questions if q.type == "cross_system"]
    assert all(len({k[0] for k in q.expected_record_keys}) >= 2 for q in cross)


def test_recall_at_k() -> None:
    assert recall_at_k([("A", "1"), ("B", "2")], [("B", "2"), ("C", "3")]) == 0.5
    assert recall_at_k([("A", str(i)) for i in range(10)], [("A", str(i)) for i in range(20)]) == 1
    with pytest.raises(ValueError):
        recall_at_k([], [])
