"""School names: "Brookfield Primary School", "St Mary's C of E Academy", "Hillside High".

A school name names the child's community and narrows who they are. It is one to five
capitalised name words (not a sentence opener such as "The" or "Mum"), an optional
denomination (C of E, CE, RC, Catholic), optional phase words (Primary, Infant, High...)
and a school word (School, Academy, College, Pupil Referral Unit), or a name followed by
Primary / High / Infants / Juniors on its own. Phase-only names ("Secondary School") are
generic and rejected.
"""

from __future__ import annotations

import regex
from presidio_analyzer import Pattern, PatternRecognizer

from redaction.recognizers._common import (
    CASE_SENSITIVE_FLAGS,
    NAME_WORD,
    NOT_NAME_START,
    words,
)

PHASES: tuple[str, ...] = (
    *words(
        """
    Primary Infant Infants Junior Juniors Secondary High Grammar Middle First Nursery
    Special Community Catholic Free Church Upper Lower Studio Technical Trust Federation
    """
    ),
    "Sixth Form",
)
_PHASE = "(?:" + "|".join(sorted(PHASES, key=len, reverse=True)) + ")"
_DENOMINATION = r"(?:C\s?of\s?E|CofE|CE|RC|VA|VC|Church of England|Roman Catholic|Methodist)"
#: School words, with the misspellings hurried notes make ("Acadamy", "Colege").
_SCHOOL_WORD = (
    r"(?:School|Scool|Schol|Academy|Acadamy|Accademy|Academey|College|Colege|Colledge"
    r"|Pupil Referral Unit|PRU|Schools)"
)
#: "St Oswald's", "St. Chad's": a saint's name on its own is how parents and staff name
#: a church school; not when a word such as Hospital or Church follows.
_NOT_A_SCHOOL_AFTER = (
    r"(?!\s+(?:Hospital|Church|Cathedral|Chapel|Hall|Road|Street|Lane|Avenue|Close|Drive|Way"
    r"|Park|Court|House|Centre|Center|Ward|Unit|Hospice|Place|Square|Terrace|Gardens"
    r"|Crescent|Well|Station|Day|Eve)\b)"
)
_NAME = r"(?:" + NOT_NAME_START + NAME_WORD + r"\s+){1,5}"
#: Words that make up a generic, unnamed school ("the new Secondary School").
_GENERIC = frozenset(
    {w for p in PHASES for w in p.split()}
    | {"School", "Academy", "College", "C", "of", "E", "CE", "RC", "VA", "VC", "CofE"}
)


class UkSchoolRecognizer(PatternRecognizer):
    """Recognise school names (entity ``UK_SCHOOL``)."""

    FULL = (
        r"(?<![\w'’])"
        + _NAME
        + r"(?:"
        + _DENOMINATION
        + r"\s+)?(?:"
        + _PHASE
        + r"\s+){0,2}"
        + _SCHOOL_WORD
        + r"\b"
    )
    SHORT = (
        r"(?<![\w'’])" + _NAME + r"(?:" + _DENOMINATION + r"\s+)?"
        r"(?:Primary|High|Infants|Juniors)\b(?!\s+" + _SCHOOL_WORD + r")"
    )
    SAINT = r"(?<![\w'’])St\.?\s+[A-Z][a-z]+['’]s\b" + _NOT_A_SCHOOL_AFTER
    CONTEXT: tuple[str, ...] = (
        "school",
        "pupil",
        "attends",
        "attend",
        "attendance",
        "headteacher",
        "dsl",
        "senco",
        "teacher",
        "class",
        "year",
        "exclusion",
        "excluded",
        "exclude",
        "excluding",
    )

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(
            supported_entity="UK_SCHOOL",
            name="UkSchoolRecognizer",
            patterns=[
                Pattern("school name", self.FULL, 0.7),
                Pattern("school name without 'School'", self.SHORT, 0.5),
                Pattern("saint's name", self.SAINT, 0.45),
            ],
            context=list(self.CONTEXT),
            supported_language=supported_language,
            global_regex_flags=CASE_SENSITIVE_FLAGS,
        )

    def invalidate_result(self, pattern_text: str) -> bool:
        words = regex.findall(r"[\w'’]+", pattern_text)
        return all(w in _GENERIC for w in words)
