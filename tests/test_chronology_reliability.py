"""Chronology answers: dated, ordered, each item saying how the record knows it."""

from __future__ import annotations

import pytest
from real_stack import DEMO_QUESTION

from assistant.reliability import classify, is_disputed


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Officers observed [Father] was unsteady on his feet.", "observed"),
        ("[Mother] smelt strongly of alcohol and was unsteady on her feet.", "observed"),
        ("[Mother] admitted taking ketamine with friends.", "self_reported"),
        ("[Father] said he smokes cannabis every evening. Self-reported.", "self_reported"),
        ("[Mother] told the worker she drinks most nights.", "self_reported"),
        (
            "An anonymous caller alleges [Mother] smokes cannabis in front of the children.",
            "third_party_allegation",
        ),
        ("A neighbour alleges [Father] is drunk most afternoons.", "third_party_allegation"),
        ("Home visit completed.", "unknown"),
    ],
)
def test_reliability_cues(sentence, expected):
    assert classify(sentence) == expected


def test_denial_is_marked_disputed():
    assert is_disputed(
        "An ex-partner alleges [Mother] is using heroin again - [Mother] denies this."
    )
    assert not is_disputed("[Mother] engages well with services.")


def test_history_answer_is_dated_and_chronological(real_stack):
    with real_stack.service() as service:
        answer = service.ask(
            real_stack.principal("demo-social-worker"),
            real_stack.family("FAM-00001"),
            DEMO_QUESTION,
        )
    facts = [s for s in answer.sentences if s.kind == "fact" and s.supported]
    assert len(facts) >= 2
    dates = [s.occurred_at for s in facts]
    assert None not in dates and dates == sorted(dates)
    assert all(
        s.reliability in {"observed", "self_reported", "third_party_allegation", "unknown"}
        for s in facts
    )
    assert len(facts) <= 12  # a short chronology, not a wall of text
    # The same event recorded by several systems is one sentence citing all of them.
    assert any(len(s.citations) > 1 for s in facts)
