"""Find the children and families a principal may ask about, by name or id.

Names come from the case store's person rows, and only from source systems the role may
see (a name known only to the police is not shown to a family worker). Caseload-scoped
roles search their caseload; other roles search every family, page by page.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from api.app.access import unrestricted
from assistant.households import caseload_families
from retrieval.policy.model import RolePolicy
from retrieval.principal import Principal
from retrieval.records import Person
from retrieval.store import CaseStore

_SCAN_LIMIT = 2000


@dataclass(frozen=True)
class SubjectMember:
    id: str
    label: str
    born: int | None = None


@dataclass(frozen=True)
class SubjectMatch:
    id: str
    kind: str
    label: str
    members: list[SubjectMember] = field(default_factory=list)


def _name(person: Person) -> str:
    return " ".join(p for p in (person.given_name, person.family_name) if p)


def _terms(people: list[Person], ident: str) -> list[str]:
    terms = [ident.casefold()]
    for person in people:
        terms += [_name(person).casefold(), *(a.casefold() for a in person.known_as)]
    return [t for t in terms if t]


def _born(people: list[Person]) -> int | None:
    years = [p.dob.year for p in people if isinstance(p.dob, date)]
    return Counter(years).most_common(1)[0][0] if years else None


def _family_ids(store: CaseStore, principal: Principal, role: RolePolicy) -> list[str]:
    if unrestricted(principal, role):
        return store.family_ids(_SCAN_LIMIT)
    return caseload_families(store, principal).all()


def find_subjects(
    store: CaseStore, principal: Principal, role: RolePolicy, query: str = "", limit: int = 20
) -> list[SubjectMatch]:
    """Families (with their members) whose family id, member ids or names contain ``query``."""
    needle = query.strip().casefold()
    found: list[SubjectMatch] = []
    for family_id in _family_ids(store, principal, role):
        family = store.family_people(family_id)
        members: list[SubjectMember] = []
        hit = not needle or needle in family_id.casefold()
        surnames: Counter[str] = Counter()
        for linked_id, rows in family.members.items():
            visible = [p for p in rows if p.source_system in role.systems]
            if not visible:
                continue
            if needle and any(needle in t for t in _terms(visible, linked_id)):
                hit = True
            named = [p for p in visible if _name(p)]
            label = _name(named[0]) if named else linked_id
            surnames.update(p.family_name for p in named[:1] if p.family_name)
            members.append(SubjectMember(linked_id, label, _born(visible)))
        if not hit or not members:
            continue
        surname = surnames.most_common(1)[0][0] if surnames else None
        label = f"{surname} family" if surname else "Family"
        found.append(SubjectMatch(family_id, "family", label, members))
        if len(found) >= limit:
            break
    return found
