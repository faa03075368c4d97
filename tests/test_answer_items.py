"""Which sentences a history answer shows as items and as other accounts of an event:
never a heading that only identifies its subject or a list of who was there (unless the
question asks for it), never the same line twice, and, of a log of one event, only the
accounts of that event (not what it recalls of earlier matters, nor a party's answers to
a risk assessment).

Every sentence is synthetic, written for these tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import pytest

from assistant.accounts import (
    AccountSettings,
    identifies_only,
    names_a_section,
    repeats_title,
    side_by_side,
)
from assistant.contracts import NumberedSource, RetrievedChunk
from assistant.embedder import CachedEmbedder
from assistant.generators.extractive import ExtractiveGenerator
from assistant.relevance import Candidate, Scored
from assistant.reliability import Provenance, RecordContext
from assistant.text import content_words


@pytest.mark.parametrize(
    ("sentence", "heading"),
    [
        ("Present: mum, nan, the allocated social worker and the school nurse.", True),
        ("Apologies - GP, health visitor.", True),
        ("Re: [Child 2]  DOB [DOB: Child 2, aged 8-9]  NHS No: [NHS number: Child 2]", True),
        ("Patient: [Child 1]  D.O.B. [Date of birth: Child 1]  Ward 3", True),
        ("CUSTODY RECORD  REF [Case reference 7]", True),
        # Somebody's words after the label, a fact with a reference, a birth history.
        ("Not present: dad - mum says he is on a course this week.", False),
        ("Referral sent to the duty team 04/05 09.10 (ref [Case reference 2]).", False),
        ("Born [Date of birth: Child 1] at 31 weeks, in the neonatal unit for a month.", False),
        (
            "[Child 1] seen with mum; weight below the 2nd centile, NHS No [NHS number: Child 1]"
            " checked, referred to the dietitian and the community paediatrician.",
            False,
        ),
    ],
)
def test_a_heading_that_only_identifies_or_lists_who_was_there(sentence, heading):
    assert identifies_only(sentence) is heading


def _one_record(
    record_id: str, text: str, *, system: str, kind: str, title: str, when: date, role: str
) -> NumberedSource:
    """Source 1: the whole of one record, as retrieval hands it over."""
    return NumberedSource(
        1,
        RetrievedChunk(
            chunk_id=f"{record_id}:0",
            source_system=system,
            record_id=record_id,
            record_type=kind,
            occurred_at=when,
            title=title,
            text=text,
            source_url=f"https://example.invalid/{record_id}",
            author_role=role,
        ),
    )


class _Answers:
    """Every sentence containing ``phrase`` answers; no other does."""

    def __init__(self, phrase: str) -> None:
        self._phrase = phrase.lower()

    def score(self, question: str, candidates: Sequence[Candidate]) -> list[Scored]:
        hit = [self._phrase in c.text.lower() for c in candidates]
        return [
            Scored(
                relevance=1.0 if h else 0.2,
                record_relevance=0.9,
                similarity=0.8 if h else 0.1,
                lexical=1.0 if h else 0.0,
                evidence=h,
            )
            for h in hit
        ]


MEETING = (
    "Present: mum, nan, the allocated social worker and the school nurse. "
    "Mum said the boiler has been fixed and the house is warm again. "
    "Nan now collects the children from school on Tuesdays."
)


@pytest.mark.parametrize(
    ("question", "an_item"),
    [("What has happened at home?", False), ("Who attended the meeting?", True)],
)
def test_a_list_of_who_was_there_is_an_item_only_when_asked(shared_embedder, question, an_item):
    source = _one_record(
        "R1",
        MEETING,
        system="LCS",
        kind="meeting",
        title="Network meeting",
        when=date(2024, 2, 3),
        role="Social Worker",
    )
    # Every line answers as far as relevance goes; the heading is an item only when asked.
    generator = ExtractiveGenerator(CachedEmbedder(shared_embedder), relevance=_Answers(""))
    facts = [d.text for d in generator.generate(question, [source]) if d.kind == "fact"]
    assert "Mum said the boiler has been fixed and the house is warm again." in facts
    assert (MEETING.split(". ")[0] + "." in facts) is an_item


@dataclass
class _Line:
    text: str
    record: str
    when: date
    context: RecordContext
    evidence: bool = True

    @property
    def words(self) -> set[str]:
        return content_words(self.text)


_DAY = date(2024, 6, 1)
_LOG = RecordContext("Police Constable", "incident")


def _accounts_under(claim: _Line, pool: list[_Line], who: dict[str, str]) -> list[str]:
    def classify(lines: list[_Line]) -> list[Provenance]:
        return [Provenance("self_reported", who.get(line.text)) for line in lines]

    out = side_by_side(
        [(claim, Provenance("third_party_allegation", "caller"), False)],
        pool,
        classify=classify,
        is_claim=lambda text, prov: text == claim.text,
        title=lambda line: "",
    )
    return [line.text for line, _, role in out if role == "account"]


def test_a_log_of_one_event_gives_only_that_events_accounts():
    claim = _Line("CALLER STATES SHOUTING NEXT DOOR AND A CHILD SCREAMING.", "P:1", _DAY, _LOG)
    argued = _Line("MALE STATES THEY ARGUED ABOUT THE RENT, NOBODY WAS HURT.", "P:1", _DAY, _LOG)
    earlier = _Line("BOTH DENY ANY PREVIOUS INCIDENTS AT THE ADDRESS.", "P:1", _DAY, _LOG)
    risk = _Line(
        "FEMALE DISCLOSED HE READS HER MESSAGES EVERY NIGHT.",
        "P:1",
        _DAY,
        RecordContext("Police Constable", "incident", ("RISK ASSESSMENT COMPLETED - MEDIUM.",)),
    )
    shown = _accounts_under(claim, [argued, earlier, risk], {argued.text: "male"})
    assert shown == [argued.text]


def test_a_claim_recalling_an_earlier_matter_gathers_only_that_matters_accounts():
    claim = _Line(
        "CHECKS SHOW TWO PREVIOUS DOMESTICS AT THE ADDRESS (2019, 2021).", "P:1", _DAY, _LOG
    )
    argued = _Line("MALE STATES THEY ARGUED ABOUT THE RENT, NOBODY WAS HURT.", "P:1", _DAY, _LOG)
    earlier = _Line("BOTH DENY ANY PREVIOUS INCIDENTS AT THE ADDRESS.", "P:1", _DAY, _LOG)
    shown = _accounts_under(claim, [argued, earlier], {argued.text: "male", earlier.text: "both"})
    assert shown == [earlier.text]


def test_the_same_line_split_twice_is_one_account():
    claim = _Line("NEIGHBOUR ALLEGES THE BOY WAS LOCKED OUT ALL NIGHT.", "P:2", _DAY, _LOG)
    visit = RecordContext("Social Worker", "home_visit")
    whole = _Line(
        "Boy says he was locked out all night. He slept in the shed with the dog.",
        "L:7",
        _DAY,
        visit,
    )
    split = _Line("Boy says he was locked out all night.", "L:7", _DAY, visit)
    mum = _Line(
        "Mum says he was never locked out, he stayed the night at a friend's.", "L:8", _DAY, visit
    )
    shown = _accounts_under(claim, [whole, split, mum], {whole.text: "boy", split.text: "boy"})
    assert shown.count(whole.text) + shown.count(split.text) == 1
    assert mum.text in shown


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("Grandparents' views (seen at home, both present)", True),
        ("People at home / visitors", True),
        ("Next steps", True),
        ("Strengths", True),
        ("Dad's history and account", True),
        ("Young person's voice", True),
        ("Support offered (her words, dad agreed):", True),
        # A terse fact, a history of something, a sentence ending in a section word.
        ("Bruise left shin approx 3cm", False),
        ("History of falls at nursery", False),
        ("Dad gave his views", False),
        ("No concerns", False),
        ("Strengths: mum is warm with the baby.", False),
        ("Mum confirmed the account", False),
        ("She told the nurse she had been pushed twice last week and was frightened:", False),
        # A curled apostrophe, as word processors write it, is an apostrophe ...
        ("Dad’s history and account", True),
        # ... and a line leading in to what someone reported is their account, its list
        # too: an allegation that keeps its outcome.
        ("Nursery reported worries about marks on his legs:", False),
        ("Mum disclosed that her ex:", False),
    ],
)
def test_a_sections_heading(line, heading):
    assert names_a_section(line) is heading


def test_a_sections_heading_is_never_an_item(shared_embedder):
    note = (
        "Grandparents' views (seen at home, both present) "
        "Nan said the boys are settled and sleeping through."
    )
    source = _one_record(
        "R3",
        note.replace(") ", ")\n"),
        system="EHM",
        kind="review",
        title="Review",
        when=date(2024, 4, 5),
        role="Family Support Worker",
    )
    generator = ExtractiveGenerator(CachedEmbedder(shared_embedder), relevance=_Answers(""))
    facts = [d.text for d in generator.generate("What did the grandparents say?", [source])]
    assert "Nan said the boys are settled and sleeping through." in facts
    assert not any(text.startswith("Grandparents' views") for text in facts)


@pytest.mark.parametrize(
    ("line", "title", "repeats"),
    [
        ("FIXED TERM SUSPENSION - [Child 1], Y8 (8R)", "Fixed term suspension - [Child 1]", True),
        ("CHILD PROTECTION CONFERENCE (initial)", "Child protection conference - [Child 2]", True),
        ("Suspension extended to five days", "Fixed term suspension - [Child 1]", False),
        ("Fixed term suspension upheld", "Fixed term suspension - [Child 1]", False),
        ("Fixed term suspension - [Child 1].", "Fixed term suspension - [Child 1]", False),
    ],
)
def test_a_line_that_gives_the_records_title_again(line, title, repeats):
    assert repeats_title(line, title) is repeats


def test_the_records_title_again_is_never_an_item(shared_embedder):
    source = _one_record(
        "R4",
        "FIXED TERM SUSPENSION - [Child 1], Y8 (8R)\n"
        "Suspended for three days after throwing a chair in the science lab.",
        system="SCHOOL",
        kind="exclusion",
        title="Fixed term suspension - [Child 1]",
        when=date(2024, 1, 9),
        role="Headteacher",
    )
    generator = ExtractiveGenerator(CachedEmbedder(shared_embedder), relevance=_Answers(""))
    facts = [d.text for d in generator.generate("Has he been suspended?", [source])]
    assert "Suspended for three days after throwing a chair in the science lab." in facts
    assert not any(text.startswith("FIXED TERM") for text in facts)


# --- accounts beside each other in a record of many matters -------------------------------

_MUM = "Mum says the lodger moved out in March and has not been back."
_BOY = "[Child 1] told me the lodger still sleeps on the sofa some nights."
_TIDY = "Kitchen clean, food in the fridge."
_DOG = "Dog shut in the garden during the visit."
_WAGES = "Mum says dad took her wages every week and kept the bank card."
_DENIES_WAGES = "Dad denies taking her wages - 'she spends it all herself'."
_DENIES_SMOKING = "Dad denies smoking in the house."
_BIKE = "[Child 1] said he fell off his bike at the park."
_NURSE = "School nurse noted fingertip bruising to both upper arms."
_CHEEK = "[Child 2] rubbing his cheek saying 'my mouth is sore'."
_SWELLING = "Obvious swelling to the left cheek"
_ADMITS = "Dad admits he still has a key to the flat."
_NOTIFIED = "Police notification received 06/03 (children left alone at home 05/03)."
_SAME_DAY = "Re 05/03: says she was out for twenty minutes at the shop."
_OTHER_DAY = "Re 09/03: says the heating is fixed."
_CLINIC = "She came to the clinic with her aunt; mum could not attend as she was at work."
_PUT_TO_MUM = "Put this to mum - she said he has stayed 'a couple of times, after the pub'."
_ASKED_DAD = "When asked about this, dad said he only ever used it for fuel."
_PLAN_WITH_MUM = "Discussed with mum - a plan for the summer holidays."
_TEMPER = "Accepts he loses his temper at times."
_NIGHTS = "Works nights at the depot."
_GAVE_BACK = "Says he gave her the wages back at Christmas."
_WELL = "Says the children are doing well at school."
#: Whose account each line is, as the classifier would say (the rest: the writer's own).
_WHO = {
    _MUM: Provenance("self_reported", "mum"),
    _PUT_TO_MUM: Provenance("self_reported", "mum"),
    _ASKED_DAD: Provenance("self_reported", "dad"),
    _TEMPER: Provenance("self_reported", "dad"),
    _GAVE_BACK: Provenance("self_reported", "dad"),
    _WELL: Provenance("self_reported", "dad"),
    _CLINIC: Provenance("self_reported", "mum"),
    _BOY: Provenance("self_reported", "[Child 1]"),
    "Nan confirms she has seen him there at weekends.": Provenance("self_reported", "nan"),
    "[Child 2] said he likes his new teacher.": Provenance("self_reported", "[Child 2]"),
    "Smoking: says she has cut down to five a day.": Provenance("self_reported", "mum"),
    "Risk: [Child 2] says he has been told to keep secrets.": Provenance(
        "self_reported", "[Child 2]"
    ),
    "([Child 1] tells us he has a new phone number - please update your records.)": Provenance(
        "self_reported", "[Child 1]"
    ),
    _WAGES: Provenance("self_reported", "mum"),
    _DENIES_WAGES: Provenance("self_reported", "dad"),
    _DENIES_SMOKING: Provenance("self_reported", "dad"),
    _BIKE: Provenance("self_reported", "[Child 1]"),
    _NOTIFIED: Provenance("third_party_allegation", "police"),
    _SAME_DAY: Provenance("self_reported", "mum"),
    _OTHER_DAY: Provenance("self_reported", "mum"),
    _ADMITS: Provenance("self_reported", "dad"),
    _CHEEK: Provenance("self_reported", "[Child 2]"),
}


#: A line nobody's account is the writer's own.
_WRITERS = Provenance("observed")


def _beside(
    lines: list[str],
    claim_at: int,
    *,
    unknown: Provenance = _WRITERS,
    same_matter: Callable[[_Line, _Line, float], bool] | None = None,
) -> list[str]:
    """The other accounts shown under line ``claim_at`` of a review (no allegation: a
    party's own account), every line of the review retrieved; a line ``_WHO`` does not
    know is ``unknown``'s, and ``same_matter`` stands in for the generator's MiniLM."""
    made = [
        _Line(text, "L:1", _DAY, RecordContext("Social Worker", "review", tuple(lines[:i][-3:])))
        for i, text in enumerate(lines)
    ]
    claim = made[claim_at]
    out = side_by_side(
        [(claim, _WHO.get(claim.text, unknown), False)],
        [line for line in made if line is not claim],
        classify=lambda ls: [_WHO.get(line.text, unknown) for line in ls],
        is_claim=lambda text, prov: False,
        title=lambda line: "Review",
        same_matter=same_matter,
    )
    return [line.text for line, _, role in out if role == "account"]


@pytest.mark.parametrize(
    ("lines", "claim_at", "shown"),
    [
        # The next line gives another person's version: side by side, either way round.
        ([_MUM, _BOY, _TIDY], 0, [_BOY]),
        ([_MUM, _BOY, _TIDY], 1, [_MUM]),
        # Three lines on, confirming it; three lines on, about something else.
        (
            [_MUM, _TIDY, _DOG, "Nan confirms she has seen him there at weekends."],
            0,
            ["Nan confirms she has seen him there at weekends."],
        ),
        ([_MUM, _TIDY, _DOG, "[Child 2] said he likes his new teacher."], 0, []),
        # A new item of a list, or a new field of a form, starts another matter.
        ([_MUM, "- School: attendance 91% this term.", _BOY], 0, []),
        (
            [
                "Smoking: says she has cut down to five a day.",
                "CO reading 12 ppm.",
                "Risk: [Child 2] says he has been told to keep secrets.",
            ],
            2,
            [],
        ),
        # Further on in the record, only an answer on the same matter: a denial of the
        # wages, not of something else.
        ([_WAGES, _TIDY, _DOG, "Dad's view", _TIDY, _DENIES_WAGES], 0, [_DENIES_WAGES]),
        ([_WAGES, _TIDY, _DOG, "Dad's view", _TIDY, _DENIES_SMOKING], 0, []),
        ([_MUM, _TIDY, _DOG, _ADMITS], 0, [_ADMITS]),
        # The matter put to a party and what they then said: their answer to the line
        # before, under it and under their own earlier account (a further account of the
        # same matter); never a plan made with them.
        ([_MUM, _BOY, _PUT_TO_MUM], 1, [_MUM, _PUT_TO_MUM]),
        ([_MUM, _BOY, _PUT_TO_MUM], 0, [_BOY, _PUT_TO_MUM]),
        ([_WAGES, _ASKED_DAD], 0, [_ASKED_DAD]),
        ([_MUM, _BOY, _PLAN_WITH_MUM], 0, [_BOY]),
        # A party's account goes on over the next lines of their section, subject dropped:
        # an admission on the next line, and a later line on the same matter; never a line
        # on another matter, next or not.
        (
            [_WAGES, _TIDY, "Dad's view", _DENIES_WAGES, _TEMPER, _NIGHTS, _GAVE_BACK, _WELL],
            0,
            [_DENIES_WAGES, _TEMPER, _GAVE_BACK],
        ),
        (
            [_WAGES, _TIDY, "Dad's view", _DENIES_WAGES, "Denies using cannabis."],
            0,
            [_DENIES_WAGES],
        ),
        # Further on, a line naming the day the event happened is of that event.
        ([_NOTIFIED, _TIDY, _DOG, "Dad's view", _TIDY, _SAME_DAY], 0, [_SAME_DAY]),
        ([_NOTIFIED, _TIDY, _DOG, "Dad's view", _TIDY, _OTHER_DAY], 0, []),
        # A party's explanation has no outcome of its own: a professional's finding beside
        # it stands with it, the writer's other observations do not.
        ([_BIKE, _NURSE], 0, [_NURSE]),
        ([_BIKE, _DOG], 0, []),
        ([_CHEEK, _SWELLING], 0, [_SWELLING]),
        # A note to the letter's reader is nobody's account of it.
        (
            ["([Child 1] tells us he has a new phone number - please update your records.)", _MUM],
            1,
            [],
        ),
    ],
)
def test_a_partys_account_gathers_the_other_accounts_beside_it(lines, claim_at, shown):
    assert _beside(lines, claim_at) == shown


REVIEW_LIST = (
    "Since the last review\n"
    "- 14/05/24 - window of the flat smashed overnight (police ref 240514-0031).\n"
    "Mum also reports a van parked outside most evenings.\n"
    "Mum frightened.\n"
    "[Child 1] says that had nothing to do with his mates.\n"
    "- School attendance up to 93% this term."
)


def test_an_incident_with_a_police_reference_is_shown_with_the_accounts_beside_it(
    shared_embedder,
):
    source = _one_record(
        "R2",
        REVIEW_LIST,
        system="LCS",
        kind="review",
        title="CIN review",
        when=date(2024, 6, 3),
        role="Social Worker",
    )
    generator = ExtractiveGenerator(CachedEmbedder(shared_embedder), relevance=_Answers("smashed"))
    drafts = list(generator.generate("What happened at the flat?", [source]))
    at = next(i for i, d in enumerate(drafts) if "smashed" in d.text)
    accounts = [d.text for d in drafts[at + 1 :] if d.account]
    # The incident the police logged is a claim: the boy's word on it stands under it.
    assert "[Child 1] says that had nothing to do with his mates." in accounts
    # The next item of the list is another matter.
    assert not any("attendance" in t for t in accounts)


# --- only accounts of the same matter beside it --------------------------------------------

_TEACHER = "[Child 2] said he likes his new teacher."
_STILL = "[Child 2] told me privately that he still sees him on Saturdays."
_CONSENTS = "[Child 1] agreed her form tutor may be told she goes to the clinic."
#: The same matter in other words, as MiniLM would find it (no word in common).
_CLOSE = {(_MUM, _TEACHER)}


def _close_in_meaning(a: _Line, b: _Line, margin: float) -> bool:
    """The generator's MiniLM similarity, as it would find the ``_CLOSE`` pairs."""
    return (a.text, b.text) in _CLOSE or (b.text, a.text) in _CLOSE


@pytest.mark.parametrize(
    ("lines", "claim_at", "shown"),
    [
        # The next line is somebody else's word on another matter: not beside it in meaning.
        ([_MUM, "[Child 1] says he only wants to play football."], 0, []),
        ([_MUM, "Nan: she takes him to swimming on Sundays - 'he loves it'."], 0, []),
        # ... unless close to it in meaning (MiniLM), with no word in common, or setting
        # itself against it.
        ([_MUM, _TEACHER], 0, [_TEACHER]),
        ([_MUM, _STILL], 0, [_STILL]),
        # A denial two lines on of something else it names: no answer to this line.
        ([_WAGES, _TIDY, _DENIES_SMOKING], 0, []),
        # Consent to tell somebody is nobody's account, whatever words it shares.
        ([_CLINIC, _TIDY, _DOG, "Dad's view", _CONSENTS], 0, []),
        ([_CLINIC, _CONSENTS], 0, []),
    ],
)
def test_an_account_beside_a_line_is_of_the_same_matter(lines, claim_at, shown):
    by_meaning = _beside(
        lines, claim_at, unknown=Provenance("self_reported", "k"), same_matter=_close_in_meaning
    )
    assert by_meaning == shown


def test_a_figure_gathers_no_accounts_from_the_lines_beside_it():
    figure = "School: attendance 84% this term."
    lines = [figure, "[Child 1] says 'I've stopped all that now, I only want to go to the gym'."]
    made = [
        _Line(text, "L:3", _DAY, RecordContext("Social Worker", "home_visit", tuple(lines[:i])))
        for i, text in enumerate(lines)
    ]
    out = side_by_side(
        [(made[0], Provenance("third_party_allegation", "school"), False)],
        made[1:],
        classify=lambda ls: [Provenance("self_reported", "[Child 1]") for _ in ls],
        is_claim=lambda text, prov: True,
        title=lambda line: "Home visit",
        same_matter=lambda a, b, margin: True,
    )
    assert [line.text for line, _, role in out if role == "account"] == []


def test_a_log_of_one_event_shows_the_parties_own_words_first():
    claim = _Line("DOMESTIC - REFERRAL TO CHILDREN'S SERVICES SUBMITTED.", "P:3", _DAY, _LOG)
    pool = [
        _Line("MALE AGREED TO STAY AT HIS BROTHER'S.", "P:3", _DAY, _LOG),
        _Line("SCRATCH TO FEMALE'S ARM NOTED BY PC 12, ON BODY CAMERA.", "P:3", _DAY, _LOG),
        _Line("MALE STATES SHE THREW A PLATE AT HIM FIRST.", "P:3", _DAY, _LOG),
        _Line("FEMALE STATES HE PUSHED HER INTO THE DOOR FRAME.", "P:3", _DAY, _LOG),
    ]
    who = {line.text: ("male" if "MALE " in line.text[:5] else "female") for line in pool}
    shown = _accounts_under(claim, pool, who)
    assert "MALE STATES SHE THREW A PLATE AT HIM FIRST." in shown
    assert "FEMALE STATES HE PUSHED HER INTO THE DOOR FRAME." in shown


def test_an_arrest_shows_the_arrested_persons_statement_over_how_it_began():
    arrest = RecordContext("Detective Constable", "arrest")
    claim = _Line("OFFENCE: POSSESSION WITH INTENT TO SUPPLY.", "P:4", _DAY, arrest)
    missing = _Line("REPORTED MISSING BY HIS CARER 02/03 2200HRS.", "P:4", _DAY, arrest)
    statement = _Line(
        "INTERVIEW: PREPARED STATEMENT - 'I ONLY CARRIED THE BAG.'", "P:4", _DAY, arrest
    )
    out = side_by_side(
        [(claim, Provenance("assessment"), False)],
        [missing, statement],
        classify=lambda ls: [Provenance("self_reported", "[Child 1]") for _ in ls],
        is_claim=lambda text, prov: True,
        title=lambda line: "Arrest",
        settings=AccountSettings(per_event=1),
    )
    assert [line.text for line, _, role in out if role == "account"] == [statement.text]


VISIT = (
    "Home visit\n"
    "Dad says he drives for a parcel firm now.\n"
    "[Child 2] said he likes his new teacher.\n"
    "Kitchen clean, food in the fridge.\n"
    "Mum says he is only a friend and never stays the night.\n"
    "[Child 1] told me he sleeps on our sofa at weekends."
)


def test_the_next_line_is_another_account_only_when_close_in_meaning(shared_embedder):
    source = _one_record(
        "R5",
        VISIT,
        system="LCS",
        kind="home_visit",
        title="Home visit",
        when=date(2024, 6, 3),
        role="Social Worker",
    )
    generator = ExtractiveGenerator(CachedEmbedder(shared_embedder), relevance=_Answers("says"))
    drafts = list(generator.generate("Who stays at the house?", [source]))
    under: dict[str, list[str]] = {}
    head = ""
    for d in drafts:
        if d.account:
            under.setdefault(head, []).append(d.text)
        else:
            head = d.text
    # Mum's word and the boy's on who stays (no word in common, close in meaning) side by
    # side; the boy's word on his teacher is nobody's account of where dad works.
    assert under.get("Mum says he is only a friend and never stays the night.") == [
        "[Child 1] told me he sleeps on our sofa at weekends."
    ]
    assert "Dad says he drives for a parcel firm now." not in under


@pytest.mark.parametrize(
    ("first", "second", "shown"),
    [
        # Two parties' own words next to each other, a little less close in meaning.
        (
            "Mum says her friend never stays the night.",
            "[Child 1] told me he sleeps over at weekends.",
            True,
        ),
        # The writer's line beside a party's word must be as close as the threshold.
        (
            "Mum's friend visits most days.",
            "[Child 1] told me he sleeps over at weekends.",
            False,
        ),
    ],
)
def test_two_parties_words_beside_each_other_need_less_closeness(first, second, shown):
    lines = [first, second]
    made = [
        _Line(text, "L:6", _DAY, RecordContext("Social Worker", "home_visit", tuple(lines[:i])))
        for i, text in enumerate(lines)
    ]
    # Just under the generator's same-matter similarity (0.30): 0.27.
    out = side_by_side(
        [(made[0], Provenance("self_reported", "mum"), False)],
        made[1:],
        classify=lambda ls: [Provenance("self_reported", "[Child 1]") for _ in ls],
        is_claim=lambda text, prov: True,
        title=lambda line: "Home visit",
        same_matter=lambda a, b, margin: 0.30 - margin <= 0.27,
    )
    assert ([line.text for line, _, role in out if role == "account"] == [second]) is shown


def test_a_partys_confirmation_ranks_before_a_note_confirmed_by_a_service():
    claim = _Line("NEIGHBOUR REPORTS THE BOY WAS LOCKED OUT OVERNIGHT.", "P:5", _DAY, _LOG)
    pool = [
        _Line("ABSENT FROM SCHOOL ALL WEEK (CONFIRMED BY SCHOOL).", "P:5", _DAY, _LOG),
        _Line("MALE AGREED TO STAY AT HIS BROTHER'S.", "P:5", _DAY, _LOG),
        _Line("FEMALE CONFIRMED THE ACCOUNT BY PHONE NEXT DAY.", "P:5", _DAY, _LOG),
    ]
    out = side_by_side(
        [(claim, Provenance("third_party_allegation", "neighbour"), False)],
        pool,
        classify=lambda ls: [Provenance("self_reported", line.text.split()[0]) for line in ls],
        is_claim=lambda text, prov: True,
        title=lambda line: "Concern for welfare",
        settings=AccountSettings(per_event=1),
    )
    shown = [line.text for line, _, role in out if role == "account"]
    assert shown == ["FEMALE CONFIRMED THE ACCOUNT BY PHONE NEXT DAY."]


@pytest.mark.parametrize(
    ("line", "item"),
    [
        ("- bruise to left shin", True),
        ("• seen alone", True),
        ("3. Referral to the food bank", True),
        ("b) school to share attendance weekly", True),
        ("(ii) dad to attend the course", True),
        ("Mum said 3 of them were there.", False),
        ("2024 was a hard year.", False),
    ],
)
def test_one_reading_of_a_list_item_for_every_rule(line, item):
    # Items of one list are other matters to accounts and outcomes and one line to a
    # section's reach: all read a list item the same way (assistant.text.list_item).
    from assistant.text import list_item

    assert list_item(line) is item


def test_a_line_of_consent_carries_no_outcome_or_denial_of_the_event(shared_embedder):
    notification = (
        "Police DA notification received 08:40. Dad states mum threw a plate at him and he "
        "denies touching her. Mum consented to an Early Help assessment. Outcome: NFA for "
        "children's social care."
    )
    source = _one_record(
        "DA1",
        notification,
        system="LCS",
        kind="domestic_abuse_notification",
        title="Police DA notification - MASH decision",
        when=date(2024, 2, 9),
        role="Social Worker - MASH",
    )
    answers = _Answers("consented")
    generator = ExtractiveGenerator(CachedEmbedder(shared_embedder), relevance=answers)
    drafts = list(generator.generate("did mum agree to early help?", [source]))
    at = next(i for i, d in enumerate(drafts) if "consented" in d.text)
    under = [d.text for d in drafts[at + 1 :] if d.outcome or d.account]
    # Consent is nobody's account of the incident: its outcome and dad's denial are not
    # shown under it as if they answered or disputed it.
    assert not under
