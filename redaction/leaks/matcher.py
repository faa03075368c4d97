"""One compiled matcher over every known identifier: Aho-Corasick plus digit and date passes.

Text identifiers (names, NI numbers, UPNs, emails, addresses, postcodes) go into two
Aho-Corasick automata (``pyahocorasick``): one over case-folded text for identifiers
matched case-insensitively, one over the text as written for single names (matched as
the record spells them, Capitalised or UPPER). A text is scanned once whatever the number
of people. Phones and NHS numbers are matched on digits only: every run of digit groups
is joined and looked up, so ``07700 900 011``, ``07700900011`` and ``+44 7700 900011`` are
the same phone. Dates of birth are matched by reading every date written in the text
(``dates.find_dates``) and looking it up. Every match must sit on word boundaries;
overlapping matches keep the earliest, then longest (a full name hides its parts).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

import ahocorasick

from redaction.leaks.dates import find_dates
from redaction.leaks.identifiers import DATE_KINDS, DIGIT_KINDS, Needle, Strength

#: Characters folded to a plain space or apostrophe before matching (same length).
_FOLD = str.maketrans({"\t": " ", "\n": " ", "\r": " ", "\u00a0": " ", "\u2019": "'"})
#: A run of at least 7 characters of digits and the separators people type in numbers.
_DIGIT_RUN = re.compile(r"(?<![\w+])\+?\d[\d \-.()/]{5,}\d(?!\w)")
_DIGIT_GROUP = re.compile(r"\d+")
_ANY_DIGIT = re.compile(r"\d")
_NON_DIGIT = re.compile(r"\D")
#: Longest run of digit groups tried as one identifier (``+44 (0) 7700 900 011`` is 5).
_MAX_GROUPS = 6
#: A birth cue right before a date makes a DOB match strong.
_BIRTH_CUE = re.compile(
    r"(?:\bd\.?\s?o\.?\s?b\.?|date[\s_]+of[\s_]+birth|birth[\s_]*date|\bborn(?:\s+on)?"
    r"|birthday|\bb\.)[\s\"':=\-–(,]*(?:(?:is|was|on|of)\s+)?[\s\"':=(]*$",
    re.IGNORECASE,
)
_CUE_WINDOW = 32
_EMAIL_LOCAL = frozenset("._%+-")

_Group = tuple[int, tuple[Needle, ...]]  # (needle length, needles sharing that form)


@dataclass(frozen=True)
class Match:
    """One identifier found in one text: where, which needles, and how strong."""

    start: int
    end: int
    needles: tuple[Needle, ...]
    strength: Strength

    @property
    def kind(self) -> str:
        """The kind of the strongest needle (ties: the first)."""
        strong = [n for n in self.needles if n.strength is Strength.STRONG]
        return (strong or list(self.needles))[0].kind

    @property
    def owners(self) -> tuple[str, ...]:
        return tuple(sorted({n.owner for n in self.needles}))


def _space_fold(text: str) -> str:
    return text.translate(_FOLD)


def _lower(text: str) -> str:
    """Lower-case without changing length (offsets must stay valid)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in text)


def _fold(text: str) -> str:
    """Lower-case and fold spaces without changing length."""
    return _lower(_space_fold(text))


def _on_boundary(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or after.isalnum())


def _automaton(groups: dict[str, list[Needle]]) -> ahocorasick.Automaton | None:
    if not groups:
        return None
    automaton = ahocorasick.Automaton()
    for key, needles in groups.items():
        automaton.add_word(key, (len(key), tuple(needles)))
    automaton.make_automaton()
    return automaton


class LeakMatcher:
    """Finds every known identifier in a text. Build once, call ``find`` many times."""

    def __init__(self, needles: Iterable[Needle]) -> None:
        folded: dict[str, list[Needle]] = defaultdict(list)
        exact: dict[str, list[Needle]] = defaultdict(list)
        digits: dict[str, list[Needle]] = defaultdict(list)
        dates: dict[date, list[Needle]] = defaultdict(list)
        count = 0
        for needle in needles:
            count += 1
            if needle.kind in DIGIT_KINDS:
                digits[needle.text].append(needle)
            elif needle.kind in DATE_KINDS:
                dates[date.fromisoformat(needle.text)].append(needle)
            elif needle.case_sensitive:
                for form in needle.forms():
                    exact[_space_fold(form)].append(needle)
            else:
                folded[_fold(needle.text)].append(needle)
        self._folded = _automaton(folded)
        self._exact = _automaton(exact)
        self._digits = {key: tuple(value) for key, value in digits.items()}
        self._min_digits = min((len(key) for key in self._digits), default=0)
        self._dates = {key: tuple(value) for key, value in dates.items()}
        self.needle_count = count

    def __len__(self) -> int:
        return self.needle_count

    def find(self, text: str) -> list[Match]:
        """Non-overlapping matches in ``text``, in order (earliest, then longest, wins)."""
        spaced = _space_fold(text)
        candidates = [
            *self._automaton_matches(self._folded, text, _lower(spaced)),
            *self._automaton_matches(self._exact, text, spaced),
        ]
        if _ANY_DIGIT.search(text):  # numbers and dates need digits; most prose has none
            candidates += [*self._digit_matches(text), *self._date_matches(text)]
        if len(candidates) > 1:
            candidates.sort(key=lambda m: (m.start, -(m.end - m.start)))
        chosen: list[Match] = []
        for match in candidates:
            if not chosen or match.start >= chosen[-1].end:
                chosen.append(match)
        return chosen

    def _automaton_matches(
        self, automaton: ahocorasick.Automaton | None, text: str, folded: str
    ) -> Iterator[Match]:
        """Matches of ``automaton`` in ``folded`` (same length as ``text``)."""
        if automaton is None:
            return
        for end_index, (length, needles) in automaton.iter(folded):
            end = end_index + 1
            start = end - length
            if not _on_boundary(text, start, end):
                continue
            if start and text[start - 1] in _EMAIL_LOCAL and needles[0].kind == "email":
                continue  # the tail of a longer, different address
            yield self._match(text, start, end, needles)

    def _digit_matches(self, text: str) -> Iterator[Match]:
        if not self._digits:
            return
        for run in _DIGIT_RUN.finditer(text):
            value = run.group()
            if len(value) - len(_NON_DIGIT.sub("", value)) > len(value) - self._min_digits:
                continue  # fewer digits than the shortest known number
            groups = list(_DIGIT_GROUP.finditer(value))
            offset = run.start()
            international = value.startswith("+")
            i = 0
            while i < len(groups):
                hit = self._longest_from(groups, i, international and i == 0)
                if hit is None:
                    i += 1
                    continue
                j, needles = hit
                start = offset if international and i == 0 else offset + groups[i].start()
                yield self._match(text, start, offset + groups[j].end(), needles)
                i = j + 1

    def _longest_from(
        self, groups: list[re.Match[str]], i: int, international: bool
    ) -> tuple[int, tuple[Needle, ...]] | None:
        best: tuple[int, tuple[Needle, ...]] | None = None
        digits = ""
        for j in range(i, min(len(groups), i + _MAX_GROUPS)):
            digits += groups[j].group()
            keys = [digits]
            if international:
                keys += ["0" + digits[len(p) :] for p in ("440", "44") if digits.startswith(p)]
            for key in keys:
                if key in self._digits:
                    best = (j, self._digits[key])
        return best

    def _date_matches(self, text: str) -> Iterator[Match]:
        if not self._dates:
            return
        for start, end, candidates in find_dates(text):
            needles = tuple(n for d in candidates for n in self._dates.get(d, ()))
            if needles:
                yield self._match(text, start, end, needles)

    @staticmethod
    def _match(text: str, start: int, end: int, needles: tuple[Needle, ...]) -> Match:
        strength = (
            Strength.STRONG
            if any(n.strength is Strength.STRONG for n in needles)
            else Strength.WEAK
        )
        if strength is Strength.WEAK and any(n.kind in DATE_KINDS for n in needles):
            window = text[max(0, start - _CUE_WINDOW) : start]
            if _BIRTH_CUE.search(window):
                strength = Strength.STRONG
        return Match(start, end, needles, strength)
