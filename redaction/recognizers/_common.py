"""Regex pieces shared by several recognizers (no recognizer lives here).

Patterns that depend on capital letters (names of streets, schools, practices) must be
compiled without IGNORECASE, which Presidio turns on by default.
"""

from __future__ import annotations

import regex


def words(block: str) -> tuple[str, ...]:
    """The whitespace-separated words of ``block`` (keeps long word lists readable)."""
    return tuple(block.split())


def char_before(text: str, start: int) -> str:
    """The last character before ``start`` that is not white space ("" at the start).

    (Not ``text[:start].rstrip()``: that copies the text for every word, quadratic in
    a long note.)"""
    i = start - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    return text[i] if i >= 0 else ""


#: Presidio's default flags minus IGNORECASE; use ``(?i:...)`` for case-free parts.
CASE_SENSITIVE_FLAGS: int = regex.DOTALL | regex.MULTILINE

MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)

#: A calendar date in the ways UK practitioners write one (no surrounding context).
DATE_VALUE = (
    r"(?:"
    r"\d{4}-\d{2}-\d{2}"  # 2015-03-12
    r"|\d{4}/\d{1,2}/\d{1,2}"  # 2015/03/12
    r"|\d{1,2}[\-/ ]" + MONTH + r"[\-/ ](?:\d{4}|\d{2})"  # 12-Mar-2015, 12/Mar/15
    r"|\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"  # 12/03/2015, 12.3.15, 12-03-15
    r"|\d{1,2}(?:st|nd|rd|th)?(?:\s+of)?\s+" + MONTH + r"\.?,?\s+(?:\d{4}|'?\d{2})"
    r"|" + MONTH + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"  # March 12th, 2015
    r"|" + MONTH + r"\s+\d{4}"  # March 2015
    r")(?![\d/])"
)

#: A capitalised word in a proper name (Oakfield, St., Mary's, Lower-Wortley, O'Neill).
NAME_WORD = r"(?:St\.?|Saint|[A-Z][a-z]*(?:['’][a-zA-Z]+)?(?:-[A-Z][a-z]+)?)"

#: Words that start sentences or clauses and so must not begin a proper name.
NOT_NAME_START = (
    r"(?!(?:The|A|An|At|In|On|To|From|For|And|But|Or|Of|His|Her|Their|Our|My|Your|This|"
    r"That|Today|Yesterday|Mum|Dad|Mother|Father|She|He|They|We|I|It|SW|HV|DSL|When|"
    r"Then|Attends|Attended|Previously|Now|New|Current|Former|Local|Visit|Visited)\b)"
)
