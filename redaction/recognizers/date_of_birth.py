"""Dates of birth: "DOB 12/03/2015", "born 3rd March 2015", "date of birth: 2015-03-12".

Only the date itself is the span. A date of birth is a strong identifier and is
pseudonymised; every other date is an event date (``DATE_TIME``, kept), which is why
this recognizer needs a birth cue right before the date rather than guessing.
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from redaction.recognizers._common import CASE_SENSITIVE_FLAGS, DATE_VALUE

_CUE = (
    r"(?i:\b(?:d\.?o\.?b|date\s+of\s+birth|birth\s*date|born(?:\s+on)?|b\.)"
    r"\s*(?:[:\-–]|is|was|of|in|on)?\s*\(?\s*)"
)


class DateOfBirthRecognizer(PatternRecognizer):
    """Recognise a date written after a birth cue (entity ``DATE_OF_BIRTH``)."""

    REGEX = r"(?<=" + _CUE + r")" + DATE_VALUE
    CONTEXT: tuple[str, ...] = ("dob", "birth", "born", "d.o.b")

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(
            supported_entity="DATE_OF_BIRTH",
            name="DateOfBirthRecognizer",
            patterns=[Pattern("date after a birth cue", self.REGEX, 0.9)],
            context=list(self.CONTEXT),
            supported_language=supported_language,
            # Month names are matched case-free inside DATE_VALUE via the cue only;
            # "march"/"may" in lower case are ordinary words.
            global_regex_flags=CASE_SENSITIVE_FLAGS,
        )
