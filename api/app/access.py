"""Which subjects and records a principal may open: the role policy plus the caseload.

Derived from the one permission rule that also makes retrieval's filter,
``retrieval.index.scope.Scope``: the role must be allowed to see the record
(``RolePolicy.may_see``), and a caseload-scoped role only sees records tied to a person or
family on the caseload, unless a break-glass reason is recorded.
"""

from __future__ import annotations

from typing import Protocol

from retrieval.index.scope import Caseload, Scope
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
    return Caseload(principal, role).unrestricted


def may_open_record(
    principal: Principal, role: RolePolicy, store: LinkageLookup, record: SourceRecord
) -> bool:
    """The role may see the record, and the caseload rule admits its people or families."""
    if not role.may_see(record):
        return False
    caseload = Caseload(principal, role)
    if caseload.unrestricted:
        return True
    linked = set(store.linked_ids_of(record.source_system, list(record.person_ids)).values())
    families = {f for f in store.family_ids_of(sorted(linked)).values() if f}
    return caseload.admits({"linked_person_ids": linked, "family_ids": families})


def may_ask_about(
    principal: Principal, role: RolePolicy, store: LinkageLookup, subject: Subject
) -> bool:
    """A person on the caseload, a member of a caseload family, or a family with a
    caseload member (retrieval then limits records to the caseload ties): ``Scope.may_ask``."""
    return Scope(principal, role, subject).may_ask(store)
