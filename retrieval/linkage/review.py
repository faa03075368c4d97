"""Clerical review: which pending pairs a data steward should decide first.

A split child means questions about that child miss records; a split adult matters less;
a pair nobody works with matters least. So pairs involving a child on somebody's caseload
come first, then pairs involving any child, then pairs on a caseload, then the rest, each
group most probable first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import Protocol

from retrieval.linkage.household import Household
from retrieval.linkage.result import PersonKey, ReviewDecision, ReviewPair
from retrieval.records import Person

ADULT_AGE = 18


def _age(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def children_among(people: Iterable[Person], today: date | None = None) -> set[PersonKey]:
    """Records of children: under 18 by date of birth, or (no date of birth) recorded as
    somebody's child and nobody's parent."""
    today = today or date.today()
    people = list(people)
    household = Household.of(people)
    roles: dict[PersonKey, set[str]] = {}
    for tie in household.ties:
        roles.setdefault(tie.person, set()).add(tie.role)
    found: set[PersonKey] = set()
    for person in people:
        key = PersonKey(person.source_system, person.person_id)
        held = roles.get(key, set())
        if person.dob is not None:
            if _age(person.dob, today) < ADULT_AGE:
                found.add(key)
        elif "child" in held and "parent" not in held and "grandparent" not in held:
            found.add(key)
    return found


def review_order(
    pairs: Sequence[ReviewPair],
    is_child: Callable[[PersonKey], bool],
    on_caseload: Callable[[PersonKey], bool],
) -> list[ReviewPair]:
    """``pairs`` in the order a data steward should decide them."""

    def key(pair: ReviewPair) -> tuple[int, float, PersonKey, PersonKey]:
        child = is_child(pair.left) or is_child(pair.right)
        worked = on_caseload(pair.left) or on_caseload(pair.right)
        group = 0 if child and worked else 1 if child else 2 if worked else 3
        return (group, -pair.probability, pair.left, pair.right)

    return sorted(pairs, key=key)


class ReviewStore(Protocol):
    """What clerical review needs from the case store."""

    def iter_people(self, source_system: str | None = None) -> Iterator[Person]: ...

    def review_pairs(self, status: str = "pending") -> list[ReviewPair]: ...

    def review_decisions(self) -> list[ReviewDecision]: ...

    def linked_person_of(self, source_system: str, person_id: str) -> str | None: ...

    def family_id_of(self, linked_person_id: str) -> str | None: ...


def pending_in_order(
    store: ReviewStore, caseload_ids: Iterable[str], today: date | None = None
) -> list[ReviewPair]:
    """The pending pairs, children on a caseload first (``caseload_ids``: every user's
    caseload, family ``FAM-`` and linked person ``LP-`` ids)."""
    pairs = store.review_pairs("pending")
    if not pairs:
        return []
    children = children_among(store.iter_people(), today)
    worked = set(caseload_ids)

    def on_caseload(key: PersonKey) -> bool:
        linked = store.linked_person_of(key.source_system, key.person_id)
        if linked is None:
            return False
        return linked in worked or store.family_id_of(linked) in worked

    return review_order(pairs, children.__contains__, on_caseload)
