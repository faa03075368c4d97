"""Find every mention of what the store knows about a family, with one compiled regex.

For each family member, from every source system's person row: name variants (given,
family, known-as, nicknames from the linkage nickname table, "First Last", "Last, First",
accent-folded spellings; possessives like "Freddie's" match as the name followed by
"'s"), the date of birth in the formats practitioners write, NHS/UPN/NI numbers with or
without spaces, phone numbers (spaced, unspaced, +44, brackets), emails, address line 1
(optionally with its town) and postcode. All alternatives go into one regex per family,
longest first, so "Teresa McCarthy" wins over "Teresa". Names must start with a capital
letter ("will" is a word, "Will" may be a name); the rest is case-insensitive.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from redaction.entities import (
    ADDRESS,
    DATE_OF_BIRTH,
    EMAIL,
    NHS_NUMBER,
    NI_NUMBER,
    PERSON,
    PHONE,
    POSTCODE,
    UPN,
)
from redaction.roster import Roster, RosterMember
from redaction.streets import STREET_ABBREVIATIONS, street_alone
from retrieval.linkage.names import canonical_given, fold_name, nickname_table
from retrieval.records import Person

#: Nickname-table variants that are everyday words: used only if a source system
#: recorded them for the person (known_as), never just because the table lists them.
COMMON_WORD_NICKNAMES: frozenset[str] = frozenset(
    [
        "will",
        "art",
        "ant",
        "drew",
        "bill",
        "rob",
        "sue",
        "don",
        "dot",
        "ola",
        "mo",
        "al",
        "ed",
        "sal",
        "val",
        "may",
        "bob",
    ]
)
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
_NAME_EDGE_BEFORE = r"(?<![\w'’\-])"
_NAME_EDGE_AFTER = r"(?![\w\-])"
_ALNUM_BEFORE = r"(?<![A-Za-z0-9])"
_ALNUM_AFTER = r"(?![A-Za-z0-9])"


@dataclass(frozen=True)
class KnownValue:
    """One thing to look for: ``kind`` (an entity type) of ``owner`` (a member id, or a
    family-level label such as a shared surname), as a regex fragment without groups."""

    kind: str
    owner: str
    pattern: str
    weight: int  # longer literals first


@dataclass(frozen=True)
class KnownMatch:
    start: int
    end: int
    kind: str
    owner: str


def _strip_accents(value: str) -> str:
    text = unicodedata.normalize("NFKD", value)
    return "".join(c for c in text if not unicodedata.combining(c))


def name_pattern(name: str) -> str:
    """Case-insensitive after a capital first letter; spaces/hyphens interchangeable,
    apostrophes optional (O'Brien, O’Brien, OBrien)."""
    name = name.strip()
    first, rest = name[0], name[1:]
    out = []
    for char in rest:
        if char in " -":
            out.append(r"[\s\-]+")
        elif char in "'’":
            out.append(r"['’]?")
        else:
            out.append(re.escape(char))
    head = re.escape(first) if not first.isalpha() else f"(?-i:{re.escape(first.upper())})"
    return f"{_NAME_EDGE_BEFORE}{head}(?i:{''.join(out)}){_NAME_EDGE_AFTER}"


@lru_cache(maxsize=1)
def diminutives() -> dict[str, frozenset[str]]:
    """Folded given name -> short forms, from the packaged ``diminutives.txt``."""
    text = Path(__file__).with_name("diminutives.txt").read_text("utf-8")
    table: dict[str, set[str]] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if ":" not in line:
            raise ValueError(f"diminutives line {number}: expected 'given: variants'")
        head, tail = line.split(":", 1)
        given = fold_name(head)
        if given:
            table.setdefault(given, set()).update(
                v for v in (fold_name(x) for x in tail.split(",")) if v
            )
    return {k: frozenset(v) for k, v in table.items()}


@lru_cache(maxsize=1)
def _variants_by_canonical() -> dict[str, tuple[str, ...]]:
    grouped: dict[str, list[str]] = {}
    for variant, canonical in nickname_table().items():
        grouped.setdefault(canonical, []).append(variant)
    return {c: tuple(sorted(v)) for c, v in grouped.items()}


def _title(name: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in name.split(" "))


def given_variants(given: str) -> set[str]:
    """A given name, its first word, accent-folded spelling and nickname-table variants."""
    names = {given, given.split()[0], _strip_accents(given)}
    canonical = canonical_given(given)
    short_forms = set(diminutives().get(fold_name(given) or "", ()))
    if canonical:
        short_forms |= set(_variants_by_canonical().get(canonical, ()))
        short_forms |= diminutives().get(canonical, frozenset())
    names |= {_title(v) for v in short_forms if v not in COMMON_WORD_NICKNAMES}
    return {n for n in names if len(n.strip()) >= 2}


def person_name_variants(person: Person) -> tuple[set[str], set[str]]:
    """(given-like names, family names) of one person row."""
    given: set[str] = set()
    if person.given_name:
        given |= given_variants(person.given_name)
    for alias in person.known_as:
        if alias and len(alias.strip()) >= 2:
            given.add(alias.strip())
            given.add(_strip_accents(alias.strip()))
    family: set[str] = set()
    if person.family_name and len(person.family_name.strip()) >= 2:
        family = {person.family_name.strip(), _strip_accents(person.family_name.strip())}
    return given, family


def dob_pattern(dob: date) -> str:
    """A date of birth as written: 17/11/2020, 17.11.20, 2020-11-17, 17th November 2020,
    17 Nov 20, Nov 17, 2020..."""
    day = f"0?{dob.day}" if dob.day < 10 else str(dob.day)
    ordinal = r"(?:st|nd|rd|th)?"
    month_num = f"0?{dob.month}" if dob.month < 10 else str(dob.month)
    name = MONTHS[dob.month - 1]
    month_word = f"(?:{name}|{name[:3]}{'t' if name == 'September' else ''}\\.?|{name[:3]})"
    year = f"(?:{dob.year}|'?{dob.year % 100:02d})"
    sep = r"\s*[/.\-]\s*"
    forms = [
        f"{day}{sep}{month_num}{sep}{year}",
        f"{day}{ordinal}(?:\\s+of)?[\\s\\-]+{month_word},?[\\s\\-]+{year}",
        f"{month_word}\\s+{day}{ordinal},?\\s+{year}",
        f"{dob.year}{sep}{month_num}{sep}{day}",
    ]
    body = "|".join(forms)
    return rf"(?<![\w/.\-])(?i:{body})(?![\w]|[/.\-]\d)"


def _digits_pattern(value: str, sep: str = r"[\s\-]?") -> str:
    chars = [c for c in value if c.isalnum()]
    return _ALNUM_BEFORE + "(?i:" + sep.join(re.escape(c) for c in chars) + ")" + _ALNUM_AFTER


def phone_pattern(phone: str) -> str | None:
    digits = "".join(c for c in phone if c.isdigit())
    if digits.startswith("44"):
        digits = digits[2:]
    digits = digits.lstrip("0")
    if len(digits) < 9:
        return None
    prefix = r"(?:(?:\+|00)44\s*(?:\(0\)\s*)?|\(?0)"
    body = r"[\s\-\)]{0,2}".join(digits)
    return rf"(?<![\d+]){prefix}{body}(?!\d)"


def email_pattern(email: str) -> str:
    return rf"(?<![\w.+\-])(?i:{re.escape(email.strip())})(?![\w@\-])"


def address_patterns(line1: str, town: str | None) -> list[str]:
    """Line 1 with flexible commas/spaces and street abbreviations, optionally followed by
    its town; also the street part alone ("19 Hawthorn Road" of "Flat 22, 19 ...")."""
    candidates = [line1]
    parts = [p.strip() for p in line1.split(",") if p.strip()]
    if len(parts) > 1 and parts[-1][:1].isdigit():
        candidates.append(parts[-1])
    street = street_alone(parts[-1] if parts else "")
    if street:
        candidates.append(street)
    town_part = rf"(?:,?\s+(?i:{re.escape(town.strip())}))?" if town and town.strip() else ""
    patterns = []
    for candidate in candidates:
        words = [w for w in re.split(r"[,\s]+", candidate) if w]
        if len(words) < 2:
            continue
        pieces = [re.escape(w) for w in words]
        short = STREET_ABBREVIATIONS.get(words[-1].lower())
        if short:
            forms = "|".join(re.escape(a) for a in short)
            pieces[-1] = f"(?:{re.escape(words[-1])}|(?:{forms})\\.?)"
        body = r",?\s+".join(pieces)
        patterns.append(rf"{_ALNUM_BEFORE}(?i:{body}){town_part}{_ALNUM_AFTER}")
    return patterns


def postcode_pattern(postcode: str) -> str:
    compact = postcode.replace(" ", "").upper()
    if len(compact) < 5:
        return _digits_pattern(compact)
    outward, inward = compact[:-3], compact[-3:]
    return rf"{_ALNUM_BEFORE}(?i:{re.escape(outward)}\s*{re.escape(inward)}){_ALNUM_AFTER}"


def _extra_values(person: Person, name: str) -> list[str]:
    """A person line's extra contact fields (``phone``/``email``, or lists ``phones``)."""
    extra = person.model_extra or {}
    values: list[str] = []
    for key in (name, name + "s"):
        value = extra.get(key)
        if isinstance(value, str):
            values.append(value)
        elif isinstance(value, list):
            values.extend(v for v in value if isinstance(v, str))
    return [v for v in values if v.strip()]


def family_values(roster: Roster) -> list[KnownValue]:
    """Everything to look for in the family's records, with who it belongs to."""
    values: list[KnownValue] = []
    name_owners: dict[str, list[str]] = {}
    surname_owners: dict[str, list[str]] = {}
    full_names: dict[str, str] = {}

    def add_name(owners: dict[str, list[str]], name: str, member: RosterMember) -> None:
        owners.setdefault(name, [])
        if member.member_id not in owners[name]:
            owners[name].append(member.member_id)

    for member in roster.members:
        for person in member.persons:
            given, family = person_name_variants(person)
            for g in given:
                add_name(name_owners, g, member)
                for f in family:
                    full_names.setdefault(f"{g} {f}", member.member_id)
                    full_names.setdefault(f"{f}, {g}", member.member_id)
            for f in family:
                add_name(surname_owners, f, member)
            if person.dob is not None:
                pattern = dob_pattern(person.dob)
                values.append(KnownValue(DATE_OF_BIRTH, member.member_id, pattern, 12))
            ids = person.identifiers
            for kind, value in (
                (NHS_NUMBER, ids.nhs_number),
                (UPN, ids.upn),
                (NI_NUMBER, ids.ni_number),
            ):
                if value and len(value.strip()) >= 6:
                    values.append(KnownValue(kind, member.member_id, _digits_pattern(value), 20))
            for phone in _extra_values(person, "phone"):
                phone_regex = phone_pattern(phone)
                if phone_regex:
                    values.append(KnownValue(PHONE, member.member_id, phone_regex, 20))
            for email in _extra_values(person, "email"):
                values.append(KnownValue(EMAIL, member.member_id, email_pattern(email), len(email)))
    values.extend(_address_values(roster))
    for name, owner in full_names.items():
        values.append(KnownValue(PERSON, owner, name_pattern(name), len(name)))
    for name, owners in name_owners.items():
        if name in full_names:
            continue
        values.append(KnownValue(PERSON, owners[0], name_pattern(name), len(name)))
    shared = [n for n, owners in surname_owners.items() if len(owners) > 1 and n not in name_owners]
    genders = {m.member_id: _member_gender(m) for m in roster.members}
    for name, owners in surname_owners.items():
        if name in name_owners:
            continue
        owner = owners[0] if len(owners) == 1 else f"Family name {shared.index(name) + 1}"
        values.append(KnownValue(PERSON, owner, name_pattern(name), len(name)))
        if len(owners) == 1 and genders.get(owner):
            # "Mrs Greenhalgh" when the only Greenhalgh the store knows is the father is
            # someone else of that family (a grandmother, an aunt): the surname, not his
            # role. The title stays outside the span.
            other = _OTHER_TITLES[genders[owner] or ""]
            if name not in shared:
                shared.append(name)
            values.append(
                KnownValue(
                    PERSON,
                    f"Family name {shared.index(name) + 1}",
                    _after_titles(other) + name_pattern(name),
                    len(name) + 20,
                )
            )
    return values


#: Titles that say a person is not of the given gender.
_OTHER_TITLES: dict[str, tuple[str, ...]] = {
    "male": ("Mrs", "Ms", "Miss"),
    "female": ("Mr",),
    "": (),
}


def _after_titles(titles: tuple[str, ...]) -> str:
    """Fixed-width lookbehinds for "Mrs ", "Mrs. ", "Ms " ... (``re`` needs fixed width)."""
    ahead = [rf"(?<=\b{t}{dot}\s)" for t in titles for dot in ("", r"\.")]
    return "(?:" + "|".join(ahead) + ")"


def _member_gender(member: RosterMember) -> str | None:
    """ "male" or "female" when every person row that records a gender agrees."""
    found = {
        "male"
        if g in ("male", "m", "man", "boy")
        else "female"
        if g in ("female", "f", "woman", "girl")
        else "other"
        for p in member.persons
        if (g := (p.gender or "").strip().lower())
    }
    return found.pop() if len(found) == 1 and found <= {"male", "female"} else None


def _address_values(roster: Roster) -> list[KnownValue]:
    """Addresses numbered per family in roster order: [Family address 1] with its
    postcode [Family postcode 1]."""
    numbers: dict[str, int] = {}
    values: list[KnownValue] = []
    postcodes: set[str] = set()
    for member in roster.members:
        for person in member.persons:
            address = person.address
            if address is None:
                continue
            line1 = (address.line1 or "").strip()
            postcode = (address.postcode or "").replace(" ", "").upper()
            key = " ".join(line1.lower().replace(",", " ").split()) or postcode
            if not key:
                continue
            number = numbers.setdefault(key, len(numbers) + 1)
            if line1:
                for pattern in address_patterns(line1, address.town):
                    values.append(KnownValue(ADDRESS, f"Family address {number}", pattern, 40))
            if postcode and postcode not in postcodes:
                postcodes.add(postcode)
                values.append(
                    KnownValue(POSTCODE, f"Family postcode {number}", postcode_pattern(postcode), 8)
                )
    return values


class KnownMatcher:
    """One compiled regex over every known value of a family (build once per family)."""

    def __init__(self, values: Sequence[KnownValue]) -> None:
        unique: dict[str, KnownValue] = {}
        for value in sorted(values, key=lambda v: (-v.weight, v.kind, v.owner, v.pattern)):
            unique.setdefault(value.pattern, value)
        self._values = list(unique.values())
        if self._values:
            self._regex: re.Pattern[str] | None = re.compile(
                "|".join(f"({v.pattern})" for v in self._values)
            )
        else:
            self._regex = None

    def __len__(self) -> int:
        return len(self._values)

    def find(self, text: str) -> list[KnownMatch]:
        if self._regex is None or not text:
            return []
        found = []
        for match in self._regex.finditer(text):
            index = match.lastindex
            if index is None or match.end() <= match.start():
                continue
            value = self._values[index - 1]
            found.append(KnownMatch(match.start(), match.end(), value.kind, value.owner))
        return found


def build_matcher(roster: Roster, extra: Iterable[KnownValue] = ()) -> KnownMatcher:
    return KnownMatcher([*family_values(roster), *extra])
