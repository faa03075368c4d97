"""Who is who in a family, as stable role-aware pseudonyms: ``[Child 1]``, ``[Mother]``...

Children are the members somebody is a mother, father, carer... of (by the linked family
ties) who are not themselves an adult parent, or people under 18; they are numbered by date of
birth, oldest first. Adults are named by what they are to the children ("mother",
"mothers_partner", "grandparent" + gender...), numbered only when two share a role. The
same family knowledge always gives the same pseudonyms, so every record of the family
uses them consistently, whichever source system it came from.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from retrieval.linkage.names import fold_name
from retrieval.records import Person
from retrieval.store.families import LinkedRelationship

#: Tie type (what the related adult is to a child) -> role label.
CHILD_TIE_ROLES: dict[str, str] = {
    "mother": "Mother",
    "father": "Father",
    "stepfather": "Stepfather",
    "stepmother": "Stepmother",
    "mothers_partner": "Mother's partner",
    "fathers_partner": "Father's partner",
    "grandmother": "Grandmother",
    "grandfather": "Grandfather",
    "aunt": "Aunt",
    "uncle": "Uncle",
    "carer": "Carer",
    "foster_carer": "Foster carer",
    "kinship_carer": "Kinship carer",
    "guardian": "Guardian",
    "special_guardian": "Guardian",
    "parent": "Parent",
}
#: Tie types by which a member is a child (of the related adult).
_CHILD_TIES: frozenset[str] = frozenset(CHILD_TIE_ROLES) - {"parent"} | {"grandparent"}
_GENDERED: dict[str, tuple[str, str, str]] = {
    # tie: (female, male, other)
    "grandparent": ("Grandmother", "Grandfather", "Grandparent"),
    "parent": ("Mother", "Father", "Parent"),
    "aunt_uncle": ("Aunt", "Uncle", "Aunt or uncle"),
}
FALLBACK_ADULT_ROLE = "Carer"
ADULT_AGE = 18


@dataclass(frozen=True)
class RosterMember:
    """One person of the family with their pseudonym and every person row the store has."""

    member_id: str
    pseudonym: str
    is_child: bool
    persons: tuple[Person, ...]
    dob: date | None

    @property
    def placeholder(self) -> str:
        return f"[{self.pseudonym}]"

    @property
    def gender(self) -> str | None:
        """The gender most of their person rows give ("female", "m" ...), if any."""
        return _gender(self.persons)


@dataclass(frozen=True)
class Roster:
    """A family's members in pseudonym order (children first)."""

    family_key: str
    members: tuple[RosterMember, ...]
    fingerprint: str

    def by_id(self, member_id: str) -> RosterMember:
        for member in self.members:
            if member.member_id == member_id:
                return member
        raise KeyError(f"no member {member_id} in family {self.family_key}")


def misspelt_member(
    roster: Roster, word: str, is_other_word: Callable[[str], bool]
) -> RosterMember | None:
    """The one member whose given name or known-as name ``word`` misspells by one letter
    (one dropped, added, changed, or two swapped: "Reubin" for "Reuben"), or ``None``.

    ``is_other_word(key)`` says the word is something else in its own right (a given name
    in the name lists, an English word): then it is not taken for a misspelling. Two
    members within one letter of it: nobody (it is not clear whom the writer meant)."""
    key = fold_name(word) or ""
    if len(key) < 4 or not key.isalpha() or is_other_word(key):
        return None
    found: list[RosterMember] = []
    for member in roster.members:
        names = {
            folded
            for person in member.persons
            for name in (person.given_name, *person.known_as)
            if (folded := fold_name(name))
        }
        if any(len(name) >= 4 and _one_edit(key, name) for name in names):
            found.append(member)
    return found[0] if len(found) == 1 else None


def _one_edit(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by exactly one letter dropped, added or changed, or by two
    neighbouring letters swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _gender(persons: Sequence[Person]) -> str | None:
    votes = Counter((p.gender or "").strip().lower() for p in persons if p.gender)
    return votes.most_common(1)[0][0] if votes else None


def _dob(persons: Sequence[Person]) -> date | None:
    votes = Counter(p.dob for p in persons if p.dob is not None)
    return votes.most_common(1)[0][0] if votes else None


def _age(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def _gendered(tie: str, gender: str | None) -> str:
    female, male, other = _GENDERED[tie]
    if gender in ("female", "f", "woman", "girl"):
        return female
    if gender in ("male", "m", "man", "boy"):
        return male
    return other


def _adult_role(
    member_id: str,
    gender: str | None,
    children: set[str],
    ties: Sequence[LinkedRelationship],
) -> str:
    """What this adult is to the family's children (the most common answer)."""
    votes: Counter[str] = Counter()
    for tie in ties:
        if tie.related_linked_person_id != member_id or tie.linked_person_id not in children:
            continue
        if tie.type in ("grandparent", "parent"):
            votes[_gendered(tie.type, gender)] += tie.evidence_count
        elif tie.type in CHILD_TIE_ROLES:
            votes[CHILD_TIE_ROLES[tie.type]] += tie.evidence_count
    if votes:
        return sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    own = Counter(
        t.type for t in ties if t.linked_person_id == member_id and t.related_linked_person_id
    )
    if own.get("child") or own.get("stepchild"):
        return _gendered("parent", gender)
    if own.get("grandchild"):
        return _gendered("grandparent", gender)
    if own.get("niece_nephew"):
        return _gendered("aunt_uncle", gender)
    return FALLBACK_ADULT_ROLE


def fingerprint(members: Mapping[str, Sequence[Person]], ties: Sequence[LinkedRelationship]) -> str:
    """A hash of everything the roster and the known-mention matcher are built from."""
    document = {
        "members": {
            mid: sorted(json.dumps(p.model_dump(mode="json"), sort_keys=True) for p in persons)
            for mid, persons in sorted(members.items())
        },
        "ties": [[t.linked_person_id, t.related_linked_person_id, t.type] for t in sorted(ties)],
    }
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def build_roster(
    family_key: str,
    members: Mapping[str, Sequence[Person]],
    ties: Sequence[LinkedRelationship] = (),
    *,
    today: date | None = None,
) -> Roster:
    """Assign every member a pseudonym. ``members``: member id -> that member's person rows."""
    today = today or date.today()
    info = {mid: (_dob(ps), _gender(ps)) for mid, ps in members.items() if ps}
    has_child_tie = {t.linked_person_id for t in ties if t.type in _CHILD_TIES}
    is_parent = {t.linked_person_id for t in ties if t.type in ("child", "stepchild", "grandchild")}

    def is_child(mid: str, dob: date | None) -> bool:
        minor = dob is not None and _age(dob, today) < ADULT_AGE
        if mid in is_parent:
            # A parent is an adult here (the mother in a three-generation family is her
            # own mother's child, but [Mother] to the children) unless under 18.
            return minor
        return mid in has_child_tie or minor

    children = {mid for mid, (dob, _) in info.items() if is_child(mid, dob)}

    def child_order(mid: str) -> tuple[date, str]:
        dob = info[mid][0]
        return (dob or date.max, mid)

    ordered_children = sorted(children, key=child_order)
    pseudonyms: dict[str, str] = {mid: f"Child {n}" for n, mid in enumerate(ordered_children, 1)}
    adults = sorted(
        (mid for mid in info if mid not in children), key=lambda m: (info[m][0] or date.max, m)
    )
    roles = {mid: _adult_role(mid, info[mid][1], children, ties) for mid in adults}
    counts = Counter(roles.values())
    seen: Counter[str] = Counter()
    for mid in adults:
        role = roles[mid]
        seen[role] += 1
        pseudonyms[mid] = f"{role} {seen[role]}" if counts[role] > 1 else role
    ordered = [*ordered_children, *adults]
    return Roster(
        family_key=family_key,
        members=tuple(
            RosterMember(
                member_id=mid,
                pseudonym=pseudonyms[mid],
                is_child=mid in children,
                persons=tuple(members[mid]),
                dob=info[mid][0],
            )
            for mid in ordered
        ),
        fingerprint=fingerprint(members, ties),
    )
