"""Which subjects and records a principal may open: the role policy plus the caseload.

The same rules as retrieval's filter (``retrieval.index.filters.permitted_filter``): the
role must be allowed to see the record (``RolePolicy.may_see``), and a caseload-scoped
role only sees records tied to a person or family on the caseload, unless a break-glass
reason is recorded.
"""

from __future__ import annotations

from typing import Protocol

from retrieval.index.subject import Subject
from retrieval.policy.model import RolePolicy
from retrieval.principal import Principal
from retrieval.records import SourceRecord

#: Roles that review the audit log (and may not ask questions about children).
AUDIT_ROLES: frozenset[str] = frozenset({"auditor"})


class LinkageLookup(Protocol):
    """The case store's linkage lookups (``CaseStore``)."""

    def linked_ids_of(self, source_system: str, person_ids: list[str]) -> dict[str, str]: ...

    def family_ids_of(self, linked_ids: list[str]) -> dict[str, str | None]: ...


def sees_case_records(role: RolePolicy) -> bool:
    """The role may see some case record. One that sees none (the data steward, who only
    decides linkage review pairs) cannot ask about a child or family: an answer would be
    built from no records and read as "nothing recorded"."""
    return bool(role.systems and role.sensitivities)


def may_ask(principal: Principal, role: RolePolicy) -> bool:
    """The principal may ask about children and families at all (before any caseload
    check): not an audit role, and a role that sees case records."""
    return principal.role not in AUDIT_ROLES and sees_case_records(role)


def unrestricted(principal: Principal, role: RolePolicy) -> bool:
    """Not limited to the caseload: the role is not caseload-scoped, or glass was broken."""
    return not role.caseload_scoped or principal.break_glass_reason is not None


def on_caseload(principal: Principal, linked: set[str], families: set[str]) -> bool:
    return bool(linked & principal.caseload_people or families & principal.caseload_families)


def may_open_record(
    principal: Principal, role: RolePolicy, store: LinkageLookup, record: SourceRecord
) -> bool:
    if not role.may_see(record):
        return False
    if unrestricted(principal, role):
        return True
    linked = set(store.linked_ids_of(record.source_system, list(record.person_ids)).values())
    families = {f for f in store.family_ids_of(sorted(linked)).values() if f}
    return on_caseload(principal, linked, families)


def may_ask_about(
    principal: Principal, role: RolePolicy, store: LinkageLookup, subject: Subject
) -> bool:
    """A person on the caseload, a member of a caseload family, or a family with a
    caseload member (retrieval then limits records to the caseload ties)."""
    if unrestricted(principal, role):
        return True
    if subject.kind == "person":
        families = {f for f in store.family_ids_of([subject.id]).values() if f}
        return on_caseload(principal, {subject.id}, families)
    if subject.id in principal.caseload_families:
        return True
    people_families = store.family_ids_of(sorted(principal.caseload_people))
    return subject.id in set(people_families.values())
