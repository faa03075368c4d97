"""Household evidence for linkage: what the records say about the people around a person.

Every source system records relationships in its own ids, in the contract direction of
``retrieval.records.Relationship`` (``{person_id: X, type: mother}`` on my line: X is my
mother). Here each tie becomes a *role*: "this person is the parent / child / partner /
sibling / grandparent ... of that person". Two records share a role when each is, say,
the parent of records that linkage already put in one linked person: both are the
mother of the same child.

Some roles single a person out and some do not. A child has at most two parents and
usually one partner-of-mother, so two records that are both the *mother* of the same
linked child, with agreeing given names and no conflicting date of birth, are one woman
(recorded under her maiden name, or without a date of birth, in one system). Being the
*child* or the *sibling* of the same person is what siblings and twins share, so it only
supports a link when the names and dates of birth agree as well.

Two records that a source system relates to each other (a parent and a child with the same
name, twins recorded as siblings) are different people: ``Household.related`` says so and
the linker never merges them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from retrieval.linkage.result import PersonKey
from retrieval.records import Person

#: Relationship type (what the other person is TO ME) -> role class of the other person.
ROLE_OF_TYPE: dict[str, str] = {
    "mother": "parent",
    "father": "parent",
    "parent": "parent",
    "birth_mother": "parent",
    "birth_father": "parent",
    "adoptive_mother": "parent",
    "adoptive_father": "parent",
    "step_father": "step_parent",
    "step_mother": "step_parent",
    "stepfather": "step_parent",
    "stepmother": "step_parent",
    "step_parent": "step_parent",
    "mothers_partner": "step_parent",
    "fathers_partner": "step_parent",
    "child": "child",
    "son": "child",
    "daughter": "child",
    "stepchild": "step_child",
    "step_child": "step_child",
    "step_son": "step_child",
    "step_daughter": "step_child",
    "partner": "partner",
    "husband": "partner",
    "wife": "partner",
    "spouse": "partner",
    "civil_partner": "partner",
    "sibling": "sibling",
    "brother": "sibling",
    "sister": "sibling",
    "half_sibling": "sibling",
    "half_brother": "sibling",
    "half_sister": "sibling",
    "step_sibling": "sibling",
    "grandmother": "grandparent",
    "grandfather": "grandparent",
    "grandparent": "grandparent",
    "grandchild": "grandchild",
    "grandson": "grandchild",
    "granddaughter": "grandchild",
    "aunt": "aunt_uncle",
    "uncle": "aunt_uncle",
    "niece": "niece_nephew",
    "nephew": "niece_nephew",
    "niece_nephew": "niece_nephew",
}
INVERSE_ROLE: dict[str, str] = {
    "parent": "child",
    "child": "parent",
    "step_parent": "step_child",
    "step_child": "step_parent",
    "partner": "partner",
    "sibling": "sibling",
    "grandparent": "grandchild",
    "grandchild": "grandparent",
    "aunt_uncle": "niece_nephew",
    "niece_nephew": "aunt_uncle",
}
#: Roles few people can hold towards one person: sharing one singles a person out.
DISTINCTIVE_ROLES: frozenset[str] = frozenset({"parent", "step_parent", "partner", "grandparent"})


def role_of(relationship_type: str) -> str | None:
    """The role class of a relationship type (``mother`` -> ``parent``); None if unknown."""
    key = relationship_type.strip().lower().replace("-", "_").replace(" ", "_")
    return ROLE_OF_TYPE.get(key)


@dataclass(frozen=True, order=True)
class Tie:
    """``person`` is the ``role`` of ``other`` (e.g. the parent of), within one system."""

    person: PersonKey
    role: str
    other: PersonKey


def ties_of(people: Iterable[Person]) -> list[Tie]:
    """Both directions of every recorded relationship whose type is known.

    A relationship to an id the system did not send is skipped (nothing to compare).
    """
    people = list(people)
    known = {PersonKey(p.source_system, p.person_id) for p in people}
    ties: set[Tie] = set()
    for person in people:
        me = PersonKey(person.source_system, person.person_id)
        for rel in person.relationships:
            other = PersonKey(person.source_system, rel.person_id)
            role = role_of(rel.type)
            if role is None or other not in known or other == me:
                continue
            ties.add(Tie(other, role, me))
            ties.add(Tie(me, INVERSE_ROLE[role], other))
    return sorted(ties)


@dataclass(frozen=True)
class SharedRole:
    """Both records hold ``role`` towards records of one linked person."""

    role: str

    @property
    def distinctive(self) -> bool:
        return self.role in DISTINCTIVE_ROLES

    def words(self) -> str:
        return f"both recorded as the {self.role.replace('_', ' ')} of the same linked person"


class Household:
    """The recorded ties of every person, for household evidence and never-merge pairs."""

    def __init__(self, ties: Iterable[Tie]) -> None:
        self.ties: tuple[Tie, ...] = tuple(sorted(ties))
        self._roles: dict[PersonKey, set[tuple[str, PersonKey]]] = defaultdict(set)
        self._related: dict[PersonKey, set[PersonKey]] = defaultdict(set)
        for tie in self.ties:
            self._roles[tie.person].add((tie.role, tie.other))
            self._related[tie.person].add(tie.other)
            self._related[tie.other].add(tie.person)

    @classmethod
    def of(cls, people: Iterable[Person]) -> Household:
        return cls(ties_of(people))

    def related(self, a: PersonKey, b: PersonKey) -> bool:
        """True when a source system records a relationship between the two records."""
        return b in self._related.get(a, ())

    def related_to(self, a: PersonKey) -> set[PersonKey]:
        return set(self._related.get(a, ()))

    def shared_roles(
        self, a: PersonKey, b: PersonKey, cluster_of: Callable[[PersonKey], str]
    ) -> list[SharedRole]:
        """Roles both records hold towards one linked person (never towards a or b)."""
        own = {cluster_of(a), cluster_of(b)}
        mine: dict[str, set[str]] = defaultdict(set)
        for role, other in self._roles.get(a, ()):
            mine[role].add(cluster_of(other))
        shared = {
            role
            for role, other in self._roles.get(b, ())
            if (target := cluster_of(other)) in mine.get(role, ()) and target not in own
        }
        return [SharedRole(r) for r in sorted(shared)]
