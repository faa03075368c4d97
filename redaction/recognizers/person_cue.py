"""Names written straight after a family role, title, salutation or "Seen".

UK case notes introduce people in fixed ways: "mum Ayesha", "M/O Ioana Gheorghe",
"Designated Safeguarding Lead Tendai Oduya", "Dear Zeinab", "Seen Andreea and Ioana",
"Lives with Charlotte", "-- Tomasz Kirkbride, PC", "Nadia Hargreaves, Educational
Psychologist". spaCy's small model misses many of these, most often for
names that are not Anglo-Saxon, so this recognizer reads the cue instead of the name.
Only the name is the span; capitalised role words, months and sentence openers that
follow a cue ("mum Said", "Seen Monday") are not names.
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from redaction.name_spans import ABBREVIATIONS, EDGE_WORDS, LEADING_WORDS, ROLE_PHRASE_WORDS
from redaction.recognizers._common import CASE_SENSITIVE_FLAGS, words

CUES: tuple[str, ...] = words(
    """
    mum mummy mam mother dad daddy father nan nanna gran granny grandma grandmother grandad
    grandfather grandpa aunt auntie aunty uncle brother sister sibling stepdad step-dad
    stepfather stepmum step-mum stepmother partner boyfriend girlfriend carer son daughter
    child cousin M/O F/O MGM PGM MGF PGF seen dear Mr Mrs Ms Miss Mx Dr PC DC DS Sgt
    Sergeant Lead Officer Worker Visitor Teacher Headteacher SENCO DSL SW HV Practitioner
    Therapist Psychologist Paediatrician Nurse Midwife Manager Coordinator
    """
)
_NOT_NAMES = sorted(
    {w.capitalize() for w in LEADING_WORDS | ROLE_PHRASE_WORDS | ABBREVIATIONS | EDGE_WORDS}
    | set(
        words(
            """
            The A An And At In On To From For Of With Was Is Has Had Said Says Reported Stated
            Monday Tuesday Wednesday Thursday Friday Saturday Sunday Today Yesterday Tomorrow
            January February March April May June July August September October November
            December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Alone Together Both All
            Again Briefly Separately Before After During Following Home School Not No Yes
            Who Which That This Their Her His Its There Here Then When While Also Please
            """
        )
    ),
    key=len,
    reverse=True,
)
_STOP = r"(?!(?:" + "|".join(_NOT_NAMES) + r")\b)"
_CUE = r"(?i:" + "|".join(c.replace("/", r"\/") for c in sorted(CUES, key=len, reverse=True)) + ")"
#: Cues of more than one word, or too common alone ("with"), written out.
_PHRASE_CUES = (
    r"(?i:lives\s+with|living\s+with|staying\s+with|contact\s+with|session\s+with"
    r"|visit\s+to|collecting|collected|named|household:|re:?)"
)
_JOB_AFTER = (
    r"(?=,\s+(?:Educational|Social|Speech|Clinical|Senior|Community|Designated|Specialist"
    r"|Family|Health|School|Occupational|Consultant|Police|Youth|Housing|Attendance|Early)\b)"
)
_TOKEN = r"(?:[A-Z]['’])?[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-[A-Za-z][a-z]+)*"
_NAME = _STOP + _TOKEN + r"(?:\s" + _STOP + _TOKEN + r"){0,2}"


class PersonCueRecognizer(PatternRecognizer):
    """Recognise names after role, title and greeting cues (entity ``PERSON``)."""

    # A full stop only after a title ("Mr. Shah"); after "Worker." a sentence ends.
    AFTER_CUE = (
        r"(?<=(?<![\w/])(?:" + _CUE + r":?|(?i:mr|mrs|ms|mx|dr|sgt)\.)\s{1,2})" + _NAME + r"\b"
    )
    SECOND_SEEN = (
        r"(?<=\b(?i:seen)\s+" + _TOKEN + r"(?:\s" + _TOKEN + r")?\s+and\s+(?:" + _CUE
        + r"\s+)?)" + _NAME + r"\b"
    )  # fmt: skip
    AFTER_PHRASE = r"(?<=(?<![\w/])" + _PHRASE_CUES + r"\s{1,2})" + _NAME + r"\b"
    SIGN_OFF = r"(?<=(?:^|\s)--\s?)" + _NAME + r"\b"
    BEFORE_JOB = r"(?<![\w'’-])" + _STOP + _TOKEN + r"\s" + _STOP + _TOKEN + _JOB_AFTER

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(
            supported_entity="PERSON_CUE",
            name="PersonCueRecognizer",
            patterns=[
                Pattern("name after a role or title", self.AFTER_CUE, 0.6),
                Pattern("second name after 'Seen X and'", self.SECOND_SEEN, 0.6),
                Pattern("name after 'lives with', 're'", self.AFTER_PHRASE, 0.55),
                Pattern("name in a sign-off", self.SIGN_OFF, 0.6),
                Pattern("name before a job title", self.BEFORE_JOB, 0.6),
            ],
            supported_language=supported_language,
            global_regex_flags=CASE_SENSITIVE_FLAGS,
        )
