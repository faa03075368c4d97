"""Decision requests are refused politely and still get the recorded facts."""

from __future__ import annotations

import pytest

from assistant.refusal import assess, load_phrasings


@pytest.mark.parametrize("question", load_phrasings("refusal_set"))
def test_every_refusal_phrasing_is_refused(question):
    decision = assess(question)
    assert decision.refused and decision.reason and "decide" in decision.reason


@pytest.mark.parametrize("question", load_phrasings("factual_set"))
def test_no_factual_question_is_refused(question):
    assert not assess(question).refused


def test_refused_answer_explains_and_offers_facts_with_strengths(real_stack):
    with real_stack.service() as service:
        answer = service.ask(
            real_stack.principal("demo-social-worker"),
            real_stack.family("FAM-00001"),
            "Should we remove the children given the cannabis use?",
        )
    assert answer.refused and answer.refusal_reason
    assert answer.sentences[0].kind == "refusal"
    facts = [s for s in answer.sentences if s.kind == "fact" and s.supported]
    assert any("cannabis" in s.text for s in facts)
    # Families asked for facts, not judgement: strengths and protective factors surface too.
    assert any(
        w in s.text.lower() for s in facts for w in ("strength", "engages well", "well cared")
    )
    assert all(s.citations for s in facts)


def test_empty_question_is_an_error():
    with pytest.raises(ValueError):
        assess("   ")
