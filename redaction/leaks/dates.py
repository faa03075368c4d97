"""Find dates in text, whatever the written form, so a DOB is found however it is written.

Case notes write the same date many ways (``12/03/2015``, ``12th March 2015``,
``12 Mar 15``, ``2015-03-12``, ``March 12, 2015``). Rather than listing every form of
every person's DOB (dozens each, millions across a council), the scanner finds every
date-like string with one regular expression, reads it as a date and looks it up.
Two-digit years are read both as 19yy and 20yy.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

_MONTH_NUMBERS: dict[str, int] = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_ORD = r"(?:st|nd|rd|th)?"
_DATE = re.compile(
    r"(?<![\w/.])(?:"
    r"(?P<d1>\d{1,2})(?P<s1>[/.\-])(?P<m1>\d{1,2})(?P=s1)(?P<y1>\d{4}|\d{2})"
    r"|(?P<y2>\d{4})(?P<s2>[/.\-])(?P<m2>\d{1,2})(?P=s2)(?P<d2>\d{1,2})"
    rf"|(?P<d3>\d{{1,2}}){_ORD}(?:\s+of)?[\s\-]+(?P<n3>{_MONTH})\.?,?[\s\-]+(?P<y3>\d{{4}}|\d{{2}})"
    rf"|(?P<n4>{_MONTH})\.?\s+(?P<d4>\d{{1,2}}){_ORD},?\s+(?P<y4>\d{{4}})"
    # Not followed by more of a number or a word; ``t`` is allowed (ISO timestamps).
    # Matched on lower-cased text: Python's IGNORECASE is markedly slower.
    r")(?![\da-su-z_])",
)


def _years(text: str) -> tuple[int, ...]:
    year = int(text)
    return (year,) if len(text) == 4 else (1900 + year, 2000 + year)


def _dates(day: str, month: int, year: str) -> tuple[date, ...]:
    found = []
    for y in _years(year):
        try:
            found.append(date(y, month, int(day)))
        except ValueError:
            continue
    return tuple(found)


def find_dates(text: str) -> Iterator[tuple[int, int, tuple[date, ...]]]:
    """``(start, end, candidate dates)`` for every date-like string in ``text``.

    Offsets are into ``text``; if lower-casing would change its length (rare Unicode),
    only the ASCII-lowered text is searched, which keeps offsets valid.
    """
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c.lower() if c.isascii() else c for c in text)
    for m in _DATE.finditer(lowered):
        if m.group("d1"):
            dates = _dates(m.group("d1"), int(m.group("m1")), m.group("y1"))
        elif m.group("y2"):
            dates = _dates(m.group("d2"), int(m.group("m2")), m.group("y2"))
        elif m.group("d3"):
            month = _MONTH_NUMBERS[m.group("n3")[:3]]
            dates = _dates(m.group("d3"), month, m.group("y3"))
        else:
            month = _MONTH_NUMBERS[m.group("n4")[:3]]
            dates = _dates(m.group("d4"), month, m.group("y4"))
        if dates:
            yield m.start(), m.end(), dates
