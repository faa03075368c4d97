"""How known mentions are written in pseudonymised text.

A family member's name becomes their roster pseudonym (``[Mother]``); their identifiers
say whose they are (``[NHS number: Child 1]``, ``[Phone: Mother]``); a date of birth
becomes an age band at the record's date (``[DOB: Child 1, aged 8-10]``), which keeps
what matters for reading a chronology without the identifying date.
"""

from __future__ import annotations

from datetime import date

from redaction.entities import DATE_OF_BIRTH, EMAIL, NHS_NUMBER, NI_NUMBER, PERSON, PHONE, UPN

#: (lowest age, highest age) bands; the last one is open-ended.
AGE_BANDS: tuple[tuple[int, int], ...] = (
    (0, 0),
    (1, 2),
    (3, 4),
    (5, 7),
    (8, 10),
    (11, 13),
    (14, 15),
    (16, 17),
    (18, 24),
    (25, 34),
    (35, 44),
    (45, 54),
    (55, 64),
    (65, 200),
)
_IDENTIFIER_LABELS: dict[str, str] = {
    PHONE: "Phone",
    EMAIL: "Email",
    NHS_NUMBER: "NHS number",
    UPN: "UPN",
    NI_NUMBER: "NI number",
}


def age_on(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def age_band(dob: date, on: date) -> str:
    """``aged 8-10``, ``aged under 1``, ``aged 65+`` or ``not yet born`` on ``on``."""
    age = age_on(dob, on)
    if age < 0:
        return "not yet born"
    if age == 0:
        return "aged under 1"
    for low, high in AGE_BANDS:
        if low <= age <= high:
            return f"aged {low}+" if high >= 200 else f"aged {low}-{high}"
    return "aged 65+"


def known_placeholder(kind: str, pseudonym: str, dob: date | None, on: date) -> str:
    """The placeholder for a known mention of ``kind`` belonging to ``pseudonym``."""
    if kind == PERSON:
        return f"[{pseudonym}]"
    if kind == DATE_OF_BIRTH:
        band = age_band(dob, on) if dob is not None else "age unknown"
        return f"[DOB: {pseudonym}, {band}]"
    if kind in _IDENTIFIER_LABELS:
        return f"[{_IDENTIFIER_LABELS[kind]}: {pseudonym}]"
    return f"[{pseudonym}]"
