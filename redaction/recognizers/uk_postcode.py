"""UK postcodes with a usable score.

Presidio's UkPostcodeRecognizer (off by default) scores every match 0.10, below any
sensible threshold. This configures it with the same format rules but scores that
reflect how distinctive the shapes are: a capitalised postcode with its space is almost
never anything else (0.6); in lower case with its space ("bk7 3su") it still passes
(0.45); without the space in lower case it is weaker and needs a context word
("postcode", "address", "lives") to pass.
"""

from __future__ import annotations

from presidio_analyzer import Pattern
from presidio_analyzer.predefined_recognizers import UkPostcodeRecognizer

from redaction.recognizers._common import CASE_SENSITIVE_FLAGS

_OUTWARD = (
    r"(?:[A-PR-UWYZ][0-9][ABCDEFGHJKPSTUW]?|[A-PR-UWYZ][0-9]{2}"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]?|[A-PR-UWYZ][A-HK-Y][0-9]{2})"
)
_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"


class CaselensUkPostcodeRecognizer(UkPostcodeRecognizer):
    """Presidio's UK postcode recognizer (entity ``UK_POSTCODE``) with caselens scores."""

    SPACED = r"\b(?:GIR 0AA|" + _OUTWARD + r" " + _INWARD + r")\b"
    UNSPACED = r"\b(?:GIR0AA|" + _OUTWARD + _INWARD + r")\b"
    LOWER = r"\b(?i:" + _OUTWARD + r"\s?" + _INWARD + r")\b"
    LOWER_SPACED = r"\b(?i:" + _OUTWARD + r" " + _INWARD + r")\b"
    CONTEXT: list[str] = [  # noqa: RUF012  (Presidio declares CONTEXT a list)
        *UkPostcodeRecognizer.CONTEXT,
        # Matched as substrings of the words near a match, as written (no lemmas):
        # "live" covers "lives"/"lived", not "living".
        "lives",
        "live",
        "living",
        "moved",
        "moving",
        "resides",
        "residing",
        "flat",
    ]

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(
            patterns=[
                Pattern("UK postcode", self.SPACED, 0.6),
                Pattern("UK postcode without space", self.UNSPACED, 0.4),
                Pattern("UK postcode in lower case, spaced", self.LOWER_SPACED, 0.45),
                Pattern("UK postcode, any case", self.LOWER, 0.2),
            ],
            context=list(self.CONTEXT),
            supported_language=supported_language,
            name="UkPostcodeRecognizer",
        )
        self.global_regex_flags = CASE_SENSITIVE_FLAGS
