"""Children an EHCP officer may draft for, found by name, with their existing drafts.

Why: an officer picks a child by name from the children with SEND advice on their
caseload, sees the drafts already made for that child (to open or continue) and starts a
new version only deliberately. Names come from ``api.app.subject_search.find_subjects`` (the
case store's person rows in systems the role may see, caseload-scoped); which children
have advice, from ``assistant.ehcp.advice.advice_from_store`` (the same permission rule
as drafting). No advice text is read or returned here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from api.app.subject_search import find_subjects
from assistant.ehcp.advice import advice_from_store
from retrieval.policy import InformationSharingPolicy
from retrieval.principal import Principal


@dataclass(frozen=True)
class DraftSummary:
    draft_id: str
    status: str
    created_at: datetime


@dataclass(frozen=True)
class EhcpChild:
    child: str
    name: str
    born: int | None
    family_id: str
    advice_reports: int
    drafts: list[DraftSummary] = field(default_factory=list)


def children_with_advice(
    store: Any,
    principal: Principal,
    policy: InformationSharingPolicy,
    drafts: Any,
    query: str = "",
    limit: int = 20,
) -> list[EhcpChild]:
    """Children whose name (or id) contains ``query``, on the principal's caseload, with
    SEND advice the principal may see; each with its drafts, newest first."""
    role = policy.role(principal.role)
    found: list[EhcpChild] = []
    for family in find_subjects(store, principal, role, query, limit=limit):
        for member in family.members:
            if not member.id.startswith("LP-"):
                continue
            try:
                advice = advice_from_store(store, principal, policy, member.id)
            except (PermissionError, ValueError):
                continue
            reports = sum(1 for r in advice if r.record_type == "advice_report")
            if not reports:
                continue
            found.append(
                EhcpChild(
                    child=member.id,
                    name=member.label,
                    born=member.born,
                    family_id=family.id,
                    advice_reports=reports,
                    drafts=[DraftSummary(*row) for row in drafts.drafts_of(member.id)],
                )
            )
    return found


def child_identity(
    store: Any, principal: Principal, policy: InformationSharingPolicy, child: str
) -> tuple[str | None, date | None]:
    """(name, date of birth) of ``child`` from the person rows in systems the principal's
    role may see: for the Word document of a plan the principal has just been allowed to
    view. The most common date of birth across systems wins (one system's typo loses)."""
    family = store.family_of(child)
    if family is None:
        return None, None
    role = policy.role(principal.role)
    rows = [
        p
        for p in store.family_people(family.family_id).members.get(child, [])
        if p.source_system in role.systems
    ]
    named = [p for p in rows if p.given_name or p.family_name]
    name = " ".join(x for x in (named[0].given_name, named[0].family_name) if x) if named else None
    dobs = Counter(p.dob for p in rows if isinstance(p.dob, date))
    return name, (dobs.most_common(1)[0][0] if dobs else None)
