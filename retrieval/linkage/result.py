"""What record linkage hands to the case store: clusters of source-system people and doubts.

Kept apart from the Splink code so the store depends on this small contract only.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class PersonKey:
    """A person as one source system identifies them."""

    source_system: str
    person_id: str

    def __str__(self) -> str:
        return f"{self.source_system}:{self.person_id}"


@dataclass(frozen=True)
class ReviewPair:
    """Two people the linker was unsure about: a human decides (clerical review)."""

    left: PersonKey
    right: PersonKey
    probability: float
    #: Which fields agreed / disagreed, in words a reviewer can read (no raw identifiers).
    evidence: str = ""
    #: The case store's id for the pair and its state (pending / accepted / rejected);
    #: None and pending for a pair that has not been stored yet.
    review_id: int | None = None
    status: str = "pending"


@dataclass(frozen=True)
class ReviewDecision:
    """A clerical decision on a pair: accepted (one person) or rejected (two people).

    Decisions feed every later linkage run: an accepted pair is merged, a rejected pair is
    never merged, whatever the scores say.
    """

    left: PersonKey
    right: PersonKey
    accept: bool


def linked_person_id(members: list[PersonKey]) -> str:
    """A stable id for a cluster: derived from its smallest member, so re-runs keep ids."""
    anchor = str(min(members))
    return "LP-" + hashlib.sha256(anchor.encode()).hexdigest()[:12]


@dataclass
class LinkageResult:
    """Every person appears in exactly one cluster (singletons included)."""

    clusters: dict[str, list[PersonKey]]
    review_pairs: list[ReviewPair] = field(default_factory=list)
    link_threshold: float = 0.99
    review_threshold: float = 0.5

    @classmethod
    def from_groups(cls, groups: list[list[PersonKey]], **kwargs: object) -> LinkageResult:
        clusters = {linked_person_id(g): sorted(g) for g in groups if g}
        return cls(clusters=clusters, **kwargs)  # type: ignore[arg-type]

    def cluster_of(self) -> dict[PersonKey, str]:
        return {m: cid for cid, members in self.clusters.items() for m in members}
