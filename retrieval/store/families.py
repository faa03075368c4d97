"""Derive the family network between linked people from the source systems' relationships.

Each source system records relationships in its own ids ("LCS-P2 is LCS-P1's mother").
Through the linkage clusters those become ties between linked people; the connected
components of those ties are families. Pure functions, so they are tested without a database.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from retrieval.linkage.result import PersonKey


@dataclass(frozen=True, order=True)
class LinkedRelationship:
    """``related_linked_person_id`` is ``linked_person_id``'s ``type`` (e.g. their mother)."""

    linked_person_id: str
    related_linked_person_id: str
    type: str
    evidence_count: int = 1


def family_id_for(members: Iterable[str]) -> str:
    """A stable family id, derived from the smallest linked person id in the family."""
    anchor = min(members)
    return "FAM-" + hashlib.sha256(anchor.encode()).hexdigest()[:12]


def derive_linked_relationships(
    cluster_of: Mapping[PersonKey, str],
    relationships: Iterable[tuple[str, str, str, str]],
) -> list[LinkedRelationship]:
    """Map (system, person_id, related_person_id, type) ties onto linked people.

    Ties to people outside every cluster, and ties of a linked person to itself (two
    records of one person), are dropped. The same tie seen in several systems is kept once,
    with ``evidence_count`` saying how many source relationships support it.
    """
    counts: Counter[tuple[str, str, str]] = Counter()
    for system, person_id, related_id, rel_type in relationships:
        left = cluster_of.get(PersonKey(system, person_id))
        right = cluster_of.get(PersonKey(system, related_id))
        if left is None or right is None or left == right:
            continue
        counts[(left, right, rel_type.strip().lower())] += 1
    return sorted(LinkedRelationship(a, b, t, n) for (a, b, t), n in counts.items())


def derive_families(
    linked_people: Iterable[str], ties: Iterable[LinkedRelationship]
) -> dict[str, str]:
    """Family id of every linked person: connected components of the ties (undirected)."""
    parent: dict[str, str] = {p: p for p in linked_people}

    def find(item: str) -> str:
        root = item
        while parent[root] != root:
            root = parent[root]
        while parent[item] != root:  # path compression
            parent[item], item = root, parent[item]
        return root

    for tie in ties:
        if tie.linked_person_id not in parent or tie.related_linked_person_id not in parent:
            continue
        a, b = find(tie.linked_person_id), find(tie.related_linked_person_id)
        if a != b:
            parent[max(a, b)] = min(a, b)

    components: dict[str, list[str]] = {}
    for person in parent:
        components.setdefault(find(person), []).append(person)
    return {person: family_id_for(members) for members in components.values() for person in members}
