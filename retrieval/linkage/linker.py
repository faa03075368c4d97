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
   Records a system relates to each other (parent and child, siblings) are never merged.
4. Household pass (``retrieval.linkage.household``): a scored pair below the threshold is
   merged when both records hold the same role towards one linked person: the mother of
   the same child, the partner of the same adult (given names agree in some form, no date
   of birth, gender or identifier conflicts); or the child / sibling of the same person
   with given names and dates of birth agreeing (a typo allowed). Pairs support each other
   (a mother and her child, each recorded again at a new address, link together), but
   every pair must pass its own name and date-of-birth rule. A household link may join two
   records of one system (a school's two lines for one mother) only when every such pair
   passes that rule too.
5. Every other pair with probability at least ``review_threshold`` (including pairs
   within one system: possible duplicates in that system) becomes a ReviewPair with
   evidence in words; clerical decisions (``decisions``) are applied: an accepted pair
   is merged, a rejected pair is never merged and not asked again.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from retrieval.linkage.clustering import Edge, cluster_edges
from retrieval.linkage.evidence import describe_pair, identifier_state
from retrieval.linkage.features import people_frame, unique_id
from retrieval.linkage.household import Household, SharedRole
from retrieval.linkage.result import LinkageResult, PersonKey, ReviewDecision, ReviewPair
from retrieval.linkage.splink_model import ModelSpec, person_model_spec, score_pairs
from retrieval.records import Person

_IDENTIFIERS = ("nhs_number", "upn", "ni_number")
#: Name levels (gamma) at or below which the given names do not agree in any form.
_GIVEN_NAMES_DISAGREE = 1
#: DOB gamma 0 = dates of birth differ beyond a typo.
_DOB_DIFFERS = 0
#: Name levels where the given names agree in some form (see splink_model.NAME_LEVELS):
#: given agrees / family differs (maiden name), sound alike, alias, similar spelling,
#: swapped, normalised, exact. Level 3 (only the initial agrees) is not enough.
_GIVEN_AGREES = frozenset({2, 4, 5, 6, 7, 8, 9})
#: Grandparents: up to four per child, so the family name must agree in some form too.
_NAMES_CLOSE = frozenset({4, 5, 6, 7, 8, 9})
#: Children and siblings of one person: the given name itself must agree (siblings share
#: everything else), and the dates of birth must be present and agree up to a typo.
_GIVEN_NAME_SAME = frozenset({5, 6, 7, 8, 9})
_NAMES_DIFFER = 0
_INITIALS_AGREE = 3
_NAMES_EQUAL = 8
_DOB_AGREES = 4
#: Pairs scored below this are not considered at all, even with household evidence.
HOUSEHOLD_FLOOR = 1e-6


@dataclass(frozen=True)
class LinkStats:
    """Counts and timing of one linkage run (no personal data)."""

    people: int
    scored_pairs: int
    linked_persons: int
    merged_clusters: int
    review_pairs: int
    seconds: float
    #: Pairs merged by household evidence (beyond the scored links).
    household_links: int = 0
    #: Clerical decisions applied (accepted + rejected).
    decisions_applied: int = 0


class PersonLinker(Protocol):
    """What the CLI and evaluations call to link people (``api.backends.build_person_linker``)."""

    def __call__(
        self, people: Iterable[Person], *, decisions: Iterable[ReviewDecision] = ()
    ) -> tuple[LinkageResult, LinkStats]: ...


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


def _gamma(row: Mapping[str, Any], column: str) -> int:
    value = row.get(f"gamma_{column}")
    return -1 if value is None else int(value)


def household_blocker(row: Mapping[str, Any]) -> str | None:
    """Why household evidence cannot link this pair whatever it shows, or None."""
    if any(identifier_state(row, col) == "conflicts" for col in _IDENTIFIERS):
        return "an identifier conflicts"
    if _gamma(row, "gender") == 0:
        return "recorded gender differs"
    if _gamma(row, "dob") == _DOB_DIFFERS:
        return "dates of birth differ"
    return None


def household_supports(row: Mapping[str, Any], shared: Iterable[SharedRole]) -> SharedRole | None:
    """The shared role that, with this pair's names, dates and identifiers, makes it one
    person; None if there is none.

    - parent / step-parent / partner of the same person: given names agree in some form
      (a maiden name or misspelt surname is fine), or only the initials agree and the dates
      of birth agree exactly, or an identifier and the date of birth agree exactly (a
      nickname the table does not know);
    - grandparent of the same person: given and family names both close;
    - child / sibling of the same person (what siblings and twins share): the given names
      agree (not just the initial) and the dates of birth agree up to a typo, or an
      identifier agrees, or the names agree exactly and one date of birth is missing; only
      the initials agreeing is enough with an agreeing identifier.
    """
    if household_blocker(row) is not None:
        return None
    name, dob = _gamma(row, "name"), _gamma(row, "dob")
    identifier = any(identifier_state(row, col) == "agrees" for col in _IDENTIFIERS)
    for role in sorted(shared, key=lambda r: (not r.distinctive, r.role)):
        if role.role == "grandparent":
            ok = name in _NAMES_CLOSE
        elif role.distinctive:
            ok = (
                name in _GIVEN_AGREES
                or (name == _INITIALS_AGREE and dob == _DOB_AGREES)
                or (name > _NAMES_DIFFER and dob == _DOB_AGREES and identifier)
            )
        else:
            ok = (
                name in _GIVEN_NAME_SAME
                and (dob > _DOB_DIFFERS or identifier or (dob < 0 and name >= _NAMES_EQUAL))
            ) or (name == _INITIALS_AGREE and identifier)
        if ok:
            return role
    return None


def _may_share_system(row: Mapping[str, Any]) -> bool:
    """Two lines of one system may be one person (a household link joins them)."""
    return household_blocker(row) is None and _gamma(row, "name") in _GIVEN_AGREES


class _Find:
    """Plain union-find over person keys (provisional clusters for household evidence)."""

    def __init__(self, groups: Iterable[Iterable[PersonKey]]) -> None:
        self.parent: dict[PersonKey, PersonKey] = {}
        for group in groups:
            members = list(group)
            for member in members:
                self.parent[member] = members[0]

    def find(self, key: PersonKey) -> PersonKey:
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: PersonKey, b: PersonKey) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def label(self, key: PersonKey) -> str:
        return str(self.find(key))


def household_links(
    clusters: list[list[PersonKey]],
    candidates: Mapping[tuple[PersonKey, PersonKey], Mapping[str, Any]],
    household: Household,
) -> dict[tuple[PersonKey, PersonKey], SharedRole]:
    """Candidate pairs that household evidence links, each with the role that supports it.

    The largest self-consistent set: start from every candidate that passes its own name
    and date rules, then drop pairs without support until none is dropped (so a mother and
    her child recorded again elsewhere can support each other, but nothing supports itself).
    """
    current = _Find(clusters)
    open_pairs = {
        pair: row
        for pair, row in candidates.items()
        if current.find(pair[0]) != current.find(pair[1])
        and not household.related(*pair)
        and household_blocker(row) is None
    }
    while True:
        provisional = _Find(clusters)
        for left, right in open_pairs:
            provisional.union(left, right)
        kept: dict[tuple[PersonKey, PersonKey], SharedRole] = {}
        for pair, row in open_pairs.items():
            role = household_supports(row, household.shared_roles(*pair, provisional.label))
            if role is not None:
                kept[pair] = role
        if len(kept) == len(open_pairs):
            return kept
        open_pairs = {pair: open_pairs[pair] for pair in kept}


def _drop_ambiguous(
    edges: list[Edge[PersonKey]],
) -> tuple[list[Edge[PersonKey]], list[Edge[PersonKey]]]:
    """Split off every link of a record that agrees with two records of one other system.

    A father and son of the same name at one address, and a record with no date of birth:
    whichever scores a hair higher is a guess, and so is any other link of that record.
    Such records are linked by household evidence or a reviewer instead.
    """
    targets: dict[tuple[PersonKey, str], set[PersonKey]] = {}
    for edge in edges:
        targets.setdefault((edge.left, edge.right.source_system), set()).add(edge.right)
        targets.setdefault((edge.right, edge.left.source_system), set()).add(edge.left)

    unsure = {node for (node, _), found in targets.items() if len(found) > 1}

    def ambiguous(edge: Edge[PersonKey]) -> bool:
        return edge.left in unsure or edge.right in unsure

    kept = [e for e in edges if not ambiguous(e)]
    return kept, [e for e in edges if ambiguous(e)]


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
    decisions: Iterable[ReviewDecision] = (),
    backend: str = "duckdb",
    spark_master: str = "local[*]",
) -> tuple[LinkageResult, LinkStats]:
    """``link_people`` plus counts and timing, for the CLI and the evaluations.

    ``backend`` runs Splink on ``duckdb`` (in process) or ``spark`` (``spark_master``); the
    model, rules and decisions are the same on both.
    """
    if not 0.0 <= review_threshold <= link_threshold <= 1.0:
        raise ValueError("thresholds must satisfy 0 <= review_threshold <= link_threshold <= 1")
    started = time.perf_counter()
    people = list(people)
    keys = [PersonKey(p.source_system, p.person_id) for p in people]
    key_of = {unique_id(k): k for k in keys}
    known = set(keys)
    household = Household.of(people)
    accepted: set[tuple[PersonKey, PersonKey]] = set()
    rejected: set[tuple[PersonKey, PersonKey]] = set()
    for decision in decisions:
        pair = tuple(sorted((decision.left, decision.right)))
        if pair[0] in known and pair[1] in known:
            (accepted if decision.accept else rejected).add(pair)  # type: ignore[arg-type]
    apart = {k: household.related_to(k) for k in keys}
    for a, b in rejected:
        apart[a].add(b)
        apart[b].add(a)
    frame = people_frame(people)
    keep_from = min(review_threshold, HOUSEHOLD_FLOOR)
    scored = score_pairs(
        frame,
        spec or person_model_spec(backend),
        keep_from=keep_from,
        seed=seed,
        backend=backend,
        spark_master=spark_master,
    )

    edges: list[Edge[PersonKey]] = []
    rows_by_pair: dict[tuple[PersonKey, PersonKey], dict[str, Any]] = {}
    candidates: dict[tuple[PersonKey, PersonKey], dict[str, Any]] = {}
    for row in scored.to_dict(orient="records"):
        left, right = sorted((key_of[row["unique_id_l"]], key_of[row["unique_id_r"]]))
        if household.related(left, right) or (left, right) in rejected:
            continue  # recorded as relatives, or a reviewer said no: two people
        rows_by_pair[(left, right)] = row
        probability = float(row["match_probability"])
        if (
            left.source_system != right.source_system
            and probability >= link_threshold
            and held_back_reason(row) is None
        ):
            edges.append(Edge(left, right, probability))
        else:
            candidates[(left, right)] = row
    edges, ambiguous = _drop_ambiguous(edges)
    for edge in ambiguous:
        candidates[(edge.left, edge.right)] = rows_by_pair[(edge.left, edge.right)]
    for left, right in sorted(accepted):
        edges.append(Edge(left, right, 1.0, same_system_ok=True))

    def system_of(key: PersonKey) -> str:
        return key.source_system

    first, _ = cluster_edges(keys, edges, system_of, apart=apart)
    linked_by_household = household_links(first, candidates, household)

    def may_share_system(a: PersonKey, b: PersonKey) -> bool:
        pair = tuple(sorted((a, b)))
        if pair in accepted:
            return True
        row = rows_by_pair.get(pair)  # type: ignore[arg-type]
        return row is not None and _may_share_system(row)

    household_edges = [
        Edge(left, right, float(candidates[(left, right)]["match_probability"]), True)
        for left, right in linked_by_household
    ]
    clusters, refused = cluster_edges(
        keys, edges + household_edges, system_of, apart=apart, may_share_system=may_share_system
    )
    result = LinkageResult.from_groups(
        clusters, link_threshold=link_threshold, review_threshold=review_threshold
    )
    cluster_of = result.cluster_of()
    reviews: dict[tuple[PersonKey, PersonKey], ReviewPair] = {}
    for pair, row in rows_by_pair.items():
        left, right = pair
        if cluster_of[left] == cluster_of[right] or pair in accepted:
            continue
        probability = float(row["match_probability"])
        if probability < review_threshold:
            continue
        note = _review_note(left, right, row, link_threshold)
        shared = household.shared_roles(left, right, cluster_of.__getitem__)
        if shared:
            words = "; ".join(role.words() for role in shared)
            note = f"{words}; {note}" if note else words
        reviews[pair] = _review(left, right, row, note)
    result.review_pairs = sorted(reviews.values(), key=lambda r: (-r.probability, r.left, r.right))
    merged = [c for c in result.clusters.values() if len(c) > 1]
    household_merged = sum(
        1 for e in household_edges if e not in refused and cluster_of[e.left] == cluster_of[e.right]
    )
    stats = LinkStats(
        people=len(people),
        scored_pairs=sum(
            1 for r in rows_by_pair.values() if r["match_probability"] >= review_threshold
        ),
        linked_persons=len(result.clusters),
        merged_clusters=len(merged),
        review_pairs=len(result.review_pairs),
        seconds=round(time.perf_counter() - started, 3),
        household_links=household_merged,
        decisions_applied=len(accepted) + len(rejected),
    )
    return result, stats


def _review_note(
    left: PersonKey, right: PersonKey, row: Mapping[str, Any], link_threshold: float
) -> str:
    if left.source_system == right.source_system:
        return "same source system: possible duplicate"
    if float(row["match_probability"]) >= link_threshold:
        reason = held_back_reason(row) or "agrees with two people of one source system"
        return f"not merged: {reason}"
    return ""


def link_people(
    people: Iterable[Person],
    link_threshold: float = 0.99,
    review_threshold: float = 0.5,
) -> LinkageResult:
    """Cluster source-system people into linked persons; doubtful pairs go to review."""
    result, _ = link_people_with_stats(people, link_threshold, review_threshold)
    return result
