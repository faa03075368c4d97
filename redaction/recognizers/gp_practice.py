"""GP practice names: "Riverside Medical Centre", "Park Lane Surgery".

The GP practice places a family in a small area and is pseudonymised like an address.
One to four capitalised name words followed by a practice word.
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from redaction.recognizers._common import CASE_SENSITIVE_FLAGS, NAME_WORD, NOT_NAME_START

PRACTICE_WORDS: tuple[str, ...] = (
    "Medical Centre",
    "Medical Center",
    "Medical Practice",
    "Medical Group",
    "Health Centre",
    "Healthcare Centre",
    "Group Practice",
    "Family Practice",
    "Family Doctors",
    "Surgery",
    "Clinic",
    "Partnership",
)
_WORDS = "(?:" + "|".join(sorted(PRACTICE_WORDS, key=len, reverse=True)) + ")"


class GpPracticeRecognizer(PatternRecognizer):
    """Recognise GP practice names (entity ``UK_GP_PRACTICE``)."""

    REGEX = r"(?<![\w'’])(?:" + NOT_NAME_START + NAME_WORD + r"\s+){1,4}" + _WORDS + r"\b"
    CONTEXT: tuple[str, ...] = ("gp", "registered", "doctor", "surgery", "practice", "medical")

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(
            supported_entity="UK_GP_PRACTICE",
            name="GpPracticeRecognizer",
            patterns=[Pattern("GP practice name", self.REGEX, 0.7)],
            context=list(self.CONTEXT),
            supported_language=supported_language,
            global_regex_flags=CASE_SENSITIVE_FLAGS,
        )
