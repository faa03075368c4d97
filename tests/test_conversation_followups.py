"""Follow-ups resolve against the previous turn's subject and topic, only when they depend
on it, and the Answer says what a follow-up was answered as."""

from __future__ import annotations

import pytest

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


# --- when a question is a follow-up, and what it is resolved to ------------------------


def _after(*turns: str, subject: str = "FAM-00007") -> tuple[ConversationState, object]:
    """The state after answering ``turns`` (each resolved and recorded in order)."""
    state = ConversationState()
    resolved = None
    for turn in turns:
        resolved = state.resolve(turn, subject)
        state.record(resolved)
    return state, resolved


@pytest.mark.parametrize(
    "question",
    [
        "Who lives in the household?",
        "Any police involvement?",
        "Is the baby registered with a GP?",
        "Exclusions?",
        "Has she been excluded from school?",
        "Does he live with his grandmother?",
    ],
)
def test_short_self_contained_questions_are_answered_as_typed(question):
    state, _ = _after("What is recorded about domestic abuse?")
    resolved = state.resolve(question)
    assert resolved.question == question
    assert "domestic_abuse" not in resolved.topics


def test_a_question_that_names_its_own_topic_does_not_inherit_the_previous_one():
    state, _ = _after("What is recorded about drug and alcohol use?")
    resolved = state.resolve("Who lives in the household?")
    assert not resolved.follow_up and resolved.question == "Who lives in the household?"
    assert "substances" not in resolved.topics


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # A pronoun standing for the previous topic is replaced by it.
        ("When did that happen?", "When did the domestic abuse happen?"),
        ("What did the school say about it?", "What did the school say about the domestic abuse?"),
        ("Was this reported to anyone?", "Was the domestic abuse reported to anyone?"),
        # A pronoun for a person: the previous topic is named in front.
        ("Was she there?", "Regarding domestic abuse: was she there?"),
        ("Who else knew?", "Regarding domestic abuse: who else knew?"),
        # Nothing of its own to ask about.
        ("Who was involved?", "Regarding domestic abuse: who was involved?"),
        (
            "What happened in the last year?",
            "Regarding domestic abuse: what happened in the last year?",
        ),
    ],
)
def test_questions_that_point_back_get_the_previous_topic(question, expected):
    state, _ = _after("What is recorded about domestic abuse?")
    resolved = state.resolve(question)
    assert resolved.follow_up and resolved.question == expected
    assert "domestic_abuse" in resolved.topics


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "and since the move?",
            "What is recorded about drug and alcohol use since the latest house move?",
        ),
        (
            "Since they moved?",
            "What is recorded about drug and alcohol use since the latest house move?",
        ),
        ("Also in 2023?", "What is recorded about drug and alcohol use in 2023?"),
        ("Anything recorded recently?", "What is recorded about drug and alcohol use recently?"),
        ("And at school?", "What is recorded about drug and alcohol use at school?"),
    ],
)
def test_elliptical_follow_ups_narrow_the_previous_question(question, expected):
    state, _ = _after("What is recorded about drug and alcohol use?")
    resolved = state.resolve(question)
    assert resolved.follow_up and resolved.question == expected
    assert "substances" in resolved.topics
    assert resolved.since_move == ("move" in expected)


@pytest.mark.parametrize(
    "question", ["And mum?", "what about her dad?", "Grandparents?", "How about Jordan?"]
)
def test_a_follow_up_naming_a_person_keeps_the_topic_and_changes_who(question):
    state, _ = _after("Has there been any domestic abuse?")
    resolved = state.resolve(question)
    who = question.rstrip("?").split(" ", 2)[-1] if " " in question else "grandparents"
    assert resolved.follow_up
    assert resolved.question == f"What is recorded about {who} regarding domestic abuse?"
    assert resolved.topics == ("domestic_abuse",)


def test_follow_ups_replace_one_part_and_keep_the_rest():
    state, _ = _after("What is recorded about missing episodes?")
    steps = [
        (
            "and since the move?",
            "What is recorded about missing episodes since the latest house move?",
        ),
        (
            "And her brother?",
            "What is recorded about her brother regarding missing episodes "
            "since the latest house move?",
        ),
        (
            "What about exclusions?",
            "What is recorded about her brother regarding exclusions since the latest house move?",
        ),
        (
            "Before that?",
            "What is recorded about her brother regarding exclusions before the latest house move?",
        ),
    ]
    for question, expected in steps:
        resolved = state.resolve(question)
        assert resolved.question == expected, question
        state.record(resolved)
    assert resolved.topics == ("exclusion",) and not resolved.since_move


def test_a_period_pointing_back_takes_the_previous_period():
    state, _ = _after("What happened before they moved?")
    resolved = state.resolve("And since then?")
    assert resolved.question == "What happened since they moved?"
    assert resolved.since_move


def test_pointing_back_at_a_question_without_a_known_topic_keeps_its_words():
    state, _ = _after("Who picks the children up from nursery?")
    resolved = state.resolve("How often does that happen?")
    assert (
        resolved.question == "Who picks the children up from nursery? How often does that happen?"
    )


def test_conjunction_and_relative_that_are_not_pointing_back():
    state, _ = _after("What is recorded about domestic abuse?")
    for question in (
        "Did the teacher report that she was hungry?",
        "Are there any injuries that were photographed?",
        "What has happened this year at school?",
        "Is it recorded whether the tenancy was ended?",
    ):
        resolved = state.resolve(question)
        assert resolved.question == question, question


def test_the_first_question_is_never_a_follow_up():
    state = ConversationState()
    for question in ("and since the move?", "When did that happen?", "Mum?"):
        resolved = state.resolve(question, "FAM-00007")
        assert not resolved.follow_up and resolved.question == question


def test_since_move_phrasings():
    for question in (
        "What is recorded since the move?",
        "Any concerns since they moved to the flat?",
        "What has happened since moving?",
        "Since the family last moved, has she been missing?",
    ):
        assert ConversationState().resolve(question, "FAM-1").since_move, question
    assert not ConversationState().resolve("Who removed the children?", "FAM-1").since_move


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
        pytest.skip("this estate seed has no house move")
    gold_family = moves[0]["family_id"]
    family = real_stack.family(gold_family)
    state = ConversationState()
    with real_stack.service() as service:
        before = service.ask(principal, family, "What is recorded about school attendance?", state)
        after = service.ask(principal, family, "and since the move?", state)
        own = service.ask(principal, family, "Who lives in the household?", state)
    # The follow-up says what it was answered as; questions answered as typed do not.
    assert before.resolved_question is None and own.resolved_question is None
    assert after.question == "and since the move?"
    assert after.resolved_question == (
        "What is recorded about school attendance since the latest house move?"
    )
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


# --- who a follow-up is about ------------------------------------------------------------


class _Names:
    """Given-name lists holding only ``words`` (the packaged lists stand in elsewhere)."""

    def __init__(self, *words: str) -> None:
        self.words = set(words)

    def is_clear_given(self, word: str) -> bool:
        return word.lower() in self.words


@pytest.mark.parametrize(
    ("question", "who"),
    [
        ("and tyler?", "tyler"),  # a given name typed in lower case
        ("what about Priya?", "Priya"),
        ("How about josh", "josh"),
        ("and nan?", "nan"),
        ("what about the step-dad?", "the step-dad"),
        ("and her partner?", "her partner"),
        ("what about his older sister?", "his older sister"),
        ("Mum and dad?", "mum and dad"),
    ],
)
def test_a_fragment_naming_someone_asks_the_same_about_them(question, who):
    state, _ = _after("Has anyone reported concerns about neglect?")
    resolved = state.resolve(question)
    assert resolved.follow_up
    assert resolved.question == f"What is recorded about {who} regarding neglect?"


def test_a_name_the_lists_know_is_a_person_and_the_lists_can_be_given():
    state = ConversationState(names=_Names("zorblat"))
    state.record(state.resolve("Any concerns about neglect?", "FAM-1"))
    assert state.resolve("and zorblat?").question == (
        "What is recorded about zorblat regarding neglect?"
    )
    # Without the name in the lists the same word is a new thing to ask about.
    other = ConversationState(names=_Names())
    other.record(other.resolve("Any concerns about neglect?", "FAM-1"))
    assert other.resolve("and zorblat?").question == "What is recorded about zorblat?"


@pytest.mark.parametrize(
    "question",
    ["tell me about mum", "Anything on tyler?", "what do we know about grandad", "How is nan?"],
)
def test_asking_about_a_person_is_a_question_of_its_own(question):
    state, _ = _after("What is recorded about domestic abuse?")
    resolved = state.resolve(question)
    assert not resolved.follow_up and resolved.question == question


def test_a_conversation_that_moves_from_person_to_person():
    state, _ = _after("What is recorded about domestic abuse?")
    steps = [
        ("tell me about mum", "tell me about mum"),
        ("and tyler?", "What is recorded about tyler?"),
        ("what about his sister?", "What is recorded about his sister?"),
        ("and nan?", "What is recorded about nan?"),
        ("and since then?", "What is recorded about nan since then?"),
        ("what has she said about it?", "What has nan said about it?"),
    ]
    for question, expected in steps:
        resolved = state.resolve(question)
        assert resolved.question == expected, question
        state.record(resolved)


@pytest.mark.parametrize(
    ("before", "question", "expected"),
    [
        ("and mum?", "what about her drinking?", "What is recorded about mum's drinking?"),
        (
            "tell me about Reuben",
            "how is he getting on at school",
            "How is Reuben getting on at school?",
        ),
        (
            "and grandad?",
            "Was he there?",
            "Regarding domestic abuse: was grandad there?",
        ),
        ("what about mum's partner?", "Has he got a job?", "Has mum's partner got a job?"),
    ],
)
def test_he_and_she_stand_for_the_person_named_just_before(before, question, expected):
    state, _ = _after("What is recorded about domestic abuse?", before)
    resolved = state.resolve(question)
    assert resolved.follow_up and resolved.question == expected


@pytest.mark.parametrize(
    ("before", "question"),
    [
        ("and mum?", "has he been excluded from school?"),  # mum is not "he"
        ("and dad?", "Did she tell him?"),  # two people: nothing to choose between
        ("Who lives in the household?", "Has she been excluded from school?"),  # nobody named
    ],
)
def test_a_pronoun_that_cannot_mean_that_person_is_left_alone(before, question):
    state, _ = _after("What is recorded about domestic abuse?", before)
    assert state.resolve(question).question.endswith(question[1:])


def test_what_about_a_place_keeps_the_topic():
    state, _ = _after("What is recorded about domestic abuse?")
    resolved = state.resolve("what about school?")
    assert resolved.question == "What is recorded about domestic abuse at school?"
    assert "domestic_abuse" in resolved.topics


@pytest.mark.parametrize("first", ["Has there been any DA?", "any DA in this family?"])
def test_an_abbreviated_topic_is_carried_as_typed(first):
    state, _ = _after(first)
    pointing = state.resolve("what did the police say about it?")
    assert pointing.question == "What did the police say about the DA?"
    state.record(pointing)
    assert state.resolve("and mum?").question == "What is recorded about mum regarding DA?"


def test_what_a_question_asks_about_stops_at_the_person_it_is_for():
    state, _ = _after("any attendence concerns for josh?")
    assert state.resolve("and grandad?").question == (
        "What is recorded about grandad regarding attendence concerns?"
    )


def test_look_after_is_not_a_period():
    state, _ = _after("Is dad able to look after the children?")
    resolved = state.resolve("what about exclusions?")
    assert resolved.question == "What is recorded about exclusions?"


def test_a_follow_up_that_names_its_own_person_does_not_keep_the_previous_one():
    state, _ = _after("Any concerns about neglect?", "and grandad?")
    resolved = state.resolve("what does nan say?")
    assert resolved.question == "Regarding neglect: what does nan say?"
    state.record(resolved)
    later = state.resolve("and since the move?")
    assert (
        later.question
        == "What is recorded about nan regarding neglect since the latest house move?"
    )


@pytest.mark.parametrize(
    "question",
    [
        "What did Kayden tell his teacher about the bruise?",
        "Who is the allocated social worker?",
        "Has the HV visited since the baby was born?",
    ],
)
def test_a_new_full_question_is_not_rewritten_after_a_person_follow_up(question):
    state, _ = _after("What is recorded about domestic abuse?", "and mum?")
    resolved = state.resolve(question)
    assert resolved.question == question


def test_the_workers_own_plans_are_not_a_period_and_the_person_carries_on():
    state, first = _after("Before we see Priya again what has school said about her attendance?")
    assert not first.since_move
    resolved = state.resolve("and has she been late?")
    assert resolved.question == "And has Priya been late?"


def test_she_never_stands_for_several_people():
    state, _ = _after("Has mum disclosed any DV?", "and the kids, were they present?")
    resolved = state.resolve("what about her new fella")
    assert resolved.question == "What is recorded about her new fella?"


def test_how_often_asks_about_the_question_before():
    state, _ = _after("tell me about grandad", "does he see the children")
    assert state.resolve("how often").question == ("Does grandad see the children? How often?")


def test_a_person_called_by_a_local_word_changes_who():
    state, _ = _after("Any convictions?")
    assert state.resolve("what about the older lad").question == (
        "What is recorded about the older lad regarding convictions?"
    )


@pytest.mark.parametrize(
    "question",
    [
        "Is there any cannabis use in the home and how often does it happen?",  # "it": its own
        "What support is there?",  # "is there": nothing pointed at
        "Has nan been to see her GP?",  # "her": nan, named in the question
    ],
)
def test_a_question_whose_pronouns_are_its_own_is_answered_as_typed(question):
    state, _ = _after("What is recorded about domestic abuse?", "and mum?")
    assert state.resolve(question).question == question


def test_there_after_a_person_still_points_back():
    state, _ = _after("What is recorded about domestic abuse?")
    assert state.resolve("Who was there?").question == "Regarding domestic abuse: who was there?"
