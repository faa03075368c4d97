"""The child's permitted SEND advice, read as pseudonymised records only.

Why here: the draft must use exactly the advice the officer may see (policy role,
caseload), and nothing else; the case store hands over pseudonymised text, so no raw
name or identifier reaches the drafter, a language model, or the draft store.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from retrieval.policy import InformationSharingPolicy
from retrieval.principal import Principal
from retrieval.pseudonymised import PseudonymisedRecord, RecordKey

#: Record types that feed an EHC plan.
ADVICE_RECORD_TYPES: frozenset[str] = frozenset({"advice_report", "views"})

#: (advice_type, cue words in title or author role), first match wins.
_ADVICE_CUES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "child_views",
        (
            "child's views",
            "childs views",
            "young person's views",
            "all about me",
            "pupil voice",
            "my views",
        ),
    ),
    ("parent_views", ("parent", "carer views")),
    ("educational_psychology", ("educational psycholog",)),
    ("speech_and_language", ("speech and language", "salt")),
    ("occupational_therapy", ("occupational therap",)),
    ("paediatric", ("paediatric", "paediatrician", "health advice", "nurse", "health")),
    ("social_care", ("social care", "social worker", "disabled children")),
)

ADVICE_LABELS: dict[str, str] = {
    "child_views": "Child's views",
    "parent_views": "Parent/carer views",
    "educational_psychology": "Educational psychology advice",
    "speech_and_language": "Speech and language therapy advice",
    "occupational_therapy": "Occupational therapy advice",
    "paediatric": "Paediatric (health) advice",
    "social_care": "Social care advice",
    "other": "Other advice",
}


class PseudonymisedStore(Protocol):
    """What the drafter needs from the case store."""

    def record_keys_for_linked_person(self, linked_person_id: str) -> list[RecordKey]: ...

    def get_pseudonymised(
        self, source_system: str, record_id: str
    ) -> tuple[PseudonymisedRecord, bytes] | None: ...

    def family_of(self, linked_person_id: str) -> Any: ...


def advice_type_of(record: PseudonymisedRecord) -> str:
    """Advice type from the (pseudonymised) title and the author's role; "other" if unclear."""
    if record.extra.get("advice_type"):
        return record.extra["advice_type"]
    words = f"{record.title} {record.author_role or ''}".lower()
    role = (record.author_role or "").strip().lower()
    if record.record_type == "views" and re.match(r"(the )?(child|young person|pupil)\b", role):
        return "child_views"  # the child's own views, whoever scribed them
    for advice_type, cues in _ADVICE_CUES:
        if record.record_type == "views" and advice_type not in ("child_views", "parent_views"):
            continue
        if any(re.search(rf"\b{re.escape(cue)}", words) for cue in cues):
            return advice_type
    return "parent_views" if record.record_type == "views" else "other"


def check_may_draft(
    principal: Principal, policy: InformationSharingPolicy, child: str, family_ids: Iterable[str]
) -> None:
    """Raise ``PermissionError`` unless the principal may see this child's advice."""
    role = policy.role(principal.role)
    if "SEND" not in role.systems:
        raise PermissionError(f"role {principal.role!r} may not see SEND advice")
    if not role.caseload_scoped or principal.break_glass_reason is not None:
        return
    if child in principal.caseload_people:
        return
    if set(family_ids) & principal.caseload_families:
        return
    raise PermissionError("the child is not on this user's caseload")


def permitted_advice(
    records: Iterable[PseudonymisedRecord],
    principal: Principal,
    policy: InformationSharingPolicy,
    child: str,
    family_ids: Iterable[str] = (),
) -> list[PseudonymisedRecord]:
    """The child's SEND advice and views the principal may see, oldest first.

    Raises ``PermissionError`` when the child is outside the principal's caseload (the
    child's families are ``family_ids`` plus those the records name).
    """
    role = policy.role(principal.role)
    about_child = [
        r
        for r in records
        if child in r.linked_person_ids
        and r.source_system == "SEND"
        and r.record_type in ADVICE_RECORD_TYPES
    ]
    families = set(family_ids) | {f for r in about_child for f in r.family_ids}
    check_may_draft(principal, policy, child, families)
    visible = [r for r in about_child if role.may_see(r)]
    return sorted(visible, key=lambda r: (str(r.occurred_at), r.source_system, r.record_id))


def advice_from_store(
    store: PseudonymisedStore,
    principal: Principal,
    policy: InformationSharingPolicy,
    child: str,
) -> list[PseudonymisedRecord]:
    """``permitted_advice`` over the case store's pseudonymised records of ``child``."""
    if not child.startswith("LP-"):
        raise ValueError("the child must be a linked person id (LP-…)")
    found: list[PseudonymisedRecord] = []
    for system, record_id in store.record_keys_for_linked_person(child):
        if system != "SEND":
            continue
        row = store.get_pseudonymised(system, record_id)
        if row is not None:
            found.append(row[0])
    family = store.family_of(child)
    families = [family.family_id] if family is not None else []
    return permitted_advice(found, principal, policy, child, families)


@dataclass(frozen=True)
class EligibleChild:
    """A child with SEND advice the principal may draft for (ids and counts only)."""

    child: str
    family_ids: list[str]
    advice_reports: int


def eligible_children(
    records: Iterable[PseudonymisedRecord],
    principal: Principal,
    policy: InformationSharingPolicy,
) -> list[EligibleChild]:
    """Children named in SEND advice reports the principal may see and draft for."""
    role = policy.role(principal.role)
    counts: dict[str, int] = {}
    families: dict[str, set[str]] = {}
    for record in records:
        if record.source_system != "SEND" or record.record_type != "advice_report":
            continue
        if not role.may_see(record):
            continue
        for child in record.linked_person_ids:
            counts[child] = counts.get(child, 0) + 1
            families.setdefault(child, set()).update(record.family_ids)
    found = []
    for child in sorted(counts):
        try:
            check_may_draft(principal, policy, child, families[child])
        except PermissionError:
            continue
        found.append(EligibleChild(child, sorted(families[child]), counts[child]))
    return found
