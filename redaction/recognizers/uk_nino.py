"""National Insurance numbers in the ways people write them: "QQ 12 34 56 C",
"qq123456c", "QQ-12-34-56-C".

Presidio's UkNinoRecognizer misses the specimen prefix ``QQ`` that HMRC's guidance,
forms and test data use, numbers in lower case and numbers split by hyphens. A valid
prefix (HMRC's rules, or QQ), six digits (optionally in pairs) and a suffix letter A-D
after an "NI"/"NINO"/"national insurance" cue score 0.85; the shape alone in capitals
scores 0.5.
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from redaction.recognizers._common import CASE_SENSITIVE_FLAGS

_SEP = r"[ \-]?"
#: HMRC's prefix rules (as Presidio's recognizer applies them), plus the specimen prefix
#: QQ that HMRC's own guidance and forms use.
_PREFIX = (
    r"(?:(?i:qq)|(?!(?i:bg|gb|kn|nk|nt|tn|zz))"
    r"[A-CEGHJ-PR-TW-Za-ceghj-pr-tw-z][A-CEGHJ-NPR-TW-Za-ceghj-npr-tw-z])"
)
_BODY = _PREFIX + _SEP + r"\d{2}" + _SEP + r"\d{2}" + _SEP + r"\d{2}" + _SEP + r"[A-Da-d]"
_CUE = (
    r"(?i:\b(?:ni|nino|ni\s+no|ni\s+number|national\s+insurance(?:\s+(?:no|number))?)\.?:?\s{1,2})"
)


class AnyCaseNinoRecognizer(PatternRecognizer):
    """Recognise NI numbers after a cue in any case and spacing (entity ``UK_NINO``)."""

    AFTER_CUE = r"(?<=" + _CUE + r")" + _BODY + r"(?![\w])"
    SHAPE = (
        r"(?<![\w-])(?=[A-Z]{2})" + _PREFIX
        + _SEP + r"\d{2}" + _SEP + r"\d{2}" + _SEP + r"\d{2}" + _SEP + r"[A-D](?![\w])"
    )  # fmt: skip

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(
            supported_entity="UK_NINO",
            name="AnyCaseNinoRecognizer",
            patterns=[
                Pattern("NI number after a cue", self.AFTER_CUE, 0.85),
                Pattern("NI number shape in capitals", self.SHAPE, 0.5),
            ],
            supported_language=supported_language,
            global_regex_flags=CASE_SENSITIVE_FLAGS,
        )
