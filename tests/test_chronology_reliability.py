"""Chronology answers: dated, ordered, each item saying how the record knows it, whose
account it is, and, for an allegation or incident, how the same record says it ended.

Every sentence here is synthetic and written for these tests; rows of one class sit beside
rows that look alike but are not of it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pytest
from real_stack import DEMO_QUESTION

from assistant.contracts import NumberedSource, RetrievedChunk
from assistant.embedder import CachedEmbedder
from assistant.generators.extractive import ExtractiveGenerator
from assistant.outcomes import is_disputed
from assistant.relevance import Candidate, Scored
from assistant.reliability import RecordContext, ReliabilityClassifier, section_heading
from evals.estate.templates import ALLEGATION_OUTCOMES

POLICE = RecordContext("Police Constable - Response", "incident")
SOCIAL = RecordContext("Social Worker", "case_note")
VIEWS = RecordContext("Parent", "views")
HEALTH = RecordContext("Health Visitor", "hv_note")


@pytest.fixture(scope="module")
def cues() -> ReliabilityClassifier:
    """Grammar and record only (no embedder): what the cues decide on their own."""
    return ReliabilityClassifier()


@pytest.mark.parametrize(
    ("sentence", "context", "expected"),
    [
        # Observed: the author or another professional saw, found or examined it ...
        ("Officers observed [Father] was unsteady on his feet.", SOCIAL, "observed"),
        ("We attended and found the back door unlocked.", POLICE, "observed"),
        ("Officers attended and found both children asleep upstairs.", POLICE, "observed"),
        ("The school nurse noticed a burn on her wrist.", SOCIAL, "observed"),
        ("[Mother] presented as withdrawn and tearful.", SOCIAL, "observed"),
        ("On arrival the kitchen had no food in it.", SOCIAL, "observed"),
        # ... but a parent who saw something gives their own account.
        ("[Mother] saw her partner push the boy.", SOCIAL, "self_reported"),
        # Self-report: the family's own account, in any inflection and in shorthand.
        ("[Mother] admitted taking ketamine with friends.", SOCIAL, "self_reported"),
        ("[Mother] told the worker she drinks most nights.", SOCIAL, "self_reported"),
        ("Dad is saying he moved out in March.", SOCIAL, "self_reported"),
        ("Nan has stated that she collects the girls every day.", SOCIAL, "self_reported"),
        ("Says she has not seen him since the summer.", SOCIAL, "self_reported"),
        ("In her own words, home is 'too noisy to think'.", SOCIAL, "self_reported"),
        ("He wants to live with his grandparents.", VIEWS, "self_reported"),
        # ... but the worker telling mum something is not mum's account: it is what the
        # worker did.
        ("I explained the plan to [Mother] and gave her a copy.", SOCIAL, "observed"),
        # Third party: someone else reports or alleges it.
        (
            "An anonymous caller alleges [Mother] smokes cannabis in front of the children.",
            SOCIAL,
            "third_party_allegation",
        ),
        (
            "A neighbour rang to say the toddler was crying for hours.",
            SOCIAL,
            "third_party_allegation",
        ),
        ("The neighbour was alleging that dad kicks the dog.", SOCIAL, "third_party_allegation"),
        ("It is alleged that the older boy carries a blade.", SOCIAL, "third_party_allegation"),
        ("According to the landlord, the flat is often empty.", SOCIAL, "third_party_allegation"),
        ("The caller reports a child screaming at the address.", POLICE, "third_party_allegation"),
        (
            "Staff at the nursery reported that she arrives hungry.",
            SOCIAL,
            "third_party_allegation",
        ),
        # ... a caller the officers spoke to on arrival does not make the finding hearsay.
        (
            "Officers attended after a neighbour reported shouting and found the flat quiet.",
            POLICE,
            "observed",
        ),
        # Assessment: the professional's judgement.
        ("In my view the threshold for a child in need plan is met.", SOCIAL, "assessment"),
        ("The team concluded that the risk is low.", SOCIAL, "assessment"),
        ("It was agreed that a section 47 enquiry is not needed.", SOCIAL, "assessment"),
        ("Mum feels the school does not listen to her.", SOCIAL, "self_reported"),
        # Shorthand and logs in capitals: a dropped subject, a speaker label, quoted words.
        ("DENIES HITTING THE BOY.", POLICE, "self_reported"),
        ("[Father] STATES HE WAS AT WORK ALL EVENING.", POLICE, "self_reported"),
        ("Dad: 'I only left them for five minutes'.", SOCIAL, "self_reported"),
        # ... a name heading a line about the person is not their words.
        ("Dad: unshaven, slurring, could not stand unaided.", POLICE, "observed"),
        ("Caller: kids screaming next door for an hour.", SOCIAL, "third_party_allegation"),
        (
            "Info from the PE teacher that she will not change for games.",
            SOCIAL,
            "third_party_allegation",
        ),
        ("Wants to see more of his dad.", SOCIAL, "self_reported"),
        # A line of an incident log with no cue of its own is what the officers found ...
        ("BROKEN GLASS ON THE LANDING, TWO ADULTS PRESENT.", POLICE, "observed"),
        # ... and so is a scene a professional describes in their own case note with no
        # other source (the record states its author) ...
        ("Broken glass on the landing, two adults present.", SOCIAL, "observed"),
        ("[Child 2] was pale and had no coat on.", SOCIAL, "observed"),
        # ... but not a fact of the family's life, a plan or a figure.
        ("Dad works nights at the warehouse.", SOCIAL, "unknown"),
        ("The family will move to the new flat next week.", SOCIAL, "unknown"),
        ("RISK GRADED MEDIUM.", POLICE, "assessment"),
        # Another agency's notification relays that agency's report.
        (
            "Suspect: [Father], at the address when officers arrived.",
            RecordContext("Social Worker - MASH", "domestic_abuse_notification"),
            "third_party_allegation",
        ),
        # Not stated: only when the sentence and its record truly do not say.
        ("Home visit completed.", SOCIAL, "unknown"),
        # An attendance figure is the school's count: its own, or passed on by anyone else.
        ("Attendance this term is 91%.", SOCIAL, "third_party_allegation"),
        ("Attendance this term is 91%.", RecordContext("DSL", "dsl_note"), "observed"),
        # Slips of the keyboard in the reporting verb ...
        ("Obsereved [Child 1] flinch when the door banged.", SOCIAL, "observed"),
        ("The neighbor alledged that dad hits the dog.", SOCIAL, "third_party_allegation"),
        ("[Mother] siad she was at work all day.", SOCIAL, "self_reported"),
        # ... stances: the family's is their account, the writer's an assessment ...
        ("[Mother] is adamant that nobody else lives there.", SOCIAL, "self_reported"),
        ("I am worried that the baby is not gaining weight.", SOCIAL, "assessment"),
        # ... a professional's view and an inference are opinions; passed-on
        # information is someone else's report ...
        ("The school's view is that he needs a smaller class.", SOCIAL, "assessment"),
        ("This suggests the children are often hungry.", SOCIAL, "assessment"),
        (
            "Intelligence suggests the flat is used to store drugs.",
            SOCIAL,
            "third_party_allegation",
        ),
        ("Concerns were raised by the nursery about her weight.", SOCIAL, "third_party_allegation"),
        # ... raising a voice reports nothing; a refusal is seen, whatever was said.
        ("[Father] raised his voice at the worker.", SOCIAL, "unknown"),
        ("[Child 1] refused to speak to the officers.", POLICE, "observed"),
        ("[Mother] got defensive and walked out of the meeting.", SOCIAL, "observed"),
        # "per X", "according to X": X's, the family's own account or another's report ...
        ("Per the nursery manager, she arrives late most days.", SOCIAL, "third_party_allegation"),
        ("According to [Child 1], there was no tea last night.", SOCIAL, "self_reported"),
        ("Feeds every four hours per mum.", HEALTH, "self_reported"),
        ("£40 per week goes on the phone contract.", SOCIAL, "unknown"),
        ("Reportedly dad is back at the flat.", SOCIAL, "third_party_allegation"),
        (
            "Not at school on Monday (confirmed with the school office).",
            SOCIAL,
            "third_party_allegation",
        ),
        # ... another worker is not the writer, whose role word they share ...
        ("Youth worker reported that she was at the park late.", SOCIAL, "third_party_allegation"),
        # ... how someone was found, or what they would not say, is seen by the writer ...
        ("[Father] smelled of beer.", SOCIAL, "observed"),
        ("[Child 1] would not say who gave her the phone.", SOCIAL, "observed"),
        ("[Child 2] was guarded and tearful.", SOCIAL, "observed"),
        ("[Child 2] weighed 12kg today.", HEALTH, "observed"),
        # ... the parties a police log names speak for themselves; a neighbour does not ...
        ("VICTIM STATES HE PUNCHED HER TWICE.", POLICE, "self_reported"),
        (
            "NEIGHBOUR AT FLAT 6 STATES THERE IS SHOUTING MOST NIGHTS.",
            POLICE,
            "third_party_allegation",
        ),
        # ... and sharing a room, or a thing judged by nobody named, report nothing ...
        ("The twins share a bedroom with their mum.", SOCIAL, "unknown"),
        ("Further assessment by CAMHS is needed.", SOCIAL, "assessment"),
        ("RISK ASSESSED AS LOW.", POLICE, "assessment"),
        # ... a call that may happen reports nothing; "how information is shared" neither ...
        ("Family aware they can call the duty line at any time.", SOCIAL, "unknown"),
        ("Parents made aware of how information is shared with school.", SOCIAL, "unknown"),
        # ... the writer's worry is their opinion; a misread log still names who reported ...
        ("My worry is that the partner's history is not known.", SOCIAL, "assessment"),
        ("REPORTED MISSING BY STEPFATHER AT 2300HRS.", POLICE, "self_reported"),
        # ... and in a person's own views "I" is that person, not a professional writer.
        ("I find it hard to sit still when the class is noisy.", VIEWS, "self_reported"),
    ],
)
def test_source_of_knowledge(cues, sentence, context, expected):
    assert cues.classify(sentence, context).reliability == expected


@pytest.mark.parametrize(
    ("sentence", "context", "expected"),
    [
        # A title or a heading above the line says how its uncued lines are known ...
        (
            "Children eating crisps for tea in front of the television.",
            RecordContext("Social Worker", "case_note", title="Unannounced home visit"),
            "observed",
        ),
        (
            "Struggling to get the boys to school on time.",
            RecordContext("Social Worker", "case_note", ("Telephone call from [Mother].",)),
            "self_reported",
        ),
        (
            "Struggling to get the boys to school on time.",
            RecordContext("Social Worker", "case_note", title="Email from the school"),
            "third_party_allegation",
        ),
        # ... without one it is not stated ...
        ("Struggling to get the boys to school on time.", SOCIAL, "unknown"),
        # ... and an incident log is what the officers found, whatever call it opens with.
        (
            "TWO ADULTS ARGUING ON THE DOORSTEP.",
            RecordContext("Police Constable", "incident", ("999 CALL FROM NEIGHBOUR.",)),
            "observed",
        ),
    ],
)
def test_the_record_says_how_its_lines_are_known(cues, sentence, context, expected):
    assert cues.classify(sentence, context).reliability == expected


def test_a_professionals_record_states_its_source_even_when_meaning_is_unsure(shared_embedder):
    """An uncued line of a professional's record is known to its writer one way or another:
    never "not stated" (the issue's done-when); a line nobody is said to have written is."""
    classifier = ReliabilityClassifier(CachedEmbedder(shared_embedder))
    line = "Finances remain tight and the boiler is still not fixed."
    written = classifier.classify(line, RecordContext("Family Support Worker", "review"))
    assert written.reliability != "unknown"
    assert classifier.classify(line, RecordContext(None, "review")).reliability == "unknown"


@pytest.mark.parametrize("heading", [None, "Worries", "What are we worried about"])
def test_a_familys_assessment_is_mostly_what_the_family_told_the_worker(shared_embedder, heading):
    """Money, debts and routines in an early help assessment or review, with no source of
    their own, are the family's account given at the visit; a worries section names what
    the lines are about, not whose judgement they are."""
    classifier = ReliabilityClassifier(CachedEmbedder(shared_embedder))
    context = RecordContext("Family Support Worker", "assessment", heading=heading)
    lines = [
        "Rent is paid late most months.",
        "Nan does the school run on Mondays.",
        # A line with no verb is as often what the family said ...
        "Sleep - the baby up three times a night.",
        # ... but the state of the home is what the worker saw there, however it is put.
        "Kitchen clean, washing up done, fridge stocked.",
        "Mum had hoovered and put clean bedding on the bunk beds.",
    ]
    assert [classifier.classify(line, context).reliability for line in lines] == [
        "self_reported",
        "self_reported",
        "self_reported",
        "observed",
        "observed",
    ]


def test_responding_warmly_is_not_an_account(cues):
    context = RecordContext("Social Worker", "case_note")
    said = cues.classify("[Child 2] ran to [Mother] and she responded warmly.", context)
    assert said.reliability == "observed"


def test_a_line_takes_its_section_heading():
    lines = [
        "Home visit 04/03.",
        "Dad's views",
        "Phoned 05/03 from work.",
        "Happy for the children to stay with nan at weekends.",
        "Analysis",
        "- Routines have slipped since the move.",
    ]
    assert section_heading(lines, 3) == "Dad's views"
    assert section_heading(lines, 5) == "Analysis"
    assert section_heading(lines, 1) is None
    assert section_heading(["Examination: weight 14 kg.", "Mild pallor."], 1) == "Examination"
    # The items of one long list stand under the list's heading, however many there are.
    plan = ["What we advise", *[f"{x}) A named adult for {x}." for x in "abcdefghij"]]
    assert section_heading(plan, 10) == "What we advise"
    assert section_heading(["Housing", *["Rent paid late."] * 9, "Arrears now £300."], 10) is None


def test_a_pasted_message_is_its_senders_until_someone_else_speaks(cues):
    note = [
        "Text message received on the office phone from a number we do not know.",
        "Message copied below as received:",
        "Subject: urgent",
        "Nothing is wrong in that house and the family want to be left alone.",
        "I am his mum and I say he is fine.",
        "DSL view: we will keep the record as it is.",
        "Mum says she did not send it.",
    ]

    def context(i: int) -> RecordContext:
        return RecordContext(
            "DSL", "dsl_note", tuple(note[max(0, i - 3) : i]), heading=section_heading(note, i)
        )

    # The message's lines are the sender's, even when they claim to be the family's ...
    assert cues.classify(note[3], context(3)).reliability == "third_party_allegation"
    assert cues.classify(note[4], context(4)).reliability == "third_party_allegation"
    # ... until a line says whose words follow.
    assert cues.classify(note[5], context(5)).reliability == "assessment"
    assert cues.classify(note[6], context(6)).reliability == "self_reported"


def test_the_lines_of_a_long_quotation_are_the_speakers(cues):
    """The splitter cuts a quotation of several sentences into lines; the middle and last
    lines are still the speaker's words, not the writer's."""
    note = [
        "Home visit, kitchen clean.",
        "[Child 1] (with his keyworker): 'School is boring.",
        "Nobody sits with me at dinner.",
        "I want to go back to my old school.'",
        "Bedroom floor covered in clothes.",
    ]

    def context(i: int) -> RecordContext:
        return RecordContext("Family Support Worker", "case_note", tuple(note[max(0, i - 3) : i]))

    assert cues.classify(note[2], context(2)).reliability == "self_reported"
    assert cues.classify(note[3], context(3)).reliability == "self_reported"
    # A quotation opened after a demeanour ("Mum: tearful - '...") is still the speaker's.
    demeanour = ("Mum: tearful - 'I can't keep doing this.",)
    continued = RecordContext("Family Support Worker", "case_note", demeanour)
    assert cues.classify(demeanour[0], RecordContext("FSW", "case_note")).reliability == (
        "observed"
    )
    assert cues.classify("Nobody helps me.'", continued).reliability == "self_reported"
    # ... and the quotation ends where its closing mark is.
    assert cues.classify(note[4], context(4)).reliability != "self_reported"


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Dad's views", "self_reported"),
        ("[Mother]'s history and account", "self_reported"),
        ("Voice of the child", "self_reported"),
        ("Analysis", "assessment"),
        ("Recommendations for school", "assessment"),
        ("Family background", "self_reported"),
        ("Reason for referral", "third_party_allegation"),
        ("Agency checks", "third_party_allegation"),
        # ... but a service's own checks are its own record.
        ("Health checks", "unknown"),
        ("Educational provision", "assessment"),
        ("Examination", "observed"),
        # A note's list of its own visits and who was seen on each (guide rule 18).
        ("Who was seen", "observed"),
        ("Visits and contacts", "observed"),
        # A heading that says nothing of how its lines are known leaves them as they were.
        ("Housing", "unknown"),
    ],
)
def test_an_uncued_line_is_known_as_its_section_says(cues, heading, expected):
    context = RecordContext("Social Worker", "assessment", heading=heading)
    assert (
        cues.classify("Routines slipped after the move in June.", context).reliability == expected
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # In a clinician's letter the history and stressors are what the patient told them
        ("Stressors: the move, money and a fall-out with friends.", "self_reported"),
        ("Past history: two previous admissions for asthma.", "self_reported"),
        # ... presentation is what the clinician saw, whatever section it stands in ...
        ("Presentation: flat affect and poor eye contact.", "observed"),
        # ... and the label decides even when the line names another service.
        ("History: seen in A&E twice last year after falls, GP aware.", "self_reported"),
    ],
)
def test_a_line_labelled_with_a_section_name_is_known_as_that_section(cues, line, expected):
    context = RecordContext("Consultant Psychiatrist", "clinic_letter", heading="Diagnosis")
    assert cues.classify(line, context).reliability == expected


MINUTES = RecordContext("Team Manager", "strategy_discussion")
REVIEW = RecordContext("Social Worker", "review")
ADVICE = RecordContext("Educational Psychologist", "advice_report")
CARER = RecordContext("Young Carers Worker", "young_carer_assessment")
INTEL = RecordContext("Intelligence Analyst", "intelligence")


@pytest.mark.parametrize(
    ("sentence", "context", "expected"),
    [
        # Quoted words nobody in the sentence is said to have spoken are the family's ...
        ("Sleeping badly, 'it goes round and round my head at night'.", SOCIAL, "self_reported"),
        ("Asked about the new trainers - 'birthday money'.", SOCIAL, "self_reported"),
        ("Her sister minds the baby 'now and then' on weekdays.", HEALTH, "self_reported"),
        # ... a verb inside the quotation is theirs, not the writer's judgement ...
        ("Low and tearful - 'I feel like I'm failing them'.", SOCIAL, "self_reported"),
        # A line that leads with how someone presented is what the writer saw, whatever
        # words follow (guide rule 14) ...
        ("Very upset about the letter - 'they think I don't feed them'.", SOCIAL, "observed"),
        ("Dad: agitated, pacing, 'this is a joke'.", SOCIAL, "observed"),
        ("Upset that nobody rang her back about the appointment.", SOCIAL, "observed"),
        # Attainment shorthand and a need's category are judgements (guide rule 21).
        ("- Reading: EXS, writing WTS.", RecordContext("SENCo", "sen_support_plan"), "assessment"),
        ("Secondary: SEMH.", RecordContext("SENCo", "sen_support_plan"), "assessment"),
        # ... and so are a statutory status and a sanction decided (guide rules 12, 21).
        ("Has an EHCP, reviewed in March.", RecordContext("DSL", "dsl_note"), "assessment"),
        ("Two suspensions this year for fighting.", RecordContext("DSL", "dsl_note"), "assessment"),
        # The police locating someone is theirs to have seen: relayed in anyone else's note.
        ("[Child 1] located at 2am in a flat.", REVIEW, "third_party_allegation"),
        ("[Child 1] located at 2am in a flat.", POLICE, "observed"),
        # A notification received with what it said is the sender's; its bare receipt is
        # what the writer did (guide rule 24).
        ("PPN rec'd 3/2 (baby left with a drunk adult 2/2).", SOCIAL, "third_party_allegation"),
        ("Referral received 3/4 (ref 2231).", SOCIAL, "observed"),
        # A line labelled with another agency is that agency's report, its inferences too.
        ("CAMHS: two sessions; scores suggest low mood.", SOCIAL, "third_party_allegation"),
        # An emergency service called out by the writer's side, and what it did there, was
        # seen; the police calling someone, or called by someone, is another matter.
        ("Police called - attended, [Child 1] arrested.", SOCIAL, "observed"),
        # What the writer did, with the "I" dropped, is their own first-hand record ...
        ("Signposted to the food bank and Citizens Advice.", SOCIAL, "observed"),
        # ... and so is a document it sent, even one that carries a decision.
        (
            "Outcome letter posted to mum and dad on 4/3.",
            RecordContext("SEND Officer", "referral"),
            "observed",
        ),
        (
            "Decision letter emailed to the carers on 3/6.",
            RecordContext("SEND Officer", "referral"),
            "observed",
        ),
        ("Reassured [Child 1] that he was not in trouble.", SOCIAL, "observed"),
        ("The health visitor was notified with mum's agreement on 3/5.", SOCIAL, "observed"),
        # ... a name or a term in quotation marks is no one's words ...
        ("Now goes to 'the Hub' three mornings a week.", SOCIAL, "unknown"),
        ("Has a 'worry box' by her bed.", HEALTH, "observed"),
        # ... words given as examples of what was heard are not an account ...
        ("Uses about ten words ('bye bye', 'more milk').", HEALTH, "observed"),
        # ... and quoted words someone outside the family is said to have spoken are theirs.
        ("Lena (swim coach) says he never misses, 'a natural'.", SOCIAL, "third_party_allegation"),
        # A line headed by an agency in a meeting's minutes, or labelled with one in a note,
        # is that agency's report ...
        (
            "Police - found him in a car park at 2am with two older males.",
            MINUTES,
            "third_party_allegation",
        ),
        ("College: attendance down to 62% since half term.", SOCIAL, "third_party_allegation"),
        # ... but a clause before a dash is not an agency ("Weighed at clinic - ...").
        ("Weighed at clinic - 9.1kg, up one centile.", HEALTH, "observed"),
        # Belief passed on without whose it is: intelligence, not the writer's judgement.
        ("MALE IS BELIEVED TO BE STORING DRUGS AT THE ADDRESS.", INTEL, "third_party_allegation"),
        # ... told in shorthand with "is" dropped, or anywhere else in a note ...
        ("FEMALE BELIEVED TO BE HOLDING CASH FOR THE GROUP.", INTEL, "third_party_allegation"),
        ("Believed to be sofa-surfing at a friend's.", SOCIAL, "third_party_allegation"),
        # What checks of another service's records found is relayed, whatever decision
        # they record (guide rule 13).
        ("PNC checks on [Father]: 2018 affray, NFA.", SOCIAL, "third_party_allegation"),
        # ... and in an intelligence report, quoted words nobody is said to have spoken are
        # its source's information, not the family's words.
        (
            "NOMINAL HAS BEEN TOLD THE DEBT IS NOW 'DOUBLE WHAT IT WAS'.",
            INTEL,
            "third_party_allegation",
        ),
        ("Has been told the debt is now 'double what it was'.", SOCIAL, "self_reported"),
        # What a body decided or granted is a decision.
        ("Discretionary payment of £200 awarded for the deposit.", SOCIAL, "assessment"),
        ("Section 47 enquiry - concerns substantiated.", SOCIAL, "assessment"),
        ("Outcome: eligible for the short breaks service.", SOCIAL, "assessment"),
        # A line that opens with the decision is the decision, whatever reasons it gives.
        ("Outcome: no arrest - she did not want to go to court; NFA.", SOCIAL, "assessment"),
        # Who was seen, as a label; a line's own visit heading.
        ("Seen: [Child 1] alone in her room, then [Mother].", SOCIAL, "observed"),
        ("Home visit 12/03: carpets down, new cooker fitted.", SOCIAL, "observed"),
        # A line that closes a quotation an earlier line opened is the quoted person's.
        ("AND I DIDN'T WANT THEM HURT.' NO REPLY TO OTHER QUESTIONS.", POLICE, "self_reported"),
        # Recommendations, findings and plan outcomes in an advice report are assessments.
        ("e) [Child 1] would benefit from movement breaks.", ADVICE, "assessment"),
        ("[Child 1] should receive daily fine-motor practice in class.", ADVICE, "assessment"),
        ("By July, [Child 1] will be able to dress herself for PE.", ADVICE, "assessment"),
        ("Vision: orthoptic check 2023 - normal.", ADVICE, "assessment"),
        ("Primary need: SEMH.", ADVICE, "assessment"),
        ("Hearing: audiology 2022 - normal both ears.", ADVICE, "assessment"),
        # ... and a line of an advice report with no source of its own is its advice ...
        ("c) A daily check-in with a named adult before registration.", ADVICE, "assessment"),
        # ... but a measurement, or what the writer did, is observed.
        ("Weight 31 kg (50th centile), height 132 cm.", ADVICE, "observed"),
        ("I reviewed [Child 1] in clinic today with her father.", ADVICE, "observed"),
        ("Governors and the local authority informed same day.", SOCIAL, "observed"),
        # Closing, stepping down, a need level, a risk of harm: decisions and judgements.
        ("Case closed to CSC, stepped down to Early Help.", SOCIAL, "assessment"),
        ("Needs sit at Level 3 - targeted support.", SOCIAL, "assessment"),
        ("There are clear signs of neglect of the baby's care.", SOCIAL, "assessment"),
        # What the writer did, with or without the "I".
        ("Met [Child 1] outside the library at 3pm as planned.", SOCIAL, "observed"),
        ("I telephoned the nursery after the visit.", SOCIAL, "observed"),
        # A child found with something is what officers found, whatever he then states ...
        ("[Child 1] FOUND WITH TWO PHONES - STATES 'NOT MINE'.", POLICE, "observed"),
        # ... a line's label and a second shorthand verb are not who speaks: the patient is ...
        ("Smoking: reports 10 a day; denies cannabis.", ADVICE, "self_reported"),
        # ... after a dash, the word before the verb is who speaks.
        ("Not seen: [Father] - nan says he is away with work.", SOCIAL, "self_reported"),
        ("Duty line (SW on call): advice - keep the case open to EH.", SOCIAL, "assessment"),
        # Another pupil or parent is someone outside the family ...
        (
            "At break a Y8 pupil told staff [Child 1] had a lighter.",
            SOCIAL,
            "third_party_allegation",
        ),
        # ... information received about a matter is its sender's, and so is what another
        # service knows.
        ("Referral rec'd 02/05 re bruising seen at nursery.", SOCIAL, "third_party_allegation"),
        ("She has been known to CAMHS since 2021.", ADVICE, "third_party_allegation"),
        # A crime as the police record it, a counter-allegation included, is their decision.
        ("COUNTER ALLEGATION ABH - SUSPECT [Child 1], VICTIM [Father].", POLICE, "assessment"),
        # A date of birth or an address is never whose account a line is.
        ("[DOB: Child 1, aged 8-10]) reports that he was hit.", POLICE, "observed"),
        # A given name labelling a line speaks for someone outside the family.
        ("Priya: he comes every Saturday - 'never late'.", SOCIAL, "third_party_allegation"),
        # Uncued lines of a meeting's minutes are relayed; of a carer's assessment, the
        # young carer's own account.
        ("Missed three of the last five sessions.", MINUTES, "third_party_allegation"),
        # What a professional at the meeting saw, the minute-taker has from them.
        ("The school nurse noticed bruising on his arm.", MINUTES, "third_party_allegation"),
        ("He was located by police in a flat in the town.", MINUTES, "third_party_allegation"),
        # Another service's involvement is what that service says.
        ("Dad open to the drug and alcohol service since May.", SOCIAL, "third_party_allegation"),
        ("- does the washing and irons the school shirts", CARER, "self_reported"),
    ],
)
def test_quotations_agencies_and_decisions(cues, sentence, context, expected):
    assert cues.classify(sentence, context).reliability == expected


@pytest.mark.parametrize(
    ("before", "expected", "source"),
    [
        # A shorthand line goes on with the account the line before names ...
        (("CALLER: NEIGHBOUR AT NUMBER 4.",), "third_party_allegation", "caller"),
        (
            ("[Mother] told me she is sleeping badly.", "REPORTS SHE IS TIRED."),
            "self_reported",
            "[Mother]",
        ),
        # ... and is the note's subject speaking when a plain line comes first.
        (("OFFICERS ATTENDED 2115HRS.",), "self_reported", None),
        (("Attendance this half term 70%.",), "self_reported", None),
        ((), "self_reported", None),
    ],
)
def test_shorthand_goes_on_with_the_account_before_it(cues, before, expected, source):
    context = RecordContext("Police Constable", "incident", before)
    found = cues.classify("STATES A MAN IS SHOUTING AT A BABY.", context)
    assert (found.reliability, found.source) == (expected, source)


@pytest.mark.parametrize(
    ("sentence", "label"),
    [
        ("The neighbour alleges [Father] leaves the baby alone.", "neighbour's allegation"),
        ("A neighbour rang to allege the children were alone.", "neighbour's allegation"),
        ("The caller reports shouting from the flat.", "reported by caller"),
        ("Mum says she was out for ten minutes.", "mum's account"),
        ("[Child 1] told me he sleeps on the sofa.", "[Child 1]'s account"),
        ("Both parents say the boys were in bed by eight.", "parents' account"),
        ("The school nurse noticed bruising on his arm.", "school nurse observed"),
        ("I noticed bruising on his arm.", "observed by the author"),
        ("It is alleged that he was hit.", "third-party allegation"),
        ("The baby is 4 kg.", "source of knowledge not stated"),
    ],
)
def test_whose_account_in_plain_words(cues, sentence, label):
    assert cues.classify(sentence, SOCIAL).label() == label


@pytest.mark.parametrize(
    ("sentence", "heading", "expected"),
    [
        # What the writer saw a young child do in the session, the odd word in play
        # included, is observed (guide rule 19) ...
        (
            "[Child 2]: played with the farm set, said 'moo' and 'again'.",
            "Child's voice",
            "observed",
        ),
        ("B - drew a rocket and 'my bed' with stars round it.", "Children's views", "observed"),
        ("Showed me her rabbit - 'my bunny'.", None, "observed"),
        # ... the child's views put into words stay theirs ...
        ("[Child 1] said she drew at her nan's all weekend.", "Child's voice", "self_reported"),
        ("B - 'I want to stay with mum'.", "Children's views", "self_reported"),
        # ... a past game told outside a views section is no scene the writer saw ...
        ("He played for the county under-12s last season.", None, "unknown"),
        # ... and what a grown-up shows the writer, or a line that goes on to tell what
        # happened, is an account, never play seen.
        ("[Mother] showed me the mark on her leg and said he kicked her.", None, "self_reported"),
        ("Showed me her wrist - said her uncle twisted it.", None, "unknown"),
        ("Dad showed me where she had scratched his face.", "Dad's views", "self_reported"),
    ],
)
def test_a_young_childs_play_seen_at_the_visit_is_observed(cues, sentence, heading, expected):
    context = RecordContext("Social Worker", "assessment", heading=heading)
    assert cues.classify(sentence, context).reliability == expected


def test_a_line_summing_up_worries_or_strengths_is_the_writers_judgement(cues):
    """ "Worries: ..." on one line is the writer's summary (a judgement); the lines under a
    "Worries" section heading are whatever each says."""
    context = RecordContext("Social Worker", "review")
    line = "Worries: money, the move and nobody to help at weekends."
    assert cues.classify(line, context).reliability == "assessment"
    under = RecordContext("Social Worker", "review", heading="Worries")
    assert cues.classify("Money tight since the move.", under).reliability != "assessment"
    # A list under such a label is the summary, whatever family words it lists.
    listed = "Strengths: dad says he keeps every appointment; good links with school."
    assert cues.classify(listed, context).reliability == "assessment"
    # A protective factor named by the worker is their judgement, in whatever record the
    # same line is copied to; in a clinician's letter it is what the patient told them.
    factor = "Protective factor: nan has the children every weekend."
    for record_type in ("assessment", "case_note"):
        context = RecordContext("Family Support Worker", record_type)
        assert cues.classify(factor, context).reliability == "assessment"
    letter = RecordContext("Consultant Psychiatrist", "clinic_letter")
    assert cues.classify(factor, letter).reliability == "self_reported"


@pytest.mark.parametrize(
    "line",
    [
        "If there is no progress by the next review, or the baby is left alone again - "
        "consider a strategy discussion.",
        "- if dad starts drinking again, nan will have the children.",
        "If school attendance falls below 80%, SW to convene a professionals meeting.",
    ],
)
def test_what_happens_if_is_the_writers_plan_not_anyones_account(cues, line):
    # Whoever the condition names (the baby, dad, the school), the line is the writer's
    # plan: never the child's or a parent's account.
    context = RecordContext("Social Worker", "assessment", heading="Plan")
    said = cues.classify(line, context)
    assert (said.reliability, said.source) == ("assessment", None)


def test_the_writers_note_of_whose_account_decides_whose_it_is(cues):
    """ "(X's account, Y agrees)" at the end of a line says whose account it is, whatever
    verb stands inside the note (a tester found the child's account shown as mum's)."""
    line = "Washing done by [Child 1] most days ([Child 1]'s account, mum agrees)."
    said = cues.classify(line, RecordContext("Social Worker", "closure_summary"))
    assert (said.reliability, said.source) == ("self_reported", "[Child 1]")


def test_a_town_taken_for_a_person_before_patrol_is_the_patrol(cues):
    """ "LOCATED BY [Person 13] PATROL" in a police log: the patrol found him (the town's
    placeholder is not the reporter)."""
    log = RecordContext("Detective Constable", "missing_person")
    said = cues.classify("LOCATED BY [Person 13] PATROL AT A FLAT AT 0610.", log)
    assert (said.reliability, said.label()) == ("observed", "patrol observed")


def test_a_field_name_taken_for_a_person_is_not_a_reporter(cues):
    """A form's field the pseudonymiser took for a person, before a note in brackets, is
    never "reported by" it; a person labelled so and quoted still speaks."""
    field = cues.classify(
        "[Person 3] (DfE category): physical assault against a pupil.",
        RecordContext("Headteacher", "exclusion"),
    )
    assert field.source is None and not field.label().startswith("reported by")
    quoted = cues.classify("[Person 3] (neighbour): 'they shout every night'.", SOCIAL)
    assert quoted.label() == "reported by [Person 3]"


def test_a_town_taken_for_a_person_does_not_speak_for_its_police(cues):
    """A place the pseudonymiser took for a person, before "police", names the force: the
    item is reported by police, never by the placeholder (re-identified, a town)."""
    said = cues.classify("[Child 1] located by [Person 13] police in a flat.", MINUTES)
    assert (said.reliability, said.label()) == ("third_party_allegation", "reported by police")


@pytest.mark.parametrize(
    ("sentence", "outcome"),
    [
        ("Officers attended and found the children safe and well.", True),
        ("The allegation was not substantiated.", True),
        ("No further action was taken by children's social care.", True),
        ("OUTCOME: WORDS OF ADVICE GIVEN, NO OFFENCES DISCLOSED.", True),
        ("Mum to be told the outcome after the meeting.", False),
        ("An earlier call in 2019 was NFA at that time.", False),
        ("[Mother] denies leaving them on their own.", True),
        ("The caller later withdrew her complaint.", True),
        ("Funding for the youth club was withdrawn in May.", False),
        ("You must tell every caller that the case is closed.", False),
        ("The referral was closed after checks.", True),
        ("A neighbour alleges the children are left alone.", False),
        ("The school raised a concern about his weight.", False),
        ("She enjoys drawing and swimming.", False),
    ],
)
def test_outcome_sentences(cues, sentence, outcome):
    assert cues.is_outcome(sentence) is outcome


def test_denial_is_marked_disputed():
    assert is_disputed(
        "An ex-partner alleges [Mother] is using heroin again - [Mother] denies this."
    )
    assert not is_disputed("[Mother] engages well with services.")


@pytest.mark.parametrize(
    ("sentence", "swapped"),
    [
        (
            "Caller (female, 40) reported her partner throwing plates.",
            "Caller (male, 40) reported his partner throwing plates.",
        ),
        ("The boy was quiet and clung to his nan.", "The girl was quiet and clung to her grandad."),
    ],
)
def test_labels_do_not_follow_gender(shared_embedder, sentence, swapped):
    """The family's genders do not change the cues ("Caller (male, 31)" is still the
    caller)."""
    classifier = ReliabilityClassifier(CachedEmbedder(shared_embedder))
    for context in (SOCIAL, HEALTH, POLICE):
        assert (
            classifier.classify(sentence, context).reliability
            == classifier.classify(swapped, context).reliability
        )


# --- allegations keep their outcome ---------------------------------------------------------


class _FirstSentencesAnswer:
    """A RelevanceModel stand-in (the Protocol at the assistant's boundary): the sentences
    containing ``word`` answer, every other sentence is unrelated, so the test is about
    what the generator adds around the chosen sentences, not about relevance."""

    def __init__(self, word: str) -> None:
        self._word = word

    def score(self, question: str, candidates: Sequence[Candidate]) -> list[Scored]:
        out = []
        for c in candidates:
            hit = self._word in c.text.lower()
            out.append(
                Scored(
                    relevance=1.0 if hit else 0.0,
                    record_relevance=0.9,
                    similarity=0.8 if hit else 0.1,
                    lexical=1.0 if hit else 0.0,
                    evidence=hit,
                )
            )
        return out


def _source(
    n: int,
    record: str,
    text: str,
    *,
    role: str = "Social Worker",
    kind: str = "case_note",
    when: date = date(2024, 2, 3),
) -> NumberedSource:
    return NumberedSource(
        n,
        RetrievedChunk(
            chunk_id=f"{record}:{n}",
            source_system="POLICE",
            record_id=record,
            record_type=kind,
            occurred_at=when,
            title="Incident",
            text=text,
            source_url=f"https://example.invalid/{record}",
            author_role=role,
        ),
    )


ALLEGATION_NOTE = (
    "Call from a neighbour alleging the two children had been left alone overnight. "
    "The weather was cold and wet. "
    "Officers attended at 22:10 and found both children asleep with their grandmother "
    "looking after them. "
    "The allegation was recorded as not substantiated and no further action taken."
)


#: A log of one call: the outcome comes long after the allegation.
FAR_OUTCOME_NOTE = (
    "Call from a neighbour alleging a toddler was left alone in the flat. "
    "Graded as urgent. Units en route. Door answered by an older sibling. "
    "Lights on in every room. The television was loud. A cat was in the hallway. "
    "Two bikes were in the hall. The heating was on. Coats hung by the door. "
    "Toddler safe and well, no injuries, mother home within minutes. "
    "Mother denies leaving the toddler at any time."
)


@pytest.mark.parametrize(
    ("kind", "note", "expect"),
    [
        # In a record of one event, its outcome is the allegation's, however far on ...
        ("incident", FAR_OUTCOME_NOTE, 2),
        # ... in a long case note, a finding ten sentences on may be about anything else.
        ("case_note", FAR_OUTCOME_NOTE, 0),
    ],
)
def test_one_event_record_keeps_a_distant_outcome(shared_embedder, kind, note, expect):
    words = CachedEmbedder(shared_embedder)
    generator = ExtractiveGenerator(words, relevance=_FirstSentencesAnswer("alleging"))
    drafts = list(generator.generate("Any allegation?", [_source(1, "R1", note, kind=kind)]))
    outcomes = [d.text for d in drafts if d.outcome]
    assert len(outcomes) == expect
    if expect:
        # The finding first, then the parent's denial, side by side under the claim.
        assert outcomes[0].startswith("Toddler safe and well")
        assert outcomes[1].startswith("Mother denies")


#: A log of one call whose parties' steps come before how it ended.
ENDED_NOTE = (
    "Call from a neighbour alleging a man was hitting a woman in the flat. "
    "Officers attended. The woman does not wish to make a complaint. "
    "The man was not arrested. "
    "Both matters NFA, the victim does not support a prosecution."
)
#: A log whose check recalls an earlier matter with that matter's own outcome.
EARLIER_NOTE = (
    "Call from a neighbour alleging shouting at the address. "
    "Checks: a verbal domestic in 2019 at a previous address between mother and an ex-partner. "
    "NFA at that time. "
    "Officers attended and found the children safe and well."
)
#: A school log whose decision about everything it raised comes well after the concern.
DECIDED_NOTE = (
    "Concern raised by the form tutor about a comment the pupil made in registration. "
    "The pupil was seen in the library. She was quiet. She talked about her weekend. "
    "She has a new puppy. Her friends were with her. She ate her lunch. "
    "Her brother plays football. The bell went at one. She went to maths. "
    "Kept as a consultation; no referral needed."
)


@pytest.mark.parametrize(
    ("kind", "note", "word", "expected"),
    [
        # In a log of one event the last findings are how it ended ...
        ("incident", ENDED_NOTE, "alleging", "Both matters NFA"),
        # ... a claim that recalls an earlier matter takes that matter's outcome only ...
        ("incident", EARLIER_NOTE, "2019", "NFA at that time."),
        # ... and a decision about the whole record resolves its concern, however far on.
        ("dsl_note", DECIDED_NOTE, "concern raised", "Kept as a consultation"),
    ],
)
def test_the_outcome_shown_is_how_the_matter_ended(shared_embedder, kind, note, word, expected):
    generator = ExtractiveGenerator(
        CachedEmbedder(shared_embedder), relevance=_FirstSentencesAnswer(word.lower())
    )
    drafts = list(generator.generate("What happened?", [_source(1, "R1", note, kind=kind)]))
    outcomes = [d.text for d in drafts if d.outcome]
    assert any(o.startswith(expected) for o in outcomes)
    if word == "2019":
        assert outcomes == ["NFA at that time."]  # never today's "safe and well"


@pytest.mark.parametrize(
    ("notes", "expect_outcomes"),
    [
        # The allegation comes with the same record's outcome sentences, in order.
        ([ALLEGATION_NOTE], 2),
        # A note with no outcome recorded adds nothing.
        (["Call from a neighbour alleging the children were alone. The weather was cold."], 0),
        # A denial about something else in the same note is not this claim's outcome.
        (
            [
                "Call from a neighbour alleging the children were alone. "
                "She denies smoking in the flat."
            ],
            0,
        ),
        # Another record's outcome is never borrowed.
        (
            [
                "Call from a neighbour alleging the children were alone. The weather was cold.",
                "Officers attended a different address and found no one at home.",
            ],
            0,
        ),
    ],
)
def test_allegation_is_shown_with_its_recorded_outcome(shared_embedder, notes, expect_outcomes):
    words = CachedEmbedder(shared_embedder)
    generator = ExtractiveGenerator(words, relevance=_FirstSentencesAnswer("alleging"))
    sources = [_source(n, f"R{n}", text) for n, text in enumerate(notes, start=1)]
    drafts = list(generator.generate("Was there an allegation?", sources))
    claim = next(i for i, d in enumerate(drafts) if "alleging" in d.text)
    assert drafts[claim].reliability == "third_party_allegation"
    assert drafts[claim].provenance == "neighbour's allegation"
    outcomes = [d for d in drafts if d.outcome]
    assert len(outcomes) == expect_outcomes
    # Outcomes follow their claim directly, cite its record, and are whole sentences.
    assert [d.outcome for d in drafts[claim + 1 : claim + 1 + expect_outcomes]] == [
        True
    ] * expect_outcomes
    for d in outcomes:
        assert d.citations == drafts[claim].citations
        assert d.text in notes[0]
    assert not any("weather" in d.text for d in outcomes)


@pytest.mark.parametrize("wording", ALLEGATION_OUTCOMES)
def test_estate_allegations_are_shown_with_their_outcome(shared_embedder, wording):
    """Each way the estate generator words an allegation's outcome reaches the answer
    with the allegation: in its own sentence or directly under it."""
    words = CachedEmbedder(shared_embedder)
    classifier = ReliabilityClassifier(words)
    generator = ExtractiveGenerator(
        words, relevance=_FirstSentencesAnswer("alleges"), reliability=classifier
    )
    note = (
        "Home visit. Third party allegation (cannabis): an anonymous caller alleges [Mother] "
        "smokes cannabis in front of the children - [Mother]" + wording
    )
    drafts = list(generator.generate("Any allegations?", [_source(1, "R1", note)]))
    claim = next(i for i, d in enumerate(drafts) if "alleges" in d.text)
    resolved = classifier.is_outcome(drafts[claim].text) or (
        claim + 1 < len(drafts) and drafts[claim + 1].outcome
    )
    assert resolved


# --- accounts of one event, side by side ------------------------------------------------------

HOME_ALONE_LOG = (
    "Call from a neighbour alleging the two children were left alone all evening while "
    "their mother was at the pub. "
    "Officers attended and found both children safe and well. "
    "[Child 1] told officers that mum had gone to the corner shop."
)


def _accounts(shared_embedder, notes: list[tuple[str, str, date, str]]) -> list:
    words = CachedEmbedder(shared_embedder)
    generator = ExtractiveGenerator(words, relevance=_FirstSentencesAnswer("alleging"))
    sources = [
        _source(n, record, text, kind=kind, when=when)
        for n, (record, kind, when, text) in enumerate(notes, start=1)
    ]
    return list(generator.generate("Was it true the children were left alone?", sources))


def test_other_accounts_of_the_event_sit_under_the_allegation(shared_embedder):
    drafts = _accounts(
        shared_embedder,
        [
            ("POL-1", "incident", date(2024, 2, 3), HOME_ALONE_LOG),
            (
                "LCS-1",
                "case_note",
                date(2024, 2, 6),
                "Home visit after the police notification. "
                "[Mother] told me she was out for twenty minutes and the children were "
                "never alone all evening.",
            ),
            (
                "LCS-2",
                "assessment",
                date(2024, 4, 20),
                "Re 03/02: [Father] says he was at the flat with the children that night.",
            ),
        ],
    )
    texts = [d.text for d in drafts]
    claim = next(i for i, t in enumerate(texts) if "alleging" in t)
    block = drafts[claim + 1 :]
    accounts = [d for d in block if d.account]
    # The police finding is the outcome; the child's, mother's and father's versions are
    # other accounts, each cited to its own record and named as whose account it is.
    assert [d.outcome for d in block[:1]] == [True]
    assert {d.source for d in accounts} == {"[Child 1]", "[Mother]", "[Father]"}
    assert all(d.kind == "fact" and d.reliability == "self_reported" for d in accounts)
    assert {d.citations for d in accounts} == {(1,), (2,), (3,)}
    mother = next(d for d in accounts if d.source == "[Mother]")
    assert mother.provenance == "[Mother]'s account"
    assert mother.occurred_at == date(2024, 2, 6)
    # They follow the event directly, before any other item.
    under = drafts[claim + 1 : claim + 1 + 1 + len(accounts)]
    assert all(d.outcome or d.account for d in under)


@pytest.mark.parametrize(
    "other",
    [
        # Another event: months later, no date of the call named.
        ("LCS-1", "case_note", date(2024, 9, 1), "[Mother] told me she was at the pub."),
        # The same week but about something else (no words of the event in common).
        ("SCH-1", "dsl_note", date(2024, 2, 5), "[Child 2] said he lost his reading book."),
        # An opinion about the event is not an account of it.
        (
            "LCS-2",
            "assessment",
            date(2024, 2, 8),
            "I consider the children were left alone all evening and the pub visit likely.",
        ),
        # Who was at a meeting about the evening is not anyone's account of it.
        (
            "LCS-3",
            "strategy_discussion",
            date(2024, 2, 4),
            "Present: [Mother], [Child 1], police for the children left alone that evening.",
        ),
    ],
)
def test_unrelated_sentences_are_not_shown_as_accounts(shared_embedder, other):
    drafts = _accounts(
        shared_embedder, [("POL-1", "incident", date(2024, 2, 3), HOME_ALONE_LOG), other]
    )
    accounts = [d for d in drafts if d.account]
    # Only the log's own other account: the child's words to the officers.
    assert [d.source for d in accounts] == ["[Child 1]"]
    assert all(d.citations == (1,) for d in accounts)


def test_rendered_answer_shows_accounts_under_their_event():
    from assistant.contracts import Answer, AnswerSentence
    from assistant.render import render_answer

    answer = Answer(
        answer_id="a1",
        question="q",
        sentences=[
            AnswerSentence(
                text="A neighbour reported the toddler left on her own.",
                citations=[1],
                occurred_at=date(2024, 2, 3),
                provenance="neighbour's allegation",
            ),
            AnswerSentence(
                text="Mum says she was out for twenty minutes.",
                citations=[2],
                occurred_at=date(2024, 2, 6),
                provenance="mum's account",
                account=True,
            ),
        ],
    )
    lines = render_answer(answer).splitlines()
    assert lines[1].startswith("- 2024-02-03: A neighbour reported")
    assert lines[2] == (
        "    other account, 2024-02-06: Mum says she was out for twenty minutes. [2]"
        "  (mum's account)"
    )


def test_a_persons_own_denial_reads_as_a_denial_not_a_disputed_record():
    from assistant.contracts import Answer, AnswerSentence
    from assistant.render import render_answer

    answer = Answer(
        answer_id="a2",
        question="q",
        sentences=[
            AnswerSentence(
                text="A caller alleged dad was drunk; mum disputes this.",
                citations=[1],
                occurred_at=date(2024, 5, 1),
                reliability="third_party_allegation",
                provenance="caller's allegation",
                disputed=True,
            ),
            AnswerSentence(
                text="Dad denies drinking that day.",
                citations=[2],
                occurred_at=date(2024, 5, 2),
                reliability="self_reported",
                provenance="dad's account",
                disputed=True,
            ),
        ],
    )
    lines = render_answer(answer).splitlines()
    assert lines[1].endswith("(caller's allegation (disputed in the record))")
    assert lines[2].endswith("(dad's account, a denial)")


def test_history_answer_is_dated_and_chronological(real_stack):
    with real_stack.service() as service:
        answer = service.ask(
            real_stack.principal("demo-social-worker"),
            real_stack.family("FAM-00001"),
            DEMO_QUESTION,
        )
    facts = [s for s in answer.sentences if s.kind == "fact" and s.supported]
    assert len(facts) >= 2
    # Items in date order; another record's account of an item's event sits under it.
    dates = [s.occurred_at for s in facts if not s.account]
    assert None not in dates and dates == sorted(dates)
    assert all(
        s.reliability
        in {"observed", "self_reported", "third_party_allegation", "assessment", "unknown"}
        for s in facts
    )
    assert len(facts) <= 12  # a short chronology, not a wall of text
    # The same event recorded by several systems is one sentence citing all of them.
    assert any(len(s.citations) > 1 for s in facts)


#: A long assessment: a concern, and later a line about another matter of its own year.
OTHER_MATTER_NOTE = (
    "Concern raised by the health visitor about untreated tooth decay. "
    "No dentist registered. "
    "Police called out once in 2018 (shouting heard, NFA)."
)


def test_a_dated_other_matter_is_not_the_outcome_of_a_concern(shared_embedder):
    """An "NFA" that belongs to an incident of another year is not how today's concern
    about teeth ended."""
    words = CachedEmbedder(shared_embedder)
    generator = ExtractiveGenerator(words, relevance=_FirstSentencesAnswer("concern"))
    drafts = list(generator.generate("teeth?", [_source(1, "R1", OTHER_MATTER_NOTE)]))
    assert not [d.text for d in drafts if d.outcome]


def test_a_line_in_a_later_chunk_is_read_under_its_section_heading(shared_embedder):
    """A long record is indexed in several chunks; a line whose section heading fell into
    the chunk before keeps it (the chunk's ``lead_in``), as the record reads."""
    from datetime import UTC, datetime

    from retrieval.index.chunking import RecordChunker
    from retrieval.pseudonymised import PseudonymisedRecord

    filler = (
        "The family's situation was discussed at length with the team around the family, "
        "covering housing, money, health appointments, the children's friendships and the "
        "support that the extended family are able to offer on weekdays and at weekends."
    )
    target = "Mum has taken both children to school on time every day since the half term."
    text = "\n".join(["Assessment of need", "Analysis", *[filler] * 7, target, "End of record."])
    record = PseudonymisedRecord(
        source_system="LCS",
        record_id="A-1",
        record_type="assessment",
        occurred_at=date(2024, 5, 1),
        recorded_at=datetime(2024, 5, 1, tzinfo=UTC),
        sensitivity="standard",
        title="Child and family assessment",
        text=text,
        source_url="https://example.invalid/A-1",
        author_role="Social Worker",
    )
    chunks = RecordChunker().chunk(record)
    assert len(chunks) > 1 and "Analysis" not in chunks[-1].payload["text"]
    assert "Analysis" in chunks[-1].payload["lead_in"]
    sources = [
        NumberedSource(
            n,
            RetrievedChunk(
                chunk_id=chunk.id,
                source_system="LCS",
                record_id="A-1",
                record_type="assessment",
                occurred_at=date(2024, 5, 1),
                title=record.title,
                text=str(chunk.payload["text"]),
                source_url=record.source_url,
                author_role="Social Worker",
                lead_in=str(chunk.payload["lead_in"]),
            ),
        )
        for n, chunk in enumerate(chunks, start=1)
    ]
    words = CachedEmbedder(shared_embedder)
    generator = ExtractiveGenerator(words, relevance=_FirstSentencesAnswer("half term"))
    drafts = [d for d in generator.generate("Getting to school?", sources) if d.text == target]
    # Under "Analysis", the writer's judgement: as the record reads, not as the chunk does.
    assert drafts and drafts[0].reliability == "assessment"
