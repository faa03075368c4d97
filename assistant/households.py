"""The families on a worker's caseload, and each family's members by their pseudonyms.

``caseload_families`` is the one reading of a caseload against the store: the families on
it by id, and the family of each person on it (subject search, What's new and
``caselens subjects`` all start from it). Members are listed by linked id with the family's
pseudonyms (``[Child 1]``, ``[Mother]``) from the same roster redaction uses, never names
or dates of birth, so the lists can be shown and logged anywhere: ``caselens subjects``
prints ``caseload_subjects``, the overview's household is ``subject_household``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from redaction.roster import build_roster
from retrieval.principal import Principal
from retrieval.store.redaction_store import FamilyPeople


class FamilySource(Protocol):
    """The case store methods used here (``CaseStore`` implements them)."""

    def family_of(self, linked_person_id: str) -> Any: ...

    def family_ids_of(self, linked_ids: Iterable[str]) -> dict[str, str | None]: ...

    def family_people(self, family_id: str) -> FamilyPeople: ...


@dataclass(frozen=True)
class CaseloadFamilies:
    """A caseload read against the store."""

    #: The families on the caseload by id, sorted.
    named: tuple[str, ...]
    #: Each person on the caseload (sorted) -> their family; None when in none.
    of_people: dict[str, str | None]

    def all(self) -> list[str]:
        """Every family the caseload reaches (named, or a caseload person's), sorted."""
        return sorted({*self.named, *(f for f in self.of_people.values() if f)})


def caseload_families(store: FamilySource, principal: Principal) -> CaseloadFamilies:
    """The principal's caseload families and the family of each caseload person."""
    people = sorted(principal.caseload_people)
    found = store.family_ids_of(people)
    return CaseloadFamilies(
        tuple(sorted(principal.caseload_families)), {p: found.get(p) for p in people}
    )


@dataclass(frozen=True)
class SubjectMember:
    linked_person_id: str
    label: str  # the family pseudonym, e.g. "[Child 1]"
    is_child: bool
    on_caseload: bool


@dataclass
class SubjectFamily:
    family_id: str
    on_caseload: bool
    members: list[SubjectMember] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def caseload_subjects(store: FamilySource, principal: Principal) -> list[SubjectFamily]:
    """Families on the caseload, and the families of caseload people, with their members."""
    caseload = caseload_families(store, principal)
    families: dict[str, bool] = dict.fromkeys(caseload.named, True)
    for family_id in caseload.of_people.values():
        if family_id is not None:
            families.setdefault(family_id, False)
    return [
        _family(store, family_id, on_caseload, principal.caseload_people)
        for family_id, on_caseload in families.items()
    ]


def _family(
    store: FamilySource, family_id: str, on_caseload: bool, people: Iterable[str]
) -> SubjectFamily:
    known = store.family_people(family_id)
    people = set(people)
    roster = build_roster(family_id, known.members, known.relationships)
    return SubjectFamily(
        family_id=family_id,
        on_caseload=on_caseload,
        members=[
            SubjectMember(
                m.member_id, m.placeholder, m.is_child, on_caseload or m.member_id in people
            )
            for m in roster.members
        ],
    )


def subject_household(
    store: FamilySource, principal: Principal, subject_id: str
) -> SubjectFamily | None:
    """The family of a subject (a family id, or a linked person's family) with its members'
    pseudonyms; ``on_caseload`` per member says whether the principal's caseload reaches
    them (a family on the caseload reaches every member). None outside any family."""
    if subject_id.startswith("FAM-"):
        family_id = subject_id
    else:
        found = store.family_of(subject_id)
        if found is None:
            return None
        family_id = found.family_id
    on_caseload = family_id in principal.caseload_families
    return _family(store, family_id, on_caseload, principal.caseload_people)
