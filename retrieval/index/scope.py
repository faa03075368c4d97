"""The one permission rule: what a principal, under their role, may see of a subject.

``Scope`` (principal + role policy + subject) is where the rule lives. Two things are
derived from it and from nothing else:

- the index filter (``Scope.record_filter``, which ``permitted_filter`` returns): the
  subject's records in the role's systems and sensitivities, minus its excluded record
  types and tags, and, for a caseload-scoped role without break-glass, only records tied
  to a person or family on the caseload;
- the API's "may ask about" check (``Scope.may_ask``, behind ``api.app.access``): the
  same caseload ties, tested against the subject itself (a person on the caseload or in
  a caseload family; a family on the caseload or holding a caseload person).

``Caseload`` is the caseload half on its own, which the record view (``may_open_record``)
tests against one record's people and families. ``tests/test_scope.py`` checks that the
filter and the check agree for every role and subject kind.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Protocol

from retrieval.index.filters import FieldMatch, FilterSpec
from retrieval.index.subject import Subject
from retrieval.policy.model import RolePolicy
from retrieval.principal import Principal

#: A subject's or record's caseload ties: payload field -> the ids it holds.
Ties = Mapping[str, Collection[str]]


class FamilyLookup(Protocol):
    """The case store's family lookup (``CaseStore.family_ids_of``)."""

    def family_ids_of(self, linked_ids: list[str]) -> dict[str, str | None]: ...


@dataclass(frozen=True)
class Caseload:
    """A principal's caseload under their role: which ties open a record or subject."""

    principal: Principal
    role: RolePolicy

    def __post_init__(self) -> None:
        if self.principal.role != self.role.name:
            raise ValueError("role policy does not belong to the principal's role")

    @property
    def sees_records(self) -> bool:
        """The role may see some case record at all."""
        return bool(self.role.systems and self.role.sensitivities)

    @property
    def unrestricted(self) -> bool:
        """Not limited to the caseload: the role is not caseload-scoped, or glass was broken."""
        return not self.role.caseload_scoped or self.principal.break_glass_reason is not None

    def ties(self) -> tuple[FieldMatch, ...]:
        """The conditions of which one must hold when restricted (none: nothing opens)."""
        found = []
        if self.principal.caseload_people:
            people = tuple(sorted(self.principal.caseload_people))
            found.append(FieldMatch("linked_person_ids", people))
        if self.principal.caseload_families:
            families = tuple(sorted(self.principal.caseload_families))
            found.append(FieldMatch("family_ids", families))
        return tuple(found)

    def admits(self, ties: Ties) -> bool:
        """Unrestricted, or one of ``ties()`` holds for these people and families."""
        if self.unrestricted:
            return True
        return any(v in ties.get(m.key, ()) for m in self.ties() for v in m.values)


@dataclass(frozen=True)
class Scope:
    """What ``principal`` (with ``role``, their role's policy) may see of ``subject``."""

    principal: Principal
    role: RolePolicy
    subject: Subject

    @property
    def caseload(self) -> Caseload:
        return Caseload(self.principal, self.role)

    def record_filter(self) -> FilterSpec | None:
        """The index filter: the subject's records this principal may see; ``None`` when
        nothing can be permitted."""
        caseload, role = self.caseload, self.role
        if not caseload.sees_records:
            return None
        must: list[FieldMatch | FilterSpec] = [
            FieldMatch(self.subject.payload_key, (self.subject.id,)),
            FieldMatch("source_system", tuple(sorted(role.systems))),
            FieldMatch("sensitivity", tuple(sorted(role.sensitivities))),
        ]
        if not caseload.unrestricted:
            ties = caseload.ties()
            if not ties:
                return None
            must.append(FilterSpec(should=ties))
        must_not = []
        if role.excluded_record_types:
            must_not.append(FieldMatch("record_type", tuple(sorted(role.excluded_record_types))))
        if role.excluded_policy_tags:
            must_not.append(FieldMatch("policy_tags", tuple(sorted(role.excluded_policy_tags))))
        return FilterSpec(must=tuple(must), must_not=tuple(must_not))

    def subject_ties(self, store: FamilyLookup) -> Ties:
        """The subject's own people and families, as far as the caseload rule asks: a
        person and their families; a family and the caseload people who belong to it."""
        if self.subject.kind == "person":
            families = {f for f in store.family_ids_of([self.subject.id]).values() if f}
            return {"linked_person_ids": {self.subject.id}, "family_ids": families}
        people = store.family_ids_of(sorted(self.principal.caseload_people))
        members = {p for p, family in people.items() if family == self.subject.id}
        return {"linked_person_ids": members, "family_ids": {self.subject.id}}

    def may_ask(self, store: FamilyLookup) -> bool:
        """The API's check: the caseload ties hold for the subject itself (retrieval then
        limits its records to the same ties)."""
        caseload = self.caseload
        return caseload.unrestricted or caseload.admits(self.subject_ties(store))
