"""The children and families on a worker's caseload, with the labels the panel shows
(What's new and ``caselens digest`` list news per subject)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from api.app.subjects import find_subjects
from retrieval.policy.model import RolePolicy
from retrieval.principal import Principal


def caseload_subjects(store: Any, principal: Principal, role: RolePolicy) -> list[tuple[str, str]]:
    """(subject id, label): each caseload family (or the family of a caseload person),
    then each caseload person without a family. Never widened by break-glass."""
    own = replace(principal, break_glass_reason=None)
    families = set(own.caseload_families)
    of_people: dict[str, str | None] = store.family_ids_of(sorted(own.caseload_people))
    families |= {f for f in of_people.values() if f}
    labels: dict[str, str] = {}
    if role.caseload_scoped:
        found = find_subjects(store, own, role, "", limit=len(families) + 1)
        labels = {m.id: m.label for m in found}
    out = [(f, labels.get(f, "Family")) for f in sorted(families)]
    out += [(p, p) for p in sorted(own.caseload_people) if not of_people.get(p)]
    return out
