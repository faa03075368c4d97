"""Relevance by meaning: which recorded sentences answer a question, honest absence, who
the question is about, practice language and typos. Real MiniLM, real glossary; the notes
and questions are written for these behaviours (synthetic, placeholders as indexed)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from assistant.contracts import NumberedSource, RetrievalResult, RetrievedChunk
from assistant.embedder import CachedEmbedder
from assistant.generators.extractive import ExtractiveGenerator
from assistant.relevance import Candidate, SignalRelevance, correct_typos, question_parts
from retrieval.glossary import default_glossary

pytestmark = pytest.mark.usefixtures("shared_embedder")

CHILD = "LP-child"
SISTER = "LP-sister"

NOTES: list[tuple[str, str, str, tuple[str, ...]]] = [
    # (system:record, occurred, text, linked people)
    (
        "SCHOOL:S1",
        "2024-01-10",
        "Op Encompass call from police: officers attended the home overnight after a DV "
        "incident between [Mother] and [Mother's partner]. [Child 1] was in bed. NFA by police.",
        (CHILD, SISTER),
    ),
    (
        "HEALTH:H1",
        "2024-02-02",
        "HV contact at home. [Child 1] weighed and measured, growth on the 50th centile. "
        "Dental check booked. Mum reports [Child 1] sleeps well.",
        (CHILD,),
    ),
    (
        "EHM:E1",
        "2024-03-15",
        "Home visit. Kitchen clean and stocked. [Child 2] showed me her new bike and said "
        "she goes to swimming club on Saturdays with nan.",
        (SISTER,),
    ),
    (
        "LCS:L1",
        "2024-04-20",
        "[Mother] told the SW she has started a tenancy at a new flat and has paid off her "
        "rent arrears. Next visit in four weeks.",
        (CHILD, SISTER),
    ),
]


def _sources() -> list[NumberedSource]:
    out = []
    for n, (key, when, text, people) in enumerate(NOTES, start=1):
        system, record = key.split(":")
        out.append(
            NumberedSource(
                n,
                RetrievedChunk(
                    chunk_id=f"{key}:0",
                    source_system=system,
                    record_id=record,
                    record_type="case_note",
                    occurred_at=date.fromisoformat(when),
                    title="Note",
                    text=text,
                    source_url=f"https://example.invalid/{record}",
                    person_ids=people,
                    family_ids=("FAM-1",),
                ),
            )
        )
    return out


@pytest.fixture(scope="module")
def generator(shared_embedder: Any) -> ExtractiveGenerator:
    words = CachedEmbedder(shared_embedder)
    return ExtractiveGenerator(words, relevance=SignalRelevance(words, default_glossary()))


def _answer(generator: ExtractiveGenerator, question: str, about: frozenset[str] = frozenset()):
    drafts = list(generator.generate(question, _sources(), about=about))
    kinds = {d.kind for d in drafts}
    # The records the answer cites as answering (related records are "closest").
    records = {NOTES[n - 1][0] for d in drafts if d.kind == "fact" for n in d.citations}
    return drafts, kinds, records


def test_a_question_in_other_words_than_the_note_is_answered(generator):
    # "domestic abuse" and "police" meet a note that says "DV incident" and "officers".
    _, kinds, records = _answer(
        generator, "Has anyone in the family been involved with the police?"
    )
    assert "fact" in kinds and "SCHOOL:S1" in records


def test_an_abbreviation_in_the_question_finds_the_long_form_and_back(generator):
    _, kinds, records = _answer(generator, "any domestic abuse at home?")
    assert "fact" in kinds and "SCHOOL:S1" in records
    _, kinds, records = _answer(generator, "What did the health visitor find?")
    assert "fact" in kinds and "HEALTH:H1" in records


def test_something_not_recorded_gets_the_closest_records_not_a_false_answer(generator):
    drafts, kinds, _ = _answer(generator, "Has the baby had her MMR jabs?")
    assert kinds == {"closest"}  # hedged: shown as the nearest, never as the answer
    assert 1 <= len(drafts) <= 4


def test_nothing_near_at_all_gives_no_sentence(generator):
    assert list(generator.generate("Any record of the dog?", [])) == []


def test_a_question_about_one_child_puts_her_records_first(generator):
    drafts, _, _ = _answer(
        generator, "What does [Child 2] enjoy doing at weekends?", frozenset({SISTER})
    )
    # Answered or offered as the closest record, her own note comes first.
    assert NOTES[drafts[0].citations[0] - 1][0] == "EHM:E1"


def test_a_typed_typo_still_meets_the_recorded_word(generator):
    assert correct_typos("has mum paid the arrers", {"arrears", "paid"}) == (
        "has mum paid the arrears"
    )
    assert correct_typos("is it recorded", {"reported"}) == "is it recorded"  # no stopwords
    _, kinds, records = _answer(generator, "has mum cleared her rent arrers")
    assert "fact" in kinds and "LCS:L1" in records


def test_chatty_questions_are_matched_by_their_parts():
    parts = question_parts("Seeing them tomorrow - have they got a bike? I'm nervous of bikes.")
    assert "have they got a bike" in parts and len(parts) == 4


def test_absence_answer_names_what_was_withheld_and_who_can_see_it():
    from assistant.conversation import ConversationState
    from assistant.service import _absence_text, _hedge_text

    result = RetrievalResult(
        [],
        ["EHM", "LCS", "SCHOOL"],
        3,
        {"POLICE": 2, "HEALTH": 1},
        {"POLICE": ["social_worker"], "HEALTH": ["camhs_practitioner", "social_worker"]},
    )
    resolved = ConversationState().resolve("Any jabs recorded?", "FAM-1")
    text = _absence_text(resolved, result)
    assert text.startswith("Nothing about")
    assert "EHM, LCS, SCHOOL" in text
    assert "2 POLICE records (a social worker can see them)" in text
    assert "1 HEALTH record (a camhs practitioner or social worker can see it)" in text
    hedge = _hedge_text(result)
    assert hedge.startswith("I could not find a direct answer") and "2 POLICE" in hedge


def test_a_family_workers_hedge_names_the_withheld_systems_and_who_can_see_them(real_stack):
    """Real stack: police records are withheld from a family worker; the answer says how
    many, from which system, and which role could see them, never what they say."""
    with real_stack.service() as service:
        answer = service.ask(
            real_stack.principal("fw-one"),
            sorted(set(real_stack.corpus.subject_of.values()))[0],  # fw-one's caseload
            "Has the family ever kept a pet snake?",
        )
    notes = [s.text for s in answer.sentences if s.kind == "absence"]
    assert notes and answer.withheld_count > 0
    assert "withheld from your role" in notes[0] and "POLICE record" in notes[0]
    assert "social worker" in notes[0]
    assert not any(c.source_system == "POLICE" for c in answer.citations)


def test_the_terminal_shows_related_records_apart_from_the_answer():
    from assistant.contracts import Answer, AnswerSentence
    from assistant.render import render_answer

    answer = Answer(
        answer_id="a",
        question="Any police involvement?",
        sentences=[
            AnswerSentence(text="Police attended the home.", citations=[1], kind="fact"),
            AnswerSentence(text="Home visit completed.", citations=[2], kind="closest"),
        ],
    )
    text = render_answer(answer)
    assert text.index("Police attended") < text.index("Related records (not a direct answer):")
    assert text.index("Related records") < text.index("Home visit completed. [2]")


def test_a_second_question_joined_by_and_is_read_as_its_own_part():
    parts = question_parts("What does he like doing and who does he look up to?", min_words=1)
    assert "who does he look up to" in parts
    # Without a question word after "and" the question stays whole.
    assert len(question_parts("Any drugs and alcohol at home?", min_words=1)) == 2


def test_a_one_word_clause_answers_through_a_rare_word_only(generator):
    # "swimming" is used by one note: the sister's note answers the second clause.
    _, kinds, records = _answer(
        generator, "What is [Child 2] like at school and who goes swimming with her?"
    )
    assert "fact" in kinds and "EHM:E1" in records


def test_one_shared_rare_word_is_not_an_answer(generator):
    # The tenancy note shares only "paid" with the question: related at most.
    _, _, records = _answer(generator, "Has dad ever paid child maintenance to the mother?")
    assert "LCS:L1" not in records


class _Notes:
    """A retriever over the notes above (every note visible, nothing withheld)."""

    def retrieve(self, principal: Any, subject: str, query: str, k: int) -> RetrievalResult:
        return RetrievalResult([s.chunk for s in _sources()], ["EHM", "HEALTH", "LCS", "SCHOOL"])

    def explain_withheld(self, principal: Any, subject: Any) -> tuple[dict, dict]:
        return {}, {}


def test_beside_a_direct_answer_only_the_chosen_persons_related_records_are_shown(
    shared_embedder,
):
    from assistant.service import AnswerService
    from assistant.verifier import CitationVerifier
    from retrieval.principal import Principal

    words = CachedEmbedder(shared_embedder)
    service = AnswerService(
        _Notes(),
        ExtractiveGenerator(words, relevance=SignalRelevance(words, default_glossary())),
        CitationVerifier(words),
    )
    principal = Principal(user="sw", role="social_worker")
    question = "Has the tenancy at the new flat started, and how is everyone's health?"
    answers = {s: service.ask(principal, s, question) for s in (SISTER, "FAM-1")}
    for subject, answer in answers.items():
        assert any(s.kind == "fact" for s in answer.sentences), subject
    # About the sister: the health visitor's note about [Child 1] alone is not shown
    # beside the answer; about the family, it is related.
    shown = {c.record_id for c in answers[SISTER].citations}
    assert "H1" not in shown and "L1" in shown
    assert "H1" in {c.record_id for c in answers["FAM-1"].citations}


def test_a_service_named_by_abbreviation_is_answered_by_its_own_records(generator):
    """The youth justice record never says "YOS"; its system does."""
    youth = NumberedSource(
        len(NOTES) + 1,
        RetrievedChunk(
            chunk_id="YOUTH_JUSTICE:Y1:0",
            source_system="YOUTH_JUSTICE",
            record_id="Y1",
            record_type="assessment",
            occurred_at=date(2024, 5, 2),
            title="Review",
            text="Referral order of nine months. Weekly sessions and reparation hours agreed.",
            source_url="https://example.invalid/Y1",
            person_ids=(CHILD,),
            family_ids=("FAM-1",),
        ),
    )
    drafts = list(generator.generate("YOS involvement?", [*_sources(), youth]))
    facts = {n for d in drafts if d.kind == "fact" for n in d.citations}
    assert youth.n in facts


def _one_note(n: int, text: str) -> NumberedSource:
    return NumberedSource(
        n,
        RetrievedChunk(
            chunk_id=f"SCHOOL:T{n}:0",
            source_system="SCHOOL",
            record_id=f"T{n}",
            record_type="dsl_note",
            occurred_at=date(2024, 6, n),
            title="Note",
            text=text,
            source_url=f"https://example.invalid/T{n}",
            person_ids=(CHILD,),
            family_ids=("FAM-1",),
        ),
    )


def test_a_topic_named_in_a_word_is_answered_by_how_notes_put_it(generator):
    sources = [
        *_sources(),
        _one_note(5, "Two older girls keep calling her names at break; DSL spoke to them."),
        _one_note(6, "Mum says [Child 1] wakes three times a night and is hard to settle."),
    ]
    drafts = list(generator.generate("bullying?", sources))
    facts = {n for d in drafts if d.kind == "fact" for n in d.citations}
    assert 5 in facts
    # A particular thing the notes never mention is not answered by its topic's sentences.
    drafts = list(generator.generate("nightmares?", sources))
    assert 6 not in {n for d in drafts if d.kind == "fact" for n in d.citations}


def test_what_is_recorded_about_a_person_is_answered_by_sentences_naming_them(generator):
    _, kinds, records = _answer(generator, "What is recorded about [Child 2]?")
    assert "fact" in kinds and "EHM:E1" in records


def test_a_person_named_by_a_role_word_is_answered_as_by_name(generator):
    """The question rewriter keeps the worker's word and adds the person it means ("tell
    me about his sister" -> "tell me about his sister [Child 2]"): the same answer as the
    name gives."""
    _, kinds, records = _answer(generator, "tell me about his sister [Child 2]")
    assert "fact" in kinds and "EHM:E1" in records
    _, kinds, records = _answer(generator, "how is his little sister [Child 2] doing")
    assert "fact" in kinds and "EHM:E1" in records


def test_a_practice_term_asked_about_a_person_needs_the_term_not_the_person(generator):
    """ "any DA for mum?": a line that merely mentions mum does not answer it."""
    sources = [
        _one_note(1, "[Mother] collected [Child 1] from school at 3pm and signed the book."),
        _one_note(2, "Police attended a DA incident at the home; [Mother] was the victim."),
    ]
    drafts = list(generator.generate("any DA for mum [Mother]", sources))
    facts = {n for d in drafts if d.kind == "fact" for n in d.citations}
    assert 1 not in facts


#: A parent's worry, a routine line that happens to say a check was "done", and the rest of
#: the family's notes.
_DONE_NOTES = [
    ("HEALTH:D1", "[Mother] told the GP she has had thoughts of hurting herself since the baby."),
    ("HEALTH:D2", "Baby weighed at clinic - hearing check done, growth on the 25th centile."),
    ("SCHOOL:D3", "[Child 1] is reading at the expected level and enjoys football club."),
    ("EHM:D4", "The flat is warm and tidy; the boiler was repaired last month."),
    ("LCS:D5", "[Child 1] sleeps in his own room and goes to bed at eight."),
    ("EHM:D6", "Nan helps with the school run twice a week."),
    ("LCS:D7", "[Mother] has started a college course in hairdressing."),
]


def test_a_clause_asking_only_what_came_of_it_is_no_answer_on_its_own(generator):
    sources = [
        NumberedSource(
            n,
            RetrievedChunk(
                chunk_id=f"{key}:0",
                source_system=key.split(":")[0],
                record_id=key.split(":")[1],
                record_type="case_note",
                occurred_at=date(2024, 6, n),
                title="Note",
                text=text,
                source_url=f"https://example.invalid/{n}",
                family_ids=("FAM-1",),
            ),
        )
        for n, (key, text) in enumerate(_DONE_NOTES, start=1)
    ]
    question = "any hx of mum wanting to harm herself - was anything done?"
    answering = {
        _DONE_NOTES[n - 1][0]
        for d in generator.generate(question, sources)
        if d.kind == "fact"
        for n in d.citations
    }
    # "done" in a line about something else does not answer "was anything done?".
    assert "HEALTH:D2" not in answering


def _notes(*texts: str) -> list[NumberedSource]:
    return [
        NumberedSource(
            n,
            RetrievedChunk(
                chunk_id=f"N{n}:0",
                source_system="SCHOOL",
                record_id=f"N{n}",
                record_type="case_note",
                occurred_at=date(2024, 5, n),
                title="Note",
                text=text,
                source_url=f"https://example.invalid/N{n}",
                person_ids=(CHILD,),
                family_ids=("FAM-1",),
            ),
        )
        for n, text in enumerate(texts, start=1)
    ]


def test_a_weapon_at_school_is_not_a_question_about_attendance(generator):
    sources = _notes(
        "Attendance this half term 81%, late five times.",
        "[Child 1] searched by the head of year with a colleague present - a kitchen knife "
        "found in his rucksack.",
        "Mum said she is struggling with money since the move.",
    )
    drafts = list(generator.generate("wot happened with the knife at school?", sources))
    facts = {n for d in drafts if d.kind == "fact" for n in d.citations}
    # The search that found it answers; a school's attendance figure does not.
    assert 2 in facts and 1 not in facts


def test_harming_herself_is_a_question_about_her_own_safety(generator):
    sources = _notes(
        "Mum was worried about the rent and the damp in the back bedroom.",
        "She told the GP she had suicidal thoughts and had been saving tablets for an overdose.",
        "Dad punched the kitchen door during an argument; no one was hurt.",
    )
    drafts = list(generator.generate("has mum ever said she'd harm herself?", sources))
    facts = {n for d in drafts if d.kind == "fact" for n in d.citations}
    # What she disclosed answers; a worry about the rent, or harm by someone else, does not.
    assert facts == {2}


def test_shorthand_that_names_no_topic_leaves_the_topic_its_say(shared_embedder):
    words = CachedEmbedder(shared_embedder)
    relevance = SignalRelevance(words, default_glossary())
    disclosed = Candidate(
        "She told the GP she had suicidal thoughts and had been saving tablets.",
        title="Note",
        topic_match=True,  # as the generator marks a line of the topic the question names
        record="A",
    )
    rent = Candidate("Mum was worried about the rent and the damp.", title="Note", record="B")
    # "hx" (history) names no topic: the self-harm the question asks about still decides.
    scored = relevance.score("any hx of mum saying she'd harm herself?", [disclosed, rent])
    assert scored[0].evidence and not scored[1].evidence


def test_the_word_outcome_asks_what_came_of_the_topic_and_names_none(generator):
    sources = _notes(
        "Body map done at nursery after a mark was seen on his arm - a small graze only.",
        "Outcome: his sister is eligible for the young carers group on Thursdays.",
        "Nursery say he was late again and hungry at snack time.",
        "Arrived at nursery in the same clothes as yesterday.",
        "Nursery keyworker says he is settling and plays well with others.",
        "Checked in with mum at nursery pick-up, she was tired but chatty.",
    )
    question = "did nursery check him for marks? body map - outcome?"
    answering = {d.citations[0] for d in generator.generate(question, sources) if d.kind == "fact"}
    # Another matter's "Outcome:" line is no answer because the question says "outcome".
    assert 2 not in answering
    assert 1 in answering


@pytest.mark.parametrize("question", ["what came of the october incident?", "the oct incident?"])
def test_a_month_in_words_meets_a_date_in_figures(shared_embedder, question):
    words = CachedEmbedder(shared_embedder)
    relevance = SignalRelevance(words, default_glossary())
    notes = [
        Candidate("Mum said her partner helps with the school run most days.", record="A"),
        Candidate(
            "School told of a domestic incident at home on 14/10 (mum and her partner).",
            record="B",
        ),
        Candidate("Incident in the playground 11/05: fell off the climbing frame.", record="C"),
    ]
    scored = relevance.score(question, notes)
    # October is the month of 14/10: that note answers; an incident dated in another month
    # does not.
    assert [s.evidence for s in scored] == [False, True, False]


def test_a_house_beside_another_topic_is_only_the_place(generator):
    sources = _notes(
        "New tenancy signed for a two-bedroom flat on the estate.",
        "Police called to the home at 2am after neighbours heard shouting; no arrests.",
        "Attendance this half term 96%.",
    )
    drafts = list(generator.generate("any police called to the house?", sources))
    facts = {n for d in drafts if d.kind == "fact" for n in d.citations}
    # The call-out answers; a new tenancy is no police call-out, however housing it is.
    assert 2 in facts and 1 not in facts


def test_a_practice_phrase_shared_with_a_note_answers_whatever_else_is_asked(generator):
    sources = _notes(
        # One record: a line that only resembles the question, then the one that answers.
        "At home the kids ran to mum when she got in and she was warm with them. "
        "Police notification received: the twins were found home alone at 9pm on 03/02.",
        "Dad took the twins to football on Saturday.",
    )
    question = "neighbour reckons mum was at the casino when the kids were home alone - true?"
    drafts = list(generator.generate(question, sources))
    facts = [d.text for d in drafts if d.kind == "fact"]
    # The police notification answers, though a line of its record resembles the question
    # more; that line is at most related, and the answer is no "no direct answer".
    assert any("home alone" in t for t in facts)
    assert not any("ran to mum" in t for t in facts)


@pytest.mark.parametrize(
    ("notes", "question"),
    [
        # "school" names who would have reported, not its attendance: the attendance
        # figure is no direct answer.
        (
            (
                "School review for [Child 1]: attendance 93.1% this year (absences for "
                "hospital appointments).",
                "Mum said he is sleeping better since the new bed arrived.",
                "Swimming lessons started on Tuesdays.",
            ),
            "has school ever reported bruises on [Child 1] or done a body map?",
        ),
        # "before my visit" is why the worker asks, not what: a note of a visit does not
        # answer a question about the dog.
        (
            (
                "Unannounced visit: mum and both children at home, house warm and tidy.",
                "Mum said she is managing the rent now.",
                "[Child 1] enjoys swimming on Saturdays.",
                "School say he is settled in class.",
                "Dad collects the children from school on Fridays.",
                "GP letter: asthma reviewed, inhaler changed.",
            ),
            "any incidents of the dog snapping at the children? need to know before my visit",
        ),
        # The clause asks about an IDVA: "offered" alone, in a line about a parenting
        # course, is no answer.
        (
            (
                "Mum was offered a parenting course and said she would think about it.",
                "Mum said she is managing the rent now.",
                "[Child 1] enjoys swimming on Saturdays.",
                "School say he is settled in class.",
                "GP letter: asthma reviewed, inhaler changed.",
                "Dad collects the children from school on Fridays.",
            ),
            "has mum ever said dad checks her phone? was she offered an IDVA?",
        ),
    ],
    ids=["school-as-reporter", "reason-for-asking", "another-offer"],
)
def test_nothing_recorded_gets_no_direct_answer_from_words_around_the_question(
    generator, notes, question
):
    drafts = list(generator.generate(question, _notes(*notes)))
    assert drafts and not [d for d in drafts if d.kind == "fact"]


def test_the_meeting_the_worker_asks_for_is_not_what_they_ask_about(generator):
    sources = _notes(
        "First TAF meeting held at school, actions agreed.",
        "Mum said she is managing the rent now.",
        "[Child 1] enjoys swimming on Saturdays.",
        "School say he is settled in class.",
        "GP letter: asthma reviewed, inhaler changed.",
        "Dad texted mum in June asking for the children to stay over; mum said days only.",
    )
    question = "has dad asked to have the kids again since? TAF next wk"
    drafts = list(generator.generate(question, sources))
    # "TAF next wk" says when the worker needs it: a note of a TAF meeting does not answer.
    assert not [d for d in drafts if d.kind == "fact" and "TAF" in d.text]
