"""UK phone numbers as practitioners write them.

Presidio's PhoneRecognizer relies on python-phonenumbers, which rejects Ofcom's drama
ranges (07700 900xxx) and ``+44 7700 ...``, and spaCy tags many spaced numbers as dates.
This recognizer matches the UK national formats directly: mobiles, geographic numbers
with 2-5 digit area codes, non-geographic 03/08 numbers, each with ``0``, ``(0...)``,
``+44`` or ``+44 (0)`` in front, spaced, hyphenated or run together.
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

_SEP = r"[ \-]?"
_PREFIX = r"(?:\+44[ ]?(?:\(0\)[ ]?)?|\(0|0)"
_NATIONAL = (
    r"(?:"
    rf"7\d{{3}}{_SEP}\d{{3}}{_SEP}\d{{3}}"  # 07700 900123 / 07700 900 123
    rf"|1\d{{2}}\)?{_SEP}\d{{3}}{_SEP}\d{{4}}"  # 0113 496 0123
    rf"|1\d{{3}}\)?{_SEP}\d{{3}}{_SEP}?\d{{3}}"  # 01632 960123
    rf"|2\d\)?{_SEP}\d{{4}}{_SEP}\d{{4}}"  # 020 7946 0123
    rf"|[38]\d{{2}}\)?{_SEP}\d{{3}}{_SEP}\d{{4}}"  # 0300 123 4567
    r")"
)


class UkPhoneRecognizer(PatternRecognizer):
    """Recognise UK landline and mobile numbers (entity ``UK_PHONE``)."""

    REGEX = rf"(?<![\w+])(?:{_PREFIX}){_NATIONAL}(?![\d])"
    SCORE = 0.7
    CONTEXT: tuple[str, ...] = (
        "phone",
        "tel",
        "telephone",
        "mobile",
        "mob",
        "call",
        "contact",
        "number",
        "landline",
        "ring",
        "rang",
        "text",
    )

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(
            supported_entity="UK_PHONE",
            name="UkPhoneRecognizer",
            patterns=[Pattern("UK phone", self.REGEX, self.SCORE)],
            context=list(self.CONTEXT),
            supported_language=supported_language,
        )
