"""Known identifiers of every person in the case store, as the scanner looks for them.

Each identifier is one written form (a needle) of one value, with its kind, its owners
(``SYSTEM:person_id``), whether a match is strong or weak evidence of a leak and whether
it must match case-sensitively. Raw values live only in memory, never in reports.

Choices:

* Full names (given+family both orders, ``Family, Given``, known-as with the family
  name), NHS/UPN/NI numbers, phones, emails, address line 1 and postcodes are strong
  evidence and match case-insensitively. A known-as name alone is the person's own alias:
  strong, but matched case-sensitively like a single name, and skipped when it is an
  everyday word ("Will", "Sue").
* A given or family name on its own is weak evidence, matched case-sensitively (as the
  record spells it, capitalised, or in capitals) and skipped when it is an everyday word
  (see ``common_words``) or a single letter.
* A date of birth, in any written form (see ``dates``), is strong only right after a birth
  cue ("DOB", "born", "date of birth", a ``dob`` field); a bare date is weak, because
  across a council's whole population almost every calendar date is somebody's birthday,
  so a bare match is usually an event date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from redaction.leaks.common_words import is_common_word
from redaction.streets import STREET_ABBREVIATIONS, street_alone
from retrieval.records import Person


class Strength(StrEnum):
    STRONG = "strong"
    WEAK = "weak"


#: Kinds, in order of how much a match of each one says about a leak.
KINDS: tuple[str, ...] = (
    "full_name",
    "known_as",
    "nhs_number",
    "upn",
    "ni_number",
    "phone",
    "email",
    "dob",
    "address",
    "postcode",
    "given_name",
    "family_name",
)

#: Kinds matched on digits only, whatever spacing or punctuation sits between them.
DIGIT_KINDS: frozenset[str] = frozenset({"phone", "nhs_number"})
#: Date kinds: needle text is an ISO date, matched against every date written in a text.
DATE_KINDS: frozenset[str] = frozenset({"dob"})

_SPACES = re.compile(r"\s+")
_NON_DIGIT = re.compile(r"\D")


@dataclass(frozen=True)
class Needle:
    """One written form of one person's identifier, as the matcher searches for it."""

    text: str
    kind: str
    owner: str
    strength: Strength
    case_sensitive: bool = False

    def forms(self) -> tuple[str, ...]:
        """Surface forms a case-sensitive needle matches: as written, Capitalised, UPPER."""
        if not self.case_sensitive:
            return (self.text,)
        capitalised = self.text[:1].upper() + self.text[1:].lower()
        return tuple(dict.fromkeys((self.text, capitalised, self.text.upper())))


def normalise_space(value: str) -> str:
    return _SPACES.sub(" ", value).strip()


def phone_digits(value: str) -> str:
    """Digits of a UK phone with ``+44``/``0044`` folded to the national leading ``0``."""
    digits = _NON_DIGIT.sub("", value)
    for prefix in ("0044", "44"):
        if value.strip().startswith(("+", "00")) and digits.startswith(prefix):
            rest = digits[len(prefix) :]
            return rest if rest.startswith("0") else "0" + rest
    return digits


def _owner(person: Person) -> str:
    return f"{person.source_system}:{person.person_id}"


def _name_needles(person: Person, owner: str) -> Iterator[Needle]:
    given = normalise_space(person.given_name or "")
    family = normalise_space(person.family_name or "")
    if given and family:
        for form in (f"{given} {family}", f"{family} {given}", f"{family}, {given}"):
            yield Needle(form, "full_name", owner, Strength.STRONG)
    for alias in person.known_as:
        alias = normalise_space(alias)
        if not alias:
            continue
        if family and not alias.lower().endswith(family.lower()):
            yield Needle(f"{alias} {family}", "full_name", owner, Strength.STRONG)
        single = " " not in alias
        if single and (is_common_word(alias) or len(alias) < 2):
            continue  # "Will", "Sue": as for single names, the word, not the person
        yield Needle(alias, "known_as", owner, Strength.STRONG, case_sensitive=single)
    for kind, name in (("given_name", given), ("family_name", family)):
        # Each part of a double-barrelled or multi-word name is a single name too.
        parts = {name, *re.split(r"[\s-]+", name)} if name else set()
        for part in parts:
            if len(part) >= 2 and not is_common_word(part):
                yield Needle(part, kind, owner, Strength.WEAK, case_sensitive=True)


def _identifier_needles(person: Person, owner: str) -> Iterator[Needle]:
    ids = person.identifiers
    if ids.nhs_number:
        yield Needle(_NON_DIGIT.sub("", ids.nhs_number), "nhs_number", owner, Strength.STRONG)
    if ids.upn:
        upn = _SPACES.sub("", ids.upn)
        yield Needle(upn, "upn", owner, Strength.STRONG)
    if ids.ni_number:
        ni = _SPACES.sub("", ids.ni_number).upper()
        yield Needle(ni, "ni_number", owner, Strength.STRONG)
        if len(ni) == 9:
            spaced = f"{ni[:2]} {ni[2:4]} {ni[4:6]} {ni[6:8]} {ni[8]}"
            yield Needle(spaced, "ni_number", owner, Strength.STRONG)
            yield Needle(f"{ni[:2]} {ni[2:8]} {ni[8]}", "ni_number", owner, Strength.STRONG)


def _contact_needles(person: Person, owner: str) -> Iterator[Needle]:
    extra: dict[str, Any] = person.model_extra or {}
    for key in ("phone", "mobile", "home_phone", "telephone"):
        value = extra.get(key)
        if isinstance(value, str) and len(phone_digits(value)) >= 7:
            yield Needle(phone_digits(value), "phone", owner, Strength.STRONG)
    email = extra.get("email")
    if isinstance(email, str) and "@" in email:
        yield Needle(email.strip(), "email", owner, Strength.STRONG)


def _address_needles(person: Person, owner: str) -> Iterator[Needle]:
    address = person.address
    if address is None:
        return
    line1 = normalise_space(address.line1 or "")
    if line1:
        forms = {line1}
        if "," in line1:
            street = line1.rsplit(",", 1)[1].strip()
            if street[:1].isdigit():
                forms.add(street)
        alone = street_alone(line1.rsplit(",", 1)[-1].strip())
        if alone:
            forms.add(alone)
        for form in list(forms):
            words = form.split(" ")
            last = words[-1].lower()
            for short in STREET_ABBREVIATIONS.get(last, ()):
                forms.add(" ".join([*words[:-1], short.lower()]))
        for form in forms:
            yield Needle(form, "address", owner, Strength.STRONG)
    postcode = _SPACES.sub("", address.postcode or "").upper()
    if len(postcode) >= 5:
        yield Needle(postcode, "postcode", owner, Strength.STRONG)
        yield Needle(f"{postcode[:-3]} {postcode[-3:]}", "postcode", owner, Strength.STRONG)


def _dob_needles(person: Person, owner: str) -> Iterator[Needle]:
    # One needle per DOB (ISO); the matcher reads every written date form in the text.
    if person.dob is not None:
        yield Needle(person.dob.isoformat(), "dob", owner, Strength.WEAK)


def needles_for_person(person: Person) -> Iterator[Needle]:
    """Every needle for one person (names, identifiers, contacts, address, DOB)."""
    owner = _owner(person)
    yield from _name_needles(person, owner)
    yield from _identifier_needles(person, owner)
    yield from _contact_needles(person, owner)
    yield from _address_needles(person, owner)
    yield from _dob_needles(person, owner)


def needles_from_people(people: Iterable[Person]) -> Iterator[Needle]:
    """Needles for every person (the case store's ``iter_people()`` in production)."""
    for person in people:
        yield from needles_for_person(person)
