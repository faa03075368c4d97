"""Unique Pupil Numbers (DfE): a check letter then 12 digits (temporary UPNs end in a letter).

The check letter is the modulo-23 sum of characters 2-13 weighted 2-13, written with the
alphabet minus I, O and S. A valid check letter makes the match certain; a wrong one is
still reported at a low score, which "UPN" nearby lifts over the threshold, because a
mistyped UPN still identifies a child.
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from redaction.recognizers._common import CASE_SENSITIVE_FLAGS

CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn_check_letter(body: str) -> str | None:
    """The check letter for the 12 characters after it; ``None`` if they cannot be a UPN."""
    if len(body) != 12 or not body[:11].isdigit():
        return None
    last = body[11]
    if last.isdigit():
        values = [int(c) for c in body]
    elif last in CHECK_LETTERS:
        values = [int(c) for c in body[:11]] + [CHECK_LETTERS.index(last)]
    else:
        return None
    total = sum(v * w for v, w in zip(values, range(2, 14), strict=True))
    return CHECK_LETTERS[total % 23]


def is_valid_upn(value: str) -> bool:
    value = value.strip().upper()
    return len(value) == 13 and upn_check_letter(value[1:]) == value[0]


class UkUpnRecognizer(PatternRecognizer):
    """Recognise UPNs (entity ``UK_UPN``)."""

    REGEX = r"(?<![\w])[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z](?![\w])"
    CONTEXT: tuple[str, ...] = ("upn", "pupil number", "unique pupil", "pupil")

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(
            supported_entity="UK_UPN",
            name="UkUpnRecognizer",
            patterns=[Pattern("UPN (weak)", self.REGEX, 0.3)],
            context=list(self.CONTEXT),
            supported_language=supported_language,
            global_regex_flags=CASE_SENSITIVE_FLAGS,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        # True -> full score; None -> keep the weak score (context may still lift it).
        return True if is_valid_upn(pattern_text) else None
