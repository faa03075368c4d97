"""Build note text from fragments while recording every PII span's exact offsets.

Offsets are Python string indices (code points) into the final text, so
``text[start:end] == span["text"]`` holds for every span by construction.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

#: Common practitioner misspellings; applied only to plain (non-PII) fragments.
TYPOS: tuple[tuple[str, str], ...] = (
    ("received", "recieved"),
    ("accommodation", "accomodation"),
    ("separate", "seperate"),
    ("the ", "teh "),
    ("appointment", "appointmnet"),
    ("concerns", "concenrs"),
    ("discussed", "dicussed"),
    ("which", "wich"),
    ("tomorrow", "tommorow"),
    ("definitely", "definately"),
)

PII_TYPES: tuple[str, ...] = (
    "PERSON",
    "PROFESSIONAL",
    "PHONE",
    "EMAIL",
    "ADDRESS",
    "POSTCODE",
    "NHS_NUMBER",
    "UPN",
    "NI_NUMBER",
    "DATE_OF_BIRTH",
    "SCHOOL",
    "GP_PRACTICE",
    "CASE_REFERENCE",
)


@dataclass
class Span:
    start: int
    end: int
    type: str
    text: str
    true_person_id: str | None = None


@dataclass
class TextBuilder:
    """Append plain text and PII values; read back ``text`` and ``spans``."""

    rng: random.Random
    typo_rate: float = 0.0
    parts: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    _length: int = 0
    #: words written outside PII spans and outside characteristic-dependent text
    plain_words: int = 0

    def add(self, fragment: str, typo: bool = True) -> TextBuilder:
        """Plain text; one draw decides whether a typo slips in (never inside PII).

        ``typo=False`` makes no draw: use it for text that depends on a protected
        characteristic, so a counterfactual family keeps every later wording choice.
        """
        draw = self.rng.random() if typo else 1.0
        if draw < self.typo_rate:
            for right, wrong in TYPOS:
                if right in fragment:
                    fragment = fragment.replace(right, wrong, 1)
                    break
        if typo:
            self.plain_words += len(fragment.split())
        self._append(fragment)
        return self

    def add_exact(self, fragment: str) -> TextBuilder:
        """Plain text kept verbatim (quoted provision, for instance): no typo, no draw."""
        self.plain_words += len(fragment.split())
        self._append(fragment)
        return self

    def pii(self, value: str, kind: str, true_person_id: str | None = None) -> TextBuilder:
        if kind not in PII_TYPES:
            raise ValueError(f"unknown PII type {kind!r}")
        if not value:
            raise ValueError("empty PII value")
        start = self._length
        self._append(value)
        self.spans.append(Span(start, self._length, kind, value, true_person_id))
        return self

    def _append(self, fragment: str) -> None:
        self.parts.append(fragment)
        self._length += len(fragment)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def __len__(self) -> int:
        return self._length

    @property
    def approx_words(self) -> int:
        """Plain words plus one per PII span: the same for every counterfactual variant."""
        return self.plain_words + len(self.spans)


def ordinal(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return f"{day}th"
    return f"{day}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th') }"


def format_date(value: date, style: int) -> str:
    """One of the date styles practitioners write (style chosen by the caller's stream)."""
    style %= 7
    if style == 0:
        return value.strftime("%d/%m/%Y")
    if style == 1:
        return f"{ordinal(value.day)} {MONTHS[value.month - 1]} {value.year}"
    if style == 2:
        return f"{value.day} {MONTHS[value.month - 1][:3]} {value.strftime('%y')}"
    if style == 3:
        return value.isoformat()
    if style == 4:
        return f"{value.day}.{value.month}.{value.strftime('%y')}"
    if style == 5:
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    return value.strftime("%d/%m/%y")
