"""How records close a matter (``assistant.outcomes``) and which of a record's outcomes the
extractive generator puts under each claim.

Every sentence is synthetic, written for these tests in practitioners' ways of closing a
matter (decisions, findings, a party's answer); each rule sits beside rows that look alike
but are not of it: another matter's or another year's outcome, an instruction to the
reader, a feeling rather than a check."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pytest

from assistant.contracts import NumberedSource, RetrievedChunk
from assistant.embedder import CachedEmbedder
from assistant.generators.extractive import ExtractiveGenerator
from assistant.outcomes import (
    another_day,
    arrest,
    arrest_disposal,
    arrived_later,
    claim_cue,
    closes_quote,
    concern_log,
    concluded,
    continues_account,
    decided,
    decides_record,
    ends_matter,
    final_disposition,
    is_disputed,
    many_matters,
    matter_words,
    new_entry,
    one_matter,
    opens_quote,
    outcome_cue,
    police_encounter,
    reason_line,
    receipt,
    refers_back,
    risk_answer,
    seen_finding,
    unresolved,
)
from assistant.relevance import Candidate, Scored
from assistant.text import content_words

# --- the cue rules ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "outcome"),
    [
        # A service's decision: stepped down, closed to, the threshold either way.
        ("Case stepped down to Early Help with the family's agreement.", True),
        ("Step down to universal services.", True),
        ("Closed to children's social care on 12/05.", True),
        ("The contact does not meet the threshold for a statutory assessment.", True),
        ("Below threshold - advice and signposting only.", True),
        ("No further involvement from the youth offending team.", True),
        ("No further concerns raised by nursery since the review.", True),
        # What a check found.
        ("No signs of injury or distress when seen at school.", True),
        ("Both boys seen and confirmed safe by the duty officer.", True),
        ("Grandad rang back at teatime - tired but safe.", True),
        ("Bruising to the upper arm noted by the school nurse and photographed.", True),
        # The police called to it attended and arrested someone; a visit with no arrest is
        # no outcome of anything.
        ("Police rang - officers attended within the hour, stepdad arrested.", True),
        ("Officers attended the school to talk to Y9 about knife crime.", False),
        # A party's answer in other words than "denies".
        ("Dad says it is not true.", True),
        ("Mum said she never left them on their own.", True),
        ("The boy now says it never happened.", True),
        ("Stepdad admits smacking her with a slipper.", True),
        ("She no longer wishes to pursue the complaint.", True),
        # Found baseless, or taken to court; taken further.
        ("The LADO found the allegation malicious and there is no case to answer.", True),
        ("Stepfather was charged with common assault.", True),
        ("Agreed to proceed to a section 47 enquiry.", True),
        ("Escalated to a strategy discussion the same day.", True),
        # Seen and nothing of concern; a missing boy back of his own accord.
        ("Seen alone in his bedroom - no concerns.", True),
        ("Returned of his own accord at 3am.", True),
        # Looked for and not there; an injury that fits the explanation; the log closed.
        ("No disturbance found on arrival.", True),
        ("Body map completed - no marks or bruises seen.", True),
        ("Injury consistent with the explanation given by dad.", True),
        ("Incident log closed.", True),
        # Look alike, close nothing.
        ("No food was found in the cupboards.", False),
        ("No adult present when officers arrived.", False),
        ("Mum has concerns about his eating.", False),
        ("The school has no concerns about his reading, which is improving.", False),
        ("Dad returned home late from the pub.", False),
        ("His phone was charged overnight.", False),
        ("Mum says she feels safe at home now.", False),
        ("The plan is to keep her safe over the holidays.", False),
        ("A safe place to stay was discussed with the aunt.", False),
        ("Admitted to the children's ward overnight for observation.", False),
        ("Mum said she did not know where he had gone.", False),
        ("Mum said it was not a good time to visit.", False),
        ("Mum says she never has any money left by Friday.", False),
        ("Dad said he did not eat until the evening.", False),
        ("There were no signs of improvement in the home conditions.", False),
        ("The threshold document was shared with the family.", False),
        ("Bruising to the upper arm.", False),
    ],
)
def test_how_records_close_a_matter(sentence, outcome):
    assert outcome_cue(sentence) is outcome


@pytest.mark.parametrize(
    ("sentence", "disputed"),
    [
        ("Dad says it wasn't him.", True),
        ("[Mother] said she never hit him.", True),
        ("Nan insists he did not go out that night.", True),
        ("The allegation is refuted by both parents.", True),
        ("Mum said she did not want to talk about it.", False),
        ("Dad says he is not sure what time they got home.", False),
        # A refusal is no denial.
        ("The boy said he wouldn't speak in front of his uncle, so he went out.", False),
        ("He said he would not speak to the officer.", False),
        ("[Mother] engages well with services.", False),
    ],
)
def test_a_denial_in_other_words_is_a_dispute(sentence, disputed):
    assert is_disputed(sentence) is disputed


@pytest.mark.parametrize(
    ("sentence", "decision"),
    [
        ("Stepped down to Early Help.", True),
        ("Closed to CSC - no role for statutory services.", True),
        ("DECISION: strategy discussion to be convened.", True),
        ("Meets threshold for a child in need assessment.", True),
        ("Officers attended and found the flat clean and tidy.", False),
        ("Mum denies smacking him.", False),
    ],
)
def test_a_decision_about_the_whole_record(sentence, decision):
    assert decides_record(sentence) is decision


@pytest.mark.parametrize(
    ("sentence", "arrived"),
    [
        ("Referral received from the health visitor about weight loss.", True),
        ("Police notification rec'd by MASH at 09:10.", True),
        ("Concern raised by the class teacher at pick-up.", True),
        ("999 call from a neighbour - shouting and screaming.", True),
        ("Reason for the meeting: two missing episodes this month.", True),
        ("Reported missing by his foster carer at midnight.", True),
        ("Mum states dad pushed her against the door.", False),
        ("Smelt of alcohol at the school gate.", False),
    ],
)
def test_how_a_matter_reached_the_service(sentence, arrived):
    assert receipt(sentence) is arrived


def test_what_is_a_record_of_one_matter():
    assert concern_log("dsl_note") and one_matter("dsl_note")
    assert one_matter("incident") and not concern_log("incident")
    assert not one_matter("case_note") and not one_matter(None)


def test_a_denial_of_it_points_back():
    assert refers_back("Dad says it wasn't him.")
    assert not refers_back("Dad denies drinking at the weekend.")
    assert not refers_back("It was raining when they arrived.")


# --- which outcomes sit under which claim -------------------------------------------------------


class _Answers:
    """A RelevanceModel stand-in: the sentences containing ``phrase`` answer, no other
    sentence does, so the test is about what the generator puts under them."""

    def __init__(self, phrase: str) -> None:
        self._phrase = phrase.lower()

    def score(self, question: str, candidates: Sequence[Candidate]) -> list[Scored]:
        return [
            Scored(
                relevance=1.0 if self._phrase in c.text.lower() else 0.0,
                record_relevance=0.9,
                similarity=0.8 if self._phrase in c.text.lower() else 0.1,
                lexical=1.0 if self._phrase in c.text.lower() else 0.0,
                evidence=self._phrase in c.text.lower(),
            )
            for c in candidates
        ]


def _outcomes(embedder, text: str, phrase: str, *, kind: str, title: str = "Note") -> list[str]:
    source = NumberedSource(
        1,
        RetrievedChunk(
            chunk_id="R1:1",
            source_system="LCS",
            record_id="R1",
            record_type=kind,
            occurred_at=date(2024, 3, 4),
            title=title,
            text=text,
            source_url="https://example.invalid/R1",
            author_role="Social Worker",
        ),
    )
    generator = ExtractiveGenerator(CachedEmbedder(embedder), relevance=_Answers(phrase))
    drafts = list(generator.generate("What happened?", [source]))
    at = next(i for i, d in enumerate(drafts) if phrase.lower() in d.text.lower())
    shown = []
    for d in drafts[at + 1 :]:
        if not d.outcome:
            break
        shown.append(d.text)
    return shown


#: A notification of an incident: the incident's own outcomes, then the service's decision.
NOTIFICATION = (
    "Police notification of a domestic incident received by MASH on Monday morning. "
    "Mother states father threw a plate at her during an argument about rent. "
    "No visible injury. "
    "Father says he dropped the plate and denies throwing anything. "
    "Police result: no arrest as she would not give a statement; NFA. "
    "Checks completed with school and health. "
    "Outcome - no further action for children's social care. "
    "Family stepped down to the Early Help team."
)


def test_a_notification_takes_the_service_decision_and_the_account_the_incidents(
    shared_embedder,
):
    received = _outcomes(
        shared_embedder, NOTIFICATION, "notification of", kind="domestic_abuse_notification"
    )
    assert received == [
        "Outcome - no further action for children's social care.",
        "Family stepped down to the Early Help team.",
    ]
    account = _outcomes(
        shared_embedder, NOTIFICATION, "threw a plate", kind="domestic_abuse_notification"
    )
    assert "No visible injury." in account
    assert any(o.startswith("Police result") for o in account)
    assert any(o.startswith("Father says he dropped") for o in account)
    assert not any(o.startswith("Outcome - no further") for o in account)


#: A school's log of one concern: what staff saw, and the pupil's answer in other words.
CONCERN_LOG = (
    "Concerns logged by the head of year.\n"
    "- Slurred speech and unsteady on his feet in period 3\n"
    "- Arrived late four times this month\n"
    "Spoke to him at lunch with the form tutor.\n"
    "Denied drinking any alcohol - said he had a migraine and took some tablets.\n"
    "Parent to be phoned after school."
)


def test_a_concern_the_school_saw_is_shown_with_the_pupils_denial(shared_embedder):
    assert _outcomes(shared_embedder, CONCERN_LOG, "slurred speech", kind="dsl_note") == [
        "Denied drinking any alcohol - said he had a migraine and took some tablets."
    ]
    # The denial is of the alcohol, not of being late: another matter of the same log.
    assert _outcomes(shared_embedder, CONCERN_LOG, "arrived late", kind="dsl_note") == []


#: A log of one concern whose check and decision come long after it.
WELFARE_LOG = (
    "The class teacher raised a concern at 08:45 about what the pupil said at registration. "
    "She said her dad had been shouting all night. "
    "She ate breakfast club toast. She was quiet in maths. She likes the new reading book. "
    "Her friend sat with her at break. She went to choir at lunch. "
    "The PE kit was missing again. Her shoes were too small. "
    "At 10:30 rang home twice - no answer. "
    "At 12:15 the aunt rang back - dad asleep, mum upset but safe. "
    "Logged as a consultation only; no referral made."
)


def test_a_welfare_check_and_decision_far_on_close_the_concern_of_their_log(shared_embedder):
    shown = _outcomes(shared_embedder, WELFARE_LOG, "raised a concern", kind="dsl_note")
    assert shown == [
        "At 12:15 the aunt rang back - dad asleep, mum upset but safe.",
        "Logged as a consultation only; no referral made.",
    ]
    # In a long case note the same check may be about anything else (outcome window).
    assert _outcomes(shared_embedder, WELFARE_LOG, "raised a concern", kind="case_note") == [
        "Logged as a consultation only; no referral made."
    ]


#: "It" in a denial is what the line before says; a few lines on it is something else.
LETTER_NOTE = (
    "The school is worried the unsigned letter came from a relative. "
    "Dad says it wasn't him. "
    "The children were seen at home. The house was warm. Tea was cooking. "
    "Mum says that is not hers either."
)


def test_a_denial_of_it_answers_the_line_before(shared_embedder):
    assert _outcomes(shared_embedder, LETTER_NOTE, "unsigned letter", kind="case_note") == [
        "Dad says it wasn't him."
    ]


@pytest.mark.parametrize(
    "closing",
    [
        # Another year's matter, with its own decision.
        "In 2021 a referral about bruising was closed to CSC.",
        # An instruction to the reader, not a decision taken.
        "If you find the threshold is met you must step the case down to Early Help.",
    ],
)
def test_another_years_or_a_readers_decision_is_not_the_outcome(shared_embedder, closing):
    note = f"Referral received from nursery about a bruise to the cheek. {closing}"
    assert _outcomes(shared_embedder, note, "referral received", kind="case_note") == []


@pytest.mark.parametrize(
    ("kind", "phrase", "note", "expected"),
    [
        # A police log: what officers found, the parties' denial, how the log closed.
        (
            "incident",
            "caller reports",
            "CALLER REPORTS A MAN SHOUTING AND BANGING AT NO 4. OFFICERS ON SCENE 0130. "
            "NO DISTURBANCE FOUND. BOTH PARTIES DENY ANY ARGUMENT. LOG CLOSED.",
            # The parties' denial after what settled it: their account, not the outcome.
            ["NO DISTURBANCE FOUND.", "LOG CLOSED.", "BOTH PARTIES DENY ANY ARGUMENT."],
        ),
        # A referral: the medical finding and the service's decision.
        (
            "case_note",
            "referral received",
            "Referral received from the GP about a bruise on the baby's upper arm. "
            "Duty SW visited the same afternoon. "
            "Paediatric assessment: injury consistent with the explanation given. "
            "Outcome: NFA, closed to CSC.",
            [
                "Paediatric assessment: injury consistent with the explanation given.",
                "Outcome: NFA, closed to CSC.",
            ],
        ),
        # A disclosure: taken to s47, what the examination found, the child retracting.
        (
            "case_note",
            "disclosed",
            "At school the boy disclosed that his stepdad hit him with a belt. "
            "Agreed to proceed to a section 47 enquiry. "
            "Medically examined - no marks found. "
            "He later retracted, saying he made it up because he was angry.",
            [
                "Agreed to proceed to a section 47 enquiry.",
                "Medically examined - no marks found.",
                "He later retracted, saying he made it up because he was angry.",
            ],
        ),
        # A note that records no outcome of its allegation: a denial of another matter
        # far on is not one.
        (
            "case_note",
            "alleges",
            "A neighbour alleges the children are hit. Swimming lessons started in May. "
            "The new job begins next week. The flat has been redecorated. "
            "Next visit booked. Mum denies drinking.",
            [],
        ),
    ],
)
def test_how_a_note_closes_its_matter(shared_embedder, kind, phrase, note, expected):
    assert _outcomes(shared_embedder, note, phrase, kind=kind) == expected


@pytest.mark.parametrize(
    ("line", "starts"),
    [
        ("03/02/24 - mum rang the office, upset.", True),
        ("14.3 - seen at the gate with an older boy.", True),
        ("10:15 spoke with her in the pastoral room.", False),
        ("12.5% attendance this half term.", False),
        ("Seen on 14/03 at the gate.", False),
    ],
)
def test_a_dated_line_starts_a_new_entry_of_a_log(line, starts):
    assert new_entry(line) is starts


#: A school's log kept over weeks: each dated entry is its own matter.
LOG_OF_WEEKS = (
    "03/02/24 - bruise to the left forearm seen by the class teacher at registration.\n"
    "Said he fell off the climbing frame at the weekend.\n"
    "DSL spoke to mum at pick-up.\n"
    "17/02/24 - attendance meeting held with mum about lateness.\n"
    "Agreed a morning routine; no further concerns about lateness.\n"
    "Stepped down to the attendance officer's monitoring."
)


def test_a_later_entry_of_a_log_is_not_the_outcome_of_an_earlier_one(shared_embedder):
    assert _outcomes(shared_embedder, LOG_OF_WEEKS, "bruise to the left", kind="dsl_note") == []
    assert _outcomes(shared_embedder, LOG_OF_WEEKS, "attendance meeting", kind="dsl_note") == [
        "Agreed a morning routine; no further concerns about lateness.",
        "Stepped down to the attendance officer's monitoring.",
    ]


# --- a summary of many matters, a log of one event, a party's answer ------------------------------


@pytest.mark.parametrize(
    ("kind", "sentences", "many"),
    [
        ("review", 6, True),
        ("closure_summary", 3, True),
        ("young_carer_assessment", 8, True),
        ("case_note", 20, True),
        # A short note, a police log or a school's log of one concern: one matter.
        ("case_note", 5, False),
        ("incident", 40, False),
        ("dsl_note", 30, False),
    ],
)
def test_which_records_cover_many_matters(kind, sentences, many):
    assert many_matters(kind, sentences, 15) is many


@pytest.mark.parametrize(
    ("claim", "other", "another"),
    [
        ("Youth panel imposed an order on 03/05/24.", "Went missing 11/06/24, located.", True),
        ("Seen at the clinic 4.9.23 with a burn.", "Burn healed by 12.10.23.", True),
        # The same day, or no day on one side: not told apart by the day.
        ("Row with dad on 03/05.", "On 03/05 police attended and found no one hurt.", False),
        ("Row with dad at the weekend.", "Police attended 03/05.", False),
        # "10/23" is a month and a year; "2.5 hours" is no day.
        ("Checks done 09/22 on the lodger.", "Visit on 14/02/24 - nothing found.", False),
        ("Out for 2.5 hours on 14/02.", "Seen 16/02 - safe.", True),
    ],
)
def test_an_outcome_of_another_day(claim, other, another):
    assert another_day(claim, other) is another


@pytest.mark.parametrize(
    ("sentence", "court"),
    [
        # A court's verdict or sentence, an order made, a caution given: a decision.
        ("Found not guilty by the magistrates.", True),
        ("Convicted of handling stolen goods.", True),
        ("Occupation order made, he must not return to the flat.", True),
        ("Youth conditional caution issued at the station.", True),
        # A plea is a party's answer, an order applied for is still to come.
        ("Pleaded not guilty at the first hearing.", False),
        ("Application for a child arrangements order to be heard in May.", False),
    ],
)
def test_what_a_court_or_the_police_decided(sentence, court):
    assert decided(sentence) is court


@pytest.mark.parametrize(
    ("sentence", "matter"),
    [
        # Who a log or a form names a party by is nobody's matter: two lines naming the
        # neighbour, the teacher or the victim are not about one thing for that.
        ("Neighbour rang about shouting from the flat.", "rang shouting flat"),
        ("Teacher saw a bruise on the wrist of the victim.", "saw bruise wrist"),
        ("FEMALES AT THE ADDRESS UPSET, OFFICER SPOKE TO UNCLE.", "address upset spoke"),
    ],
)
def test_the_parties_a_line_names_are_not_its_matter(sentence, matter):
    assert matter_words(content_words(sentence)) == content_words(matter)


@pytest.mark.parametrize(
    ("sentence", "final"),
    [
        ("NO FURTHER ACTION - MOTHER WILL NOT GIVE A STATEMENT.", True),
        ("Suspect not arrested; words of advice given.", True),
        ("OUTCOME: released on bail pending enquiries.", True),
        ("Found by the patrol at the bus station and located safe.", True),
        # Steps on the way, or an earlier matter's ending.
        ("CRIME RECORDED: ASSAULT ON A CHILD.", False),
        ("Referred to the youth diversion scheme.", False),
        ("Known to police - NFA at that time.", False),
    ],
)
def test_how_a_log_of_one_event_ends(sentence, final):
    assert final_disposition(sentence) is final


#: A review listing many matters over months, closed at the end.
REVIEW_OF_MANY = (
    "Review of the child in need plan held at the family centre. "
    "Referral received from the school in March about poor attendance. "
    "Attendance has risen from 71% to 93% this term. "
    "The health visitor raised a concern about the baby's weight gain in April. "
    "Weight gain now steady on the centile chart. "
    "A neighbour complained to the housing officer about loud music from the flat on 02/05/24. "
    "Housing visited on 20/05/24 and no noise nuisance was found. "
    "Mum has started a parenting course on Tuesdays. "
    "Dad attends his alcohol support group every week. "
    "The older boy joined a football club and enjoys it. "
    "The younger girl has settled well at nursery. "
    "Grandma helps with the school run twice a week. "
    "The family moved bedrooms around so the boys share. "
    "Youth panel imposed an order on 03/06/24 for criminal damage. "
    "Went missing overnight on 14/07/24 and was located by a patrol at the station. "
    "The baby's weight concern is resolved and stepped down to universal health visiting. "
    "All agencies agreed the plan's aims are met. "
    "Case closed to children's social care on 30/08/24."
)


def test_a_summary_records_decision_is_the_outcome_of_its_own_matter_only(shared_embedder):
    # The record's reason, at its head, takes the record's decision.
    reason = _outcomes(shared_embedder, REVIEW_OF_MANY, "referral received", kind="review")
    assert "Case closed to children's social care on 30/08/24." in reason
    # A matter the decision names takes it.
    weight = _outcomes(shared_embedder, REVIEW_OF_MANY, "weight gain in april", kind="review")
    assert (
        "The baby's weight concern is resolved and stepped down to universal health visiting."
        in weight
    )
    # An item the decision is not about does not: the neighbour's complaint is never
    # shown as closed by the closure or the weight decision.
    noise = _outcomes(shared_embedder, REVIEW_OF_MANY, "complained to the housing", kind="review")
    assert not any("closed" in o or "stepped down" in o for o in noise)
    # An episode of another day is not the outcome of the order made earlier.
    order = _outcomes(shared_embedder, REVIEW_OF_MANY, "imposed an order", kind="review")
    assert not any("missing" in o or "closed" in o for o in order)


def test_the_reason_for_a_summary_keeps_what_was_found_days_later(shared_embedder):
    found = "Seen at home on 06/02/24 - healing well, consistent with the explanation given."
    review = (
        "Reason for assessment: referral from the GP on 03/02/24 about a burn to the hand. "
        f"{found} "
        "Dad has started a new job in the warehouse. The older girl is in the school choir. "
        "Grandma visits on Sundays. Case closed to children's social care."
    )
    shown = _outcomes(shared_embedder, review, "reason for assessment", kind="assessment")
    assert shown == [found, "Case closed to children's social care."]


#: A police log of one incident: a step on the way recorded after the ending line.
ONE_INCIDENT = (
    "CALLER STATES HER BROTHER HIT HER NEPHEW WITH A BELT IN THE KITCHEN. "
    "OFFICERS ATTENDED 2140. "
    "NEPHEW SEEN ALONE, SMALL RED MARK TO BACK OF LEG NOTED. "
    "NO FURTHER ACTION - NEPHEW'S MOTHER WILL NOT SUPPORT A PROSECUTION. "
    "CRIME RECORDED: ASSAULT ON A CHILD, SUSPECT THE UNCLE. "
    "REFERRAL TO CHILDREN'S SERVICES SUBMITTED BY PPN."
)


@pytest.mark.parametrize("claim", ["caller states", "referral to children's services"])
def test_a_log_of_one_event_shows_how_it_ended(shared_embedder, claim):
    shown = _outcomes(shared_embedder, ONE_INCIDENT, claim, kind="incident")
    assert "NO FURTHER ACTION - NEPHEW'S MOTHER WILL NOT SUPPORT A PROSECUTION." in shown


def test_an_earlier_matter_in_a_log_keeps_its_own_ending(shared_embedder):
    log = (
        "CALLER STATES SHOUTING NEXT DOOR AND A CHILD CRYING. OFFICERS ATTENDED. "
        "BOTH ADULTS SPOKEN TO. NO FURTHER ACTION, WORDS OF ADVICE. "
        "CHECKS: ASSAULT ON PARTNER 2018 AT A PREVIOUS ADDRESS. CAUTIONED AT THAT TIME."
    )
    assert _outcomes(shared_embedder, log, "checks: assault", kind="incident") == [
        "CAUTIONED AT THAT TIME."
    ]


def test_a_partys_denial_is_shown_as_their_dispute_not_the_outcome():
    from assistant.contracts import Answer, AnswerSentence
    from assistant.render import render_answer

    answer = Answer(
        answer_id="a1",
        question="q",
        sentences=[
            AnswerSentence(
                text="A neighbour alleged the boy was hit.",
                citations=[1],
                occurred_at=date(2024, 2, 3),
                provenance="neighbour's allegation",
            ),
            AnswerSentence(
                text="Police result: no further action.",
                citations=[1],
                outcome=True,
                provenance="police observed",
            ),
            AnswerSentence(
                text="Stepdad denies hitting him.",
                citations=[1],
                outcome=True,
                disputed=True,
                provenance="stepdad's account",
            ),
        ],
    )
    lines = render_answer(answer).splitlines()
    assert lines[2].startswith("    outcome recorded: Police result")
    assert (
        lines[3] == "    disputed by a party: Stepdad denies hitting him. [1]  (stepdad's account)"
    )
    assert not any("outcome recorded: Stepdad" in line for line in lines)


# --- risk assessments, the police finding someone, a caller's account over several lines ---


#: A log of one incident in which a risk assessment was done with the victim.
RISK_LOG = (
    "999 CALL FROM FEMALE - PARTNER SHOVED HER INTO THE DOOR FRAME. "
    "OFFICERS ATTENDED 2310. "
    "FEMALE STATES PARTNER SHOVED HER AFTER AN ARGUMENT ABOUT MONEY. "
    "RISK ASSESSMENT COMPLETED WITH FEMALE - 11 YES - HIGH. "
    "FEMALE DISCLOSED HE KEEPS HER BANK CARD AND TRACKS WHERE SHE GOES. "
    "NO FURTHER ACTION - FEMALE WOULD NOT PROVIDE A STATEMENT."
)


def test_a_risk_assessments_answers_do_not_take_the_incidents_ending(shared_embedder):
    # The incident's ending is the outcome of the accounts of the incident ...
    assert "NO FURTHER ACTION - FEMALE WOULD NOT PROVIDE A STATEMENT." in _outcomes(
        shared_embedder, RISK_LOG, "after an argument", kind="incident"
    )
    # ... not of what the victim disclosed in answer to the risk assessment.
    assert _outcomes(shared_embedder, RISK_LOG, "keeps her bank card", kind="incident") == []


@pytest.mark.parametrize(
    ("previous", "answer"),
    [
        (("DASH done with victim - 14 yes - high.",), True),
        (("Exploitation screening tool completed with him today.",), True),
        (("We completed a risk assessment with mum.",), True),
        (("Officers attended and spoke to both adults.",), False),
        (("Risk assessment to be completed at the next visit?",), False),
        ((), False),
    ],
)
def test_a_line_after_a_risk_assessment_answers_it(previous, answer):
    assert risk_answer(previous) is answer


@pytest.mark.parametrize(
    ("sentence", "encounter"),
    [
        ("Girl found by transport police on a train with £150.", True),
        ("Officers stopped the car and searched both passengers.", True),
        ("He was located by a police patrol at a friend's flat.", True),
        ("Mum found the money under his bed.", False),
        ("The police were informed by the school.", False),
    ],
)
def test_the_police_finding_someone(sentence, encounter):
    assert police_encounter(sentence) is encounter


def _chunks(texts: Sequence[str], kind: str) -> list[NumberedSource]:
    return [
        NumberedSource(
            n,
            RetrievedChunk(
                chunk_id=f"R2:{n}",
                source_system="LCS",
                record_id="R2",
                record_type=kind,
                occurred_at=date(2024, 5, 6),
                title="Meeting",
                text=text,
                source_url="https://example.invalid/R2",
                author_role="Team Manager",
            ),
        )
        for n, text in enumerate(texts, start=1)
    ]


def _shown_under(embedder, sources, phrase: str) -> list[str]:
    generator = ExtractiveGenerator(CachedEmbedder(embedder), relevance=_Answers(phrase))
    drafts = list(generator.generate("What happened?", sources))
    at = next(i for i, d in enumerate(drafts) if phrase.lower() in d.text.lower())
    shown = []
    for d in drafts[at + 1 :]:
        if not d.outcome:
            break
        shown.append(d.text)
    return shown


#: A meeting's record in two chunks: the find at the end of one, what the police did with
#: the girl in the next, and another person's encounter with its own ending.
MEETING = [
    "Strategy meeting held by video. Reason: second missing episode this month. "
    "Girl found by transport police on a train to the coast with a new phone and £150.",
    "Information shared. Police - found 22:40 at the station with an older male not known "
    "to the family. Not arrested - dealt with as a child at risk of exploitation. "
    "Separately her brother was stopped by police in the town centre carrying a knife. "
    "Charged with possession.",
]


def test_what_the_police_did_with_the_person_they_found_ends_the_find(shared_embedder):
    shown = _shown_under(
        shared_embedder, _chunks(MEETING, "strategy_discussion"), "train to the coast"
    )
    assert shown == ["Not arrested - dealt with as a child at risk of exploitation."]


#: A log of one call: the caller's line, then what they said with the subject dropped.
CALLER_LOG = (
    "CALLER: MEMBER OF PUBLIC (WOULD NOT GIVE NAME). "
    "REPORTS A TODDLER CRYING ALONE ON A BALCONY FOR AN HOUR. "
    "STATES THE MOTHER GOES OUT MOST EVENINGS. "
    "OFFICERS ATTENDED 1930. "
    "TODDLER INSIDE WITH GRANDMOTHER, WARM AND FED, NO INJURIES. "
    "MOTHER AT WORK - SHIFT CONFIRMED WITH EMPLOYER. "
    "NO OFFENCES IDENTIFIED."
)


def test_a_callers_line_is_shown_with_what_they_alleged_and_its_outcome(shared_embedder):
    source = _chunks([CALLER_LOG], "incident")
    generator = ExtractiveGenerator(CachedEmbedder(shared_embedder), relevance=_Answers("caller:"))
    drafts = [d for d in generator.generate("What did the caller say?", source) if d.kind == "fact"]
    items = [d.text for d in drafts if not d.outcome and not d.account]
    assert items == [
        "CALLER: MEMBER OF PUBLIC (WOULD NOT GIVE NAME).",
        "REPORTS A TODDLER CRYING ALONE ON A BALCONY FOR AN HOUR.",
        "STATES THE MOTHER GOES OUT MOST EVENINGS.",
    ]
    # The caller's line says only who rang: the outcomes sit under what was alleged.
    assert not drafts[1].outcome
    assert any(d.outcome for d in drafts[2:])


@pytest.mark.parametrize(
    ("sentence", "goes_on"),
    [
        ("STATES THE MOTHER GOES OUT MOST EVENINGS.", True),
        ("Says she has not seen him since Friday.", True),
        ("Alleges he took the children's tablets.", True),
        ("LATER STATED SHE DID NOT SEE IT.", False),
        ("REPORTED MISSING BY HIS CARER AT 2200.", False),
        ("Mum states she is coping.", False),
    ],
)
def test_a_line_that_goes_on_with_the_account_before_it(sentence, goes_on):
    assert continues_account(sentence) is goes_on


#: A log of one incident: the line just after a party's account is their answer.
STAIRS_LOG = (
    "CALLER STATES A BOY WAS PUSHED DOWN THE STAIRS AT A FRIEND'S HOUSE. "
    "OFFICERS ATTENDED 1650. "
    "MOTHER STATES THE FRIEND SHOVED HER SON ON THE LANDING AND HE FELL FOUR STEPS. "
    "SHE DOES NOT WISH TO MAKE A COMPLAINT - 'THEY ARE BOTH ONLY KIDS'. "
    "CRIME RECORDED: ASSAULT - SUSPECT THE FRIEND, VICTIM THE SON, ON THE STAIRS. "
    "NO FURTHER ACTION - NO COMPLAINT."
)


def test_the_line_just_after_an_account_is_its_answer_before_other_steps(shared_embedder):
    shown = _outcomes(shared_embedder, STAIRS_LOG, "mother states the friend", kind="incident")
    assert "SHE DOES NOT WISH TO MAKE A COMPLAINT - 'THEY ARE BOTH ONLY KIDS'." in shown
    assert "NO FURTHER ACTION - NO COMPLAINT." in shown


#: An assessment whose reason stands under its own heading, below the record's header lines.
ASSESSMENT = (
    "SINGLE ASSESSMENT\n"
    "Started 03/04/2024.\n"
    "Completed 28/05/2024.\n"
    "Reason for assessment\n"
    "Referral 02/04/24 from the health visitor - baby's weight falling, missed clinic "
    "appointments.\n"
    "Household\n"
    "Mum (24) and baby (5 months) in a one bedroom flat.\n"
    "Health\n"
    "Mum says her back pain is worse since the winter.\n"
    "Analysis\n"
    "Weight now back on its centile with a feeding plan.\n"
    "Threshold not met for Child in Need - step down to Early Help.\n"
)


def test_a_referral_under_the_reason_heading_takes_the_assessments_decision(shared_embedder):
    shown = _outcomes(shared_embedder, ASSESSMENT, "referral 02/04/24", kind="assessment")
    assert "Threshold not met for Child in Need - step down to Early Help." in shown
    # Another item of the assessment is not decided by it.
    back = _outcomes(shared_embedder, ASSESSMENT, "back pain", kind="assessment")
    assert "Threshold not met for Child in Need - step down to Early Help." not in back


#: An assessment whose analysis, many lines below its reason and sharing none of its
#: words, finds no sign of what was referred.
LONG_ASSESSMENT = (
    "CHILD AND FAMILY ASSESSMENT\n"
    "Reason for assessment\n"
    "Referral 05/09/24 from the nursery - marks on the toddler's legs, twice in a month.\n"
    "Household\n"
    "Dad (31), mum (29), toddler (2) and a baby.\n"
    "Home visit\n"
    "Flat warm and clean. Stair gate fitted. Plenty of food.\n"
    "Parents' views\n"
    "Dad says she climbs everything and falls off the sofa.\n"
    "Mum says the nursery never told her about the first time.\n"
    "Health\n"
    "Health visitor: weight and development on track.\n"
    "Analysis\n"
    "No evidence of non-accidental injury; both sets of marks fit a busy climber.\n"
    "Threshold not met for Child in Need - universal services only.\n"
)


def test_a_referral_takes_what_the_assessments_analysis_found(shared_embedder):
    shown = _outcomes(shared_embedder, LONG_ASSESSMENT, "referral 05/09/24", kind="assessment")
    assert "No evidence of non-accidental injury; both sets of marks fit a busy climber." in shown
    # Another item of the assessment does not take it.
    dad = _outcomes(shared_embedder, LONG_ASSESSMENT, "falls off the sofa", kind="assessment")
    assert not any(line.startswith("No evidence") for line in dad)


#: A log whose caller's words run over two sentences of one quotation.
QUOTED_LOG = (
    "CALLER STATES 'HE IS HITTING HER AGAIN. I CAN HEAR HER SCREAMING FROM MY GARDEN.'\n"
    "OFFICERS ATTENDED 2200.\n"
    "BOTH ADULTS SPOKEN TO SEPARATELY.\n"
    "NO INJURIES SEEN, FEMALE STATES THEY WERE ARGUING ABOUT MONEY."
)


@pytest.mark.parametrize(
    ("sentence", "opens", "closes"),
    [
        ("STATEMENT - 'I ONLY HELD THE BAG.", True, False),
        ("I DIDN'T KNOW WHAT WAS IN IT.'", False, True),
        ("Says 'it wasn't me' and walked off.", False, False),
        ("Grandparents' views (seen at home)", False, True),
    ],
)
def test_a_quotation_cut_by_a_full_stop(sentence, opens, closes):
    assert opens_quote(sentence) is opens
    assert closes_quote(sentence) is closes


def test_words_quoted_over_two_sentences_are_shown_whole(shared_embedder):
    source = _chunks([QUOTED_LOG], "incident")
    generator = ExtractiveGenerator(
        CachedEmbedder(shared_embedder), relevance=_Answers("caller states")
    )
    drafts = [d for d in generator.generate("What did the caller say?", source) if d.kind == "fact"]
    texts = [d.text for d in drafts]
    first = texts.index("CALLER STATES 'HE IS HITTING HER AGAIN.")
    assert texts[first + 1] == "I CAN HEAR HER SCREAMING FROM MY GARDEN.'"
    assert drafts[first + 1].provenance == drafts[first].provenance


def test_words_quoted_across_two_chunks_are_shown_whole(shared_embedder):
    # The index's chunks overlap: the quotation opens at the end of one and closes in the
    # next, which repeats its opening line.
    chunks = [
        "ARREST LOG. SOLICITOR PRESENT. PREPARED STATEMENT - 'I ONLY CARRIED THE BAG.",
        "PREPARED STATEMENT - 'I ONLY CARRIED THE BAG. I NEVER LOOKED INSIDE THE RUCKSACK.' "
        "NO COMMENT AFTER THAT. BAILED TO RETURN.",
    ]
    generator = ExtractiveGenerator(
        CachedEmbedder(shared_embedder), relevance=_Answers("prepared statement")
    )
    texts = [
        d.text
        for d in generator.generate("What did he say?", _chunks(chunks, "arrest"))
        if d.kind == "fact"
    ]
    first = texts.index("PREPARED STATEMENT - 'I ONLY CARRIED THE BAG.")
    assert texts[first + 1].startswith("I NEVER LOOKED INSIDE THE RUCKSACK.'")


# --- an arrest and what came of it ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "arrested", "ending"),
    [
        ("Picked up in a stolen car and arrested for taking without consent.", True, False),
        ("POLICE ATTENDED - SON ARRESTED AT THE SCENE.", True, False),
        ("Not arrested - dealt with as a child at risk.", False, False),
        ("Arrested in 2019 for criminal damage, previously.", False, False),
        ("Bailed to return to the station in August.", False, True),
        ("RUI.", False, True),
        ("Released under investigation pending phone download.", False, True),
        ("No further police action.", False, True),
        ("Charged with theft and bailed to court.", False, True),
        # Another arrest, with its own ending: another matter, never this one's ending.
        ("Later arrested and charged with possession of a knife.", True, False),
        ("You must bring him to the station to be released.", False, False),
        ("Dad is worried about the future.", False, False),
        ("J arrested at 14:00 outside the shop.", True, False),
        ("ARRESTED 03/04 AT HOME ADDRESS.", True, False),
        # No one arrested, or an arrest only threatened, is no arrest.
        ("He wasn't arrested.", False, False),
        ("Nobody was arrested at the scene.", False, False),
        ("Police never arrested anyone.", False, False),
        ("She threatened to have him arrested.", False, False),
        ("Released under investigation.", False, True),
        ("RUI pending forensics.", False, True),
        # A release from something else, and what is still to come, end no arrest.
        ("He was released from prison in May.", False, False),
        ("Youth court hearing to be listed.", False, False),
        ("CPS considering whether to send it to crown court.", False, False),
        # What a criminal court made of the charge; a family court's order is no arrest's
        # ending.
        ("Given a suspended sentence of four months.", False, True),
        ("Acquitted after a two-day trial.", False, True),
        ("Youth rehabilitation order, 9 months, with a curfew.", False, True),
        ("Special guardianship order made to the maternal aunt.", False, False),
    ],
)
def test_an_arrest_and_how_it_ended(sentence, arrested, ending):
    assert arrest(sentence) is arrested
    assert arrest_disposal(sentence) is ending


#: A review listing matters since the last one: an arrest and, on the next line, what came
#: of it; an earlier matter's own arrest and charge, and a list's next item after it.
REVIEW = [
    "Review of the child in need plan. Since the last review:\n"
    "- Excluded from college in May after a fight in the canteen - arrested and charged with "
    "assault on another student.\n"
    "- Went missing twice in June; the second time picked up in a stolen car and arrested "
    "for taking without consent. "
    "Bailed to return to the station in August while enquiries continue.\n"
    "- Attendance at the alternative provision 71%.",
]


def test_an_arrest_is_shown_with_what_came_of_it_on_the_next_line(shared_embedder):
    shown = _shown_under(shared_embedder, _chunks(REVIEW, "review"), "stolen car")
    assert shown == ["Bailed to return to the station in August while enquiries continue."]


#: The arrest line ends one chunk; the next chunk of the record starts with it again (chunks
#: overlap) and goes on with the release.
ACROSS = [
    "Home visit to see mum and the boys. Mum upset about the weekend. "
    "Older son stopped in the precinct with two friends on Saturday night and arrested "
    "for a robbery of a phone.",
    "Older son stopped in the precinct with two friends on Saturday night and arrested "
    "for a robbery of a phone. Released on bail until the end of next month. "
    "Mum says he was with his cousin all evening.",
]


def test_what_came_of_an_arrest_in_the_next_chunk_of_its_record(shared_embedder):
    shown = _shown_under(shared_embedder, _chunks(ACROSS, "case_note"), "robbery of a phone")
    assert shown == ["Released on bail until the end of next month."]


#: The release is not in what was retrieved; another chunk of the record holds an earlier
#: matter's arrest and charge, with words in common.
WITHOUT_ENDING = [
    "Home visit to see mum and the boys. "
    "Older son arrested in the precinct on Saturday night for a robbery of a phone.",
    "Information from the youth offending team.\n"
    "- In March the older son was arrested and charged with a robbery in the precinct.\n"
    "- Referral order of six months made by the youth court.",
]


def test_no_other_matters_ending_is_shown_under_an_arrest(shared_embedder):
    shown = _shown_under(
        shared_embedder, _chunks(WITHOUT_ENDING, "case_note"), "saturday night for a robbery"
    )
    assert shown == []


#: A custody log of one arrest: what the search found on the next line, headed, and its
#: outcome, headed, further down after the custody steps.
CUSTODY_LOG = [
    "CUSTODY RECORD\n"
    "ARRESTED 02/03/2025 1410HRS MARKET SQUARE AFTER A STOP AND ACCOUNT.\n"
    "FOUND: 6 X BAGS OF HERBAL CANNABIS AND £90 CASH IN A BUM BAG.\n"
    "OFFENCE: POSSESSION WITH INTENT TO SUPPLY.\n"
    "APPROPRIATE ADULT: AUNT ATTENDED 1600HRS.\n"
    "SOLICITOR PRESENT. INTERVIEWED - NO COMMENT.\n"
    "OUTCOME: BAILED TO RETURN 14/04 WHILE THE BAGS ARE TESTED.\n"
    "PC 4411",
]


def test_an_arrests_headed_find_and_outcome_in_its_log(shared_embedder):
    shown = _shown_under(shared_embedder, _chunks(CUSTODY_LOG, "arrest"), "market square")
    assert shown == [
        "FOUND: 6 X BAGS OF HERBAL CANNABIS AND £90 CASH IN A BUM BAG.",
        "OUTCOME: BAILED TO RETURN 14/04 WHILE THE BAGS ARE TESTED.",
    ]


#: A missing-person log in two overlapping chunks: the find by a patrol in the first, what
#: the police did with the girl three lines on in the second, the referral after it.
MISSING_LOG = [
    "MISSING PERSON REPORT. REPORTED MISSING BY FOSTER CARER 2100HRS. "
    "LAST SEEN AT THE RETAIL PARK.\n"
    "10/05 0640 LOCATED BY TRAFFIC PATROL IN A CAR PARK WITH TWO OLDER YOUTHS. "
    "IN POSSESSION OF A NEW PHONE AND £90 CASH.",
    "IN POSSESSION OF A NEW PHONE AND £90 CASH. CONVEYED HOME BY OFFICERS. "
    "NOT ARRESTED - DEALT WITH AS A LIKELY VICTIM OF EXPLOITATION. "
    "RETURN INTERVIEW REFERRAL TO THE MISSING SERVICE.",
]


def test_a_find_shown_as_the_outcome_keeps_what_the_police_did_with_the_person(
    shared_embedder,
):
    shown = _shown_under(
        shared_embedder, _chunks(MISSING_LOG, "missing_person"), "return interview referral"
    )
    located = shown.index(
        "10/05 0640 LOCATED BY TRAFFIC PATROL IN A CAR PARK WITH TWO OLDER YOUTHS."
    )
    assert shown[located + 1] == "NOT ARRESTED - DEALT WITH AS A LIKELY VICTIM OF EXPLOITATION."


#: A meeting's record: its reason with the find, the police telling the same find again in
#: more detail, then what they did with the boy.
STRATEGY = (
    "Reason: second missing episode in a fortnight. [Child 1] located by police in a "
    "stairwell of a block in town with two older boys and a bag of cash.\n"
    "Information shared\n"
    "Police - located 23:10 in the stairwell of the block with two older boys from out "
    "of area.\n"
    "Not arrested - seen as at risk of exploitation.\n"
    "School - attendance 80% this term.\n"
)


def test_the_same_find_told_again_does_not_end_the_walk_to_its_ending(shared_embedder):
    # Under the reason the find is its outcome, and the find keeps its ending.
    shown = _outcomes(shared_embedder, STRATEGY, "second missing episode", kind="meeting")
    find = (
        "[Child 1] located by police in a stairwell of a block in town with two older boys "
        "and a bag of cash."
    )
    assert shown[shown.index(find) + 1] == "Not arrested - seen as at risk of exploitation."


# --- decisions by courts and other bodies, a receiving service's conclusion, a finding --------


@pytest.mark.parametrize(
    ("sentence", "outcome"),
    [
        # An order made, a child adopted, a youth court's disposal.
        ("Care order granted at the family court in March 2016.", True),
        ("Supervision Order 12 months, made at the final hearing.", True),
        ("Both children later adopted by one family (2012).", True),
        ("Youth court 03/05: referral order for six months.", True),
        ("Given a conditional discharge for twelve months.", True),
        ("Non-molestation order granted for six months at the family court.", True),
        ("Found not guilty by the magistrates.", True),
        ("Given a simple caution for the damage.", True),
        # A receiving service's conclusion on the referral.
        ("Referral accepted by the perinatal team for weekly visits.", True),
        ("Impression: anxiety with panic attacks rather than depression.", True),
        ("Seen twice and judged to be at low risk of further self-harm.", True),
        ("Discharged back to the GP with a relapse plan.", True),
        ("Goals achieved - closed with mum's agreement.", True),
        # What a search or an examination found.
        ("Bag searched by the head of year - a vape and a lighter found.", True),
        ("FOUND - two phones and a bank card in another name.", True),
        ("The paediatrician examined both arms and recorded two small bruises.", True),
        ("School nurse noted a burn on the back of the hand, about 1cm.", True),
        # Still to come, a standing state, a risk tool's grading: no decision.
        ("Local authority to apply for a care order if things do not improve.", False),
        ("Placement order application listed for 14/06.", False),
        ("Currently subject to a supervision order from 2021.", False),
        ("DASH completed with mum - assessed as medium risk.", False),
        ("Mum asked about adoption of the cat from the rescue centre.", False),
        ("Referral made to the school nurse for a hearing check.", False),
        ("A supervision order may be sought at the next hearing.", False),
    ],
)
def test_decisions_conclusions_and_findings_of_others(sentence, outcome):
    assert outcome_cue(sentence) is outcome


@pytest.mark.parametrize(
    ("sentence", "finding"),
    [
        ("Searched by the head of year - a lighter found in his blazer.", True),
        ("Officers searched the flat and found two phones.", True),
        ("School nurse noted a bruise on his upper arm.", True),
        # a parent's own search, and what a clinician wrote down that someone told them, are
        # accounts, not findings
        ("Mum says she searched his room and found tablets.", False),
        ("GP recorded that mum reports dad pushed her last year.", False),
    ],
)
def test_what_a_search_or_an_examination_found(sentence, finding):
    assert decided(sentence) is finding


@pytest.mark.parametrize(
    ("sentence", "conclusion"),
    [
        ("Referral accepted by CAMHS for assessment.", True),
        ("Risk: judged as low risk to herself.", True),
        ("Discharged back to the GP.", True),
        # a feeling, an admission and a hospital's discharge after an injury conclude nothing
        ("Mum felt no risk from dad now he has moved out.", False),
        ("Dad accepted for the first time that he had left them.", False),
        ("Taken to A&E and discharged from hospital the same night.", False),
        ("On discharge mum said she felt better.", False),
    ],
)
def test_a_receiving_services_conclusion(sentence, conclusion):
    assert concluded(sentence) is conclusion


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Referral: school worried about weight loss and missed meals.", True),
        ("Thank you for referring this young man to our service.", True),
        ("Referral made to the dietitian on 04/03.", False),
        ("Thank you for attending the meeting.", False),
    ],
)
def test_the_line_that_gives_the_records_reason(line, reason):
    assert reason_line(line) is reason


@pytest.mark.parametrize(
    ("line", "claim"),
    [
        ("- 14/05 - window smashed overnight (police ref 240514-0031).", True),
        ("Bike taken from the hallway; crime reference given to mum.", True),
        ("Police officer spoke at the school assembly about online safety.", False),
        ("Mum asked the school for a reference for her new job.", False),
    ],
)
def test_an_event_the_police_logged_is_a_claim(line, claim):
    assert claim_cue(line) is claim


@pytest.mark.parametrize(
    ("line", "seen"),
    [
        ("Visible decay to both top front teeth", True),
        ("Obvious bruising to the left forearm, yellowing.", True),
        ("Evident weight loss since the last visit.", True),
        ("The garden is visible from the kitchen window.", False),
        ("It was obvious she was proud of her certificate.", False),
    ],
)
def test_what_a_professional_saw_on_looking(line, seen):
    # A finding that stands beside a child's or parent's word, never on its own an
    # outcome: in a log of one concern it would answer every line.
    assert seen_finding(line) is seen
    if seen:
        assert not outcome_cue(line)


#: A receiving service's letter: its conclusion, far down, answers the referral it opens on.
CLINIC_LETTER = (
    "Dear Dr Patel, "
    "Thank you for referring the young person after she told her teacher she had been "
    "cutting her thighs. "
    "I met her with her aunt at the clinic on 02/09. "
    "She attends college three days a week. "
    "She enjoys swimming and art. "
    "Sleep is poor, around five hours a night. "
    "She has two close friends in her year. "
    "Appetite is reduced since the summer. "
    "She lives with her aunt and two cousins. "
    "She has a part-time job at a bakery. "
    "Her aunt describes her as quiet at home. "
    "Conclusion: low mood, with cutting used to manage stress; judged to be at low risk of "
    "harm to herself for now."
)


@pytest.mark.parametrize(
    ("kind", "phrase", "note", "expected"),
    [
        (
            "clinic_letter",
            "thank you for referring",
            CLINIC_LETTER,
            [
                "Conclusion: low mood, with cutting used to manage stress; judged to be at low "
                "risk of harm to herself for now."
            ],
        ),
        # Historic proceedings told as background with the order that ended them.
        (
            "review",
            "care proceedings",
            "Dad's eldest was the subject of care proceedings in 2012 over concerns of "
            "neglect and alcohol. "
            "Care order and placement order made 2012; she was adopted in 2012. "
            "Dad now works part time at the garden centre.",
            ["Care order and placement order made 2012; she was adopted in 2012."],
        ),
        # A pupil's report and what the search found.
        (
            "dsl_note",
            "told staff",
            "A Y9 pupil told staff that R had cannabis in his locker. "
            "Locker searched by the head of year with R present - a small bag of herbal "
            "substance found. "
            "Parents phoned and asked to collect him.",
            [
                "Locker searched by the head of year with R present - a small bag of herbal "
                "substance found."
            ],
        ),
    ],
)
def test_a_decision_conclusion_or_finding_answers_what_was_put_to_it(
    shared_embedder, kind, phrase, note, expected
):
    assert _outcomes(shared_embedder, note, phrase, kind=kind) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Youth rehabilitation order of twelve months made at the youth court in June.",
        "Pleaded guilty and received a conditional discharge.",
        "Found not guilty at the magistrates' court.",
    ],
)
def test_what_the_court_made_of_a_charge_ends_the_arrest(sentence):
    assert arrest_disposal(sentence)


#: A review's list: an arrest and charge, and on the next line what the court made of it.
CHARGED = [
    "Review of the plan. Since the last review:\n"
    "- Arrested and charged with criminal damage to a bus shelter in April.\n"
    "Youth rehabilitation order of twelve months made at the youth court in June.\n"
    "- Attendance at college 80%.",
]


def test_an_arrest_and_charge_is_shown_with_what_the_court_made_of_it(shared_embedder):
    shown = _shown_under(shared_embedder, _chunks(CHARGED, "review"), "bus shelter")
    assert shown == ["Youth rehabilitation order of twelve months made at the youth court in June."]


@pytest.mark.parametrize(
    ("line", "claim"),
    [
        ("ALREADY SUBJECT TO A REFERRAL ORDER (THEFT - YOUTH COURT 02/03/24).", False),
        ("Currently on a twelve month referral order.", False),
        ("Referral from the health visitor about weight loss.", True),
        ("Referred to the school nurse by her form tutor.", True),
    ],
)
def test_a_courts_referral_order_is_no_referral(line, claim):
    assert claim_cue(line) is claim


#: An arrest log of one event in two chunks: what the search found is this arrest's, never
#: the outcome of the order the youth already stood on from an earlier matter.
ON_AN_ORDER = [
    "ALREADY SUBJECT TO A REFERRAL ORDER (THEFT - YOUTH COURT 02/03/24). YOT WORKER INFORMED.",
    "CUSTODY RECORD. ARRESTED 12/07/2024 AT THE STATION FOLLOWING A STOP SEARCH. "
    "FOUND: TWO KNIVES AND A BALACLAVA IN HIS RUCKSACK. "
    "OFFENCE: POSSESSION OF A BLADED ARTICLE.",
]


def test_an_order_from_an_earlier_matter_takes_no_outcome_of_the_arrest(shared_embedder):
    shown = _shown_under(shared_embedder, _chunks(ON_AN_ORDER, "arrest"), "subject to a referral")
    assert shown == []


@pytest.mark.parametrize(
    ("line", "open_"),
    [
        ("Whether the lodger still stays there not confirmed - worker to follow up.", True),
        ("Paediatric opinion awaited.", True),
        ("Outcome: to be confirmed at the next meeting.", True),
        ("Strategy discussion pending.", True),
        # An ending beside what is still to come is still an ending.
        ("Released under investigation pending phone download.", False),
        ("Bailed pending further enquiries.", False),
        ("Both boys found safe and well; duty worker to follow up tomorrow.", False),
        ("No further action - awaiting nothing further from school.", False),
    ],
)
def test_something_still_to_find_out_is_no_outcome(line, open_):
    assert unresolved(line) is open_


@pytest.mark.parametrize(
    ("line", "earlier", "heading", "later"),
    [
        # Came in while the work was under way.
        ("A police notice came in during the assessment.", (), None, True),
        ("School rang twice since the referral about lateness.", (), None, True),
        # Names another day than the reason's first line.
        (
            "Police notice on 11/06/24 (boys left alone 10/06/24).",
            ("Reason for assessment", "Referral 02/05/24 from the GP - weight loss."),
            "Reason for assessment",
            True,
        ),
        # The reason's own detail, the same day or no day: the reason still.
        (
            "The GP saw her on 02/05/24 with her mother.",
            ("Reason for assessment", "Referral 02/05/24 from the GP - weight loss."),
            "Reason for assessment",
            False,
        ),
        # A line headed as the reason is the reason, whatever day it names.
        (
            "Thank you for referring her on 14/06/24 about her low mood.",
            ("Letter received 02/05/24 from the GP.",),
            None,
            False,
        ),
        (
            "The GP is worried she is not eating.",
            ("Reason for assessment", "Referral 02/05/24 from the GP - weight loss."),
            "Reason for assessment",
            False,
        ),
    ],
)
def test_a_matter_that_arrived_after_the_records_reason(line, earlier, heading, later):
    assert arrived_later(line, earlier, heading) is later


#: An assessment of many matters: its reason names the referral, then a police notice that
#: came in while it was under way; the overall decision is the referral's.
REASON_AND_LATER = (
    "SINGLE ASSESSMENT\n"
    "Reason for assessment\n"
    "Referral 02/05/24 from the GP - weight loss and missed appointments. "
    "Notification from police on 11/06/24 while the assessment was under way (two boys left "
    "alone at home 10/06/24). "
    "Grandad helps with the school run.\n"
    "Household\n"
    "Mother, two boys aged 6 and 9, and a dog. Small flat above a shop. "
    "The boys share a bedroom. Mother works nights at a care home. "
    "The older boy is in the football team.\n"
    "Analysis\n"
    "The boys are well loved but supervision is inconsistent.\n"
    "Threshold met for Child in Need.\n"
)


def test_a_notice_that_came_during_the_assessment_is_not_decided_by_it(shared_embedder):
    referral = _outcomes(shared_embedder, REASON_AND_LATER, "referral 02/05/24", kind="assessment")
    assert "Threshold met for Child in Need." in referral
    notice = _outcomes(
        shared_embedder, REASON_AND_LATER, "notification from police", kind="assessment"
    )
    assert "Threshold met for Child in Need." not in notice


#: A school's log of one concern, with a line about another person's welfare.
LOG_OF_TWO_PEOPLE = (
    "Concern raised by the class teacher at 08:45.\n"
    "[Child 1] said she had walked [Child 2] to the childminder before school and missed "
    "breakfast.\n"
    "10:30 rang grandad - he went round to the house.\n"
    "11:15 grandad rang back - [Mother] exhausted but safe, in bed with a migraine.\n"
    "Form tutor to check in each morning."
)


def test_a_line_about_another_person_is_not_the_outcome(shared_embedder):
    shown = _outcomes(shared_embedder, LOG_OF_TWO_PEOPLE, "missed breakfast", kind="dsl_note")
    assert not any("exhausted but safe" in o for o in shown)


#: A police notice of one event with a line still to be found out.
ONE_EVENT_OPEN = (
    "Notification from police of a call on Friday night. "
    "Caller states a man was shouting at the children in the garden. "
    "Whether the man lives at the address not confirmed - duty worker to follow up. "
    "Officers attended and found the children safe and well. "
    "Outcome: awaiting police checks on the man."
)


def test_a_line_still_to_follow_up_is_never_shown_as_the_outcome(shared_embedder):
    shown = _outcomes(shared_embedder, ONE_EVENT_OPEN, "shouting at", kind="police_notification")
    assert "Officers attended and found the children safe and well." in shown
    assert not any("follow up" in o or "awaiting" in o for o in shown)


def test_a_line_about_someone_the_claim_names_by_kin_stays_its_outcome(shared_embedder):
    # The receipt names who raised the concern, not whom it is about.
    raised = LOG_OF_TWO_PEOPLE.replace("the class teacher", "[Person 1], class teacher,")
    shown = _outcomes(shared_embedder, raised, "concern raised by", kind="dsl_note")
    assert any("exhausted but safe" in o for o in shown)
    log = LOG_OF_TWO_PEOPLE.replace(
        "[Child 1] said she had walked [Child 2] to the childminder before school and missed "
        "breakfast.",
        "[Child 1] told the teacher she was up all night with mum, who kept crying.",
    )
    shown = _outcomes(shared_embedder, log, "up all night", kind="dsl_note")
    assert any("exhausted but safe" in o for o in shown)


def test_an_ending_naming_another_person_still_ends_the_matter(shared_embedder):
    log = (
        "Police notification of a domestic incident on Saturday night. "
        "Suspect: [Father], her partner. "
        "Officers attended at 23:10. "
        "No arrest - [Mother] would not support a complaint; NFA."
    )
    shown = _outcomes(shared_embedder, log, "suspect:", kind="domestic_abuse_notification")
    assert "No arrest - [Mother] would not support a complaint; NFA." in shown
    assert ends_matter("No arrest - [Mother] would not support a complaint; NFA.")
    assert not ends_matter("11:15 grandad rang back - [Mother] exhausted but safe.")
