"""The children and families on a worker's caseload, with the labels the panel shows
(What's new and ``caselens digest`` list news per subject)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from api.app.subject_search import find_subjects
from assistant.households import caseload_families
from retrieval.policy.model import RolePolicy
from retrieval.principal import Principal


def caseload_subjects(store: Any, principal: Principal, role: RolePolicy) -> list[tuple[str, str]]:
    """(subject id, label): each caseload family (or the family of a caseload person),
    then each caseload person without a family. Never widened by break-glass."""
    own = replace(principal, break_glass_reason=None)
    caseload = caseload_families(store, own)
    families = caseload.all()
    labels: dict[str, str] = {}
    if role.caseload_scoped:
        found = find_subjects(store, own, role, "", limit=len(families) + 1)
        labels = {m.id: m.label for m in found}
    out = [(f, labels.get(f, "Family")) for f in families]
    out += [(p, p) for p, family in caseload.of_people.items() if not family]
    return out
