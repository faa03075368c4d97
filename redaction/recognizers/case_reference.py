"""Case and record references of source systems: "LCS/2024/00123", "ref EHM-000123".

A reference ties a note to one family's file, so it is pseudonymised like a name. Known
source-system prefixes score high; any other SYSTEM-number shape scores low unless a word
such as "ref" or "case" precedes it; anything written straight after "ref",
"reference", "case no" or "crime number" counts when it holds at least three digits.
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from redaction.recognizers._common import CASE_SENSITIVE_FLAGS, words

SYSTEM_PREFIXES: tuple[str, ...] = words(
    """
    LCS EHM SCH SCHOOL POL POLICE HLT HEALTH HSG HOUSING YJ YJS YOT SEND EHCP CP CIN CLA LAC
    MASH CSC EH CAMHS CRN CAD NHS
    """
)
_PREFIX = "(?:" + "|".join(sorted(SYSTEM_PREFIXES, key=len, reverse=True)) + ")"
_TAIL = r"(?:\d{2,4}[/\-])?[A-Z]{0,2}\d{3,10}(?:[/\-]\d{2,4})?"
#: Dates after "log" or "record" are event dates, not references.
_DATE_SHAPE = r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{4}-\d{2}-\d{2})(?![\w/\-])"
_TRIGGER = (
    r"(?i:\b(?:ref(?:erence)?|case(?:\s+(?:no|number|ref))?|crime(?:\s+(?:no|number|ref))?"
    r"|occurrence(?:\s+(?:no|number|ref))?|occ(?:\s+(?:no|number|ref))?"
    r"|incident(?:\s+(?:no|number|ref))?|log(?:\s+(?:no|number))?|file(?:\s+(?:no|number))?"
    r"|record(?:\s+(?:no|number))?))\.?(?:\s+(?i:no|number)\.?)?\s*[:#]?\s*"
)


class CaseReferenceRecognizer(PatternRecognizer):
    """Recognise source-system case and record references (entity ``CASE_REFERENCE``)."""

    KNOWN_SYSTEM = r"(?<![\w/\-])" + _PREFIX + r"[/\-]" + _TAIL + r"(?![\w/\-])"
    OTHER_SYSTEM = r"(?<![\w/\-])[A-Z]{2,5}[/\-]" + _TAIL + r"(?![\w/\-])"
    AFTER_TRIGGER = (
        r"(?<=" + _TRIGGER + r")(?=(?:[A-Za-z/\-]*\d){3})(?!" + _DATE_SHAPE + r")"
        r"[A-Za-z0-9][A-Za-z0-9]*(?:[/\-][A-Za-z0-9]+)*"
        r"(?<=\d|[A-Z])(?![\w/\-])"
    )
    CONTEXT: tuple[str, ...] = words("ref reference case record crime incident file log occurrence")

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(
            supported_entity="CASE_REFERENCE",
            name="CaseReferenceRecognizer",
            patterns=[
                Pattern("source-system reference", self.KNOWN_SYSTEM, 0.85),
                Pattern("reference after ref/case", self.AFTER_TRIGGER, 0.7),
                Pattern("other system-like reference", self.OTHER_SYSTEM, 0.35),
            ],
            context=list(self.CONTEXT),
            supported_language=supported_language,
            global_regex_flags=CASE_SENSITIVE_FLAGS,
        )
