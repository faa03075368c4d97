"""Follow-ups resolve against the previous turn's subject and topic."""

from __future__ import annotations

from assistant.conversation import ConversationState


def test_follow_up_keeps_subject_and_topic():
    state = ConversationState()
    first = state.resolve("What is recorded about drug and alcohol use?", "FAM-00003")
    state.record(first)
    follow = state.resolve("and since the move?")
    assert follow.follow_up and follow.since_move
    assert follow.subject == "FAM-00003"
    assert "substances" in follow.topics
    state.record(follow)
    school = state.resolve("what about exclusions?")
    assert school.subject == "FAM-00003" and school.topics == ("exclusion",)


def test_since_the_move_only_cites_records_after_the_latest_move(real_stack):
    principal = real_stack.principal("evaluator")
    # A family of the estate with a recorded move.
    import json

    facts = [
        json.loads(x)
        for x in (real_stack.estate_dir / "gold/facts.jsonl").read_text().split("\n")
        if x
    ]
    moves = [f for f in facts if f["kind"] == "house_move"]
    if not moves:
        import pytest

        pytest.skip("this estate seed has no house move")
    gold_family = moves[0]["family_id"]
    family = real_stack.family(gold_family)
    state = ConversationState()
    with real_stack.service() as service:
        before = service.ask(principal, family, "What is recorded about school attendance?", state)
        after = service.ask(principal, family, "and since the move?", state)
    moved_on = max(f["details"]["moved_on"] for f in moves if f["family_id"] == gold_family)
    assert after.subject == family
    dated = [s.occurred_at for s in after.sentences if s.kind == "fact" and s.supported]
    assert all(d.isoformat() >= moved_on[:10] for d in dated)
    assert before.sentences and after.sentences
    # The filter really removed something: the family has records from before the move.
    older = [
        r
        for r in real_stack.corpus.records_of(gold_family)
        if str(r.occurred_at)[:10] < moved_on[:10]
    ]
    assert older
