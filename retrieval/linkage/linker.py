"""Link people across source systems: Splink scores, guard rails decide, a human reviews doubts.

Decisions, in order (a wrong merge is worse than a missed one):

1. Splink scores every blocked pair of people.
2. A pair is merged automatically only if its probability is at least ``link_threshold``,
   the two people come from *different* source systems, no identifier (NHS number, UPN,
   NI number) conflicts, the given names agree in some form, and the dates of birth agree
   (allowing a typo or day/month swap) unless an identifier agrees.
3. Pairs are clustered strongest first; a merge that would put two people of one source
   system together is refused. A source system's person ids already denote distinct
   people, so such a chain means a weak link somewhere, most likely between relatives.
4. Every other pair with probability at least ``review_threshold`` (including pairs
   within one system: possible duplicates in that system) becomes a ReviewPair with
   evidence in words.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from retrieval.linkage.clustering import Edge, cluster_edges
from retrieval.linkage.evidence import describe_pair, identifier_state
from retrieval.linkage.features import people_frame, unique_id
from retrieval.linkage.result import LinkageResult, PersonKey, ReviewPair
from retrieval.linkage.splink_model import ModelSpec, person_model_spec, score_pairs
from retrieval.records import Person

_IDENTIFIERS = ("nhs_number", "upn", "ni_number")
#: Name levels (gamma) at or below which the given names do not agree in any form.
_GIVEN_NAMES_DISAGREE = 1
#: DOB gamma 0 = dates of birth differ beyond a typo.
_DOB_DIFFERS = 0


@dataclass(frozen=True)
class LinkStats:
    """Counts and timing of one linkage run (no personal data)."""

    people: int
    scored_pairs: int
    linked_persons: int
    merged_clusters: int
    review_pairs: int
    seconds: float


def held_back_reason(row: Mapping[str, Any]) -> str | None:
    """Why a high-scoring cross-system pair must not be merged automatically, or None."""
    states = {col: identifier_state(row, col) for col in _IDENTIFIERS}
    if "conflicts" in states.values():
        return "an identifier conflicts"
    name = row.get("gamma_name")
    if name is not None and 0 <= int(name) <= _GIVEN_NAMES_DISAGREE:
        return "given names do not agree"
    dob = row.get("gamma_dob")
    if dob is not None and int(dob) == _DOB_DIFFERS and "agrees" not in states.values():
        return "dates of birth differ and no identifier agrees"
    return None


def _review(left: PersonKey, right: PersonKey, row: Mapping[str, Any], note: str) -> ReviewPair:
    a, b = sorted((left, right))
    evidence = describe_pair(row)
    return ReviewPair(
        left=a,
        right=b,
        probability=round(float(row["match_probability"]), 6),
        evidence=f"{evidence} ({note})" if note else evidence,
    )


def link_people_with_stats(
    people: Iterable[Person],
    link_threshold: float = 0.99,
    review_threshold: float = 0.5,
    *,
    seed: int = 42,
    spec: ModelSpec | None = None,
) -> tuple[LinkageResult, LinkStats]:
    """``link_people`` plus counts and timing, for the CLI and the evaluations."""
    if not 0.0 <= review_threshold <= link_threshold <= 1.0:
        raise ValueError("thresholds must satisfy 0 <= review_threshold <= link_threshold <= 1")
    started = time.perf_counter()
    people = list(people)
    keys = [PersonKey(p.source_system, p.person_id) for p in people]
    key_of = {unique_id(k): k for k in keys}
    frame = people_frame(people)
    scored = score_pairs(frame, spec or person_model_spec(), keep_from=review_threshold, seed=seed)

    edges: list[Edge[PersonKey]] = []
    rows_by_pair: dict[tuple[PersonKey, PersonKey], dict[str, Any]] = {}
    reviews: list[ReviewPair] = []
    for row in scored.to_dict(orient="records"):
        left, right = key_of[row["unique_id_l"]], key_of[row["unique_id_r"]]
        probability = float(row["match_probability"])
        if left.source_system == right.source_system:
            reviews.append(_review(left, right, row, "same source system: possible duplicate"))
            continue
        reason = held_back_reason(row)
        if probability >= link_threshold and reason is None:
            edges.append(Edge(left, right, probability))
            rows_by_pair[(left, right)] = row
        elif probability >= link_threshold:
            reviews.append(_review(left, right, row, f"not merged: {reason}"))
        else:
            reviews.append(_review(left, right, row, ""))

    clusters, refused = cluster_edges(keys, edges, system_of=lambda k: k.source_system)
    for edge in refused:
        note = "not merged: would join two people of one source system"
        reviews.append(_review(edge.left, edge.right, rows_by_pair[(edge.left, edge.right)], note))

    result = LinkageResult.from_groups(
        clusters, link_threshold=link_threshold, review_threshold=review_threshold
    )
    cluster_of = result.cluster_of()
    open_reviews = sorted(
        (r for r in reviews if cluster_of[r.left] != cluster_of[r.right]),
        key=lambda r: (-r.probability, r.left, r.right),
    )
    result.review_pairs = open_reviews
    merged = [c for c in result.clusters.values() if len(c) > 1]
    stats = LinkStats(
        people=len(people),
        scored_pairs=len(scored),
        linked_persons=len(result.clusters),
        merged_clusters=len(merged),
        review_pairs=len(open_reviews),
        seconds=round(time.perf_counter() - started, 3),
    )
    return result, stats


def link_people(
    people: Iterable[Person],
    link_threshold: float = 0.99,
    review_threshold: float = 0.5,
) -> LinkageResult:
    """Cluster source-system people into linked persons; doubtful pairs go to review."""
    result, _ = link_people_with_stats(people, link_threshold, review_threshold)
    return result
