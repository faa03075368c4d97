"""Writing linkage results and keeping the derived family network in step with people.

Linked relationships and family ids are derived data: they are rebuilt from the linkage
clusters and the people's recorded relationships whenever either changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from retrieval.linkage.result import LinkageResult, PersonKey
from retrieval.store.families import derive_families, derive_linked_relationships
from retrieval.store.sql import (
    LINKAGE_RUNS,
    LINKED,
    LINKED_RELATIONSHIPS,
    MEMBERS,
    RELATIONSHIPS,
    REVIEW_PAIRS,
    insert_many,
)
from retrieval.store.types import utc_now


@dataclass(frozen=True)
class LinkageSummary:
    linked_people: int
    merged_clusters: int
    linked_relationships: int
    families: int
    review_pairs: int


def check_clusters(result: LinkageResult) -> dict[PersonKey, str]:
    """Every member in exactly one non-empty cluster, or a ValueError naming ids only."""
    cluster_of: dict[PersonKey, str] = {}
    for cluster_id, members in result.clusters.items():
        if not members:
            raise ValueError(f"linked person {cluster_id} has no members")
        for member in members:
            if cluster_of.get(member, cluster_id) != cluster_id:
                raise ValueError(
                    f"{member} is in two linked people ({cluster_of[member]}, {cluster_id})"
                )
            cluster_of[member] = cluster_id
    return cluster_of


def write_linkage(conn: Connection, result: LinkageResult) -> LinkageSummary:
    """Replace clusters, pending review pairs and the family network with ``result``'s."""
    cluster_of = check_clusters(result)
    now = utc_now()
    conn.execute(delete(LINKED_RELATIONSHIPS))
    conn.execute(delete(MEMBERS))
    conn.execute(delete(LINKED))
    conn.execute(delete(REVIEW_PAIRS).where(REVIEW_PAIRS.c.status == "pending"))
    linked_rows = [
        {"linked_person_id": cid, "family_id": None, "member_count": len(set(members))}
        for cid, members in sorted(result.clusters.items())
    ]
    insert_many(conn, LINKED, linked_rows)
    insert_many(
        conn,
        MEMBERS,
        [
            {"source_system": k.source_system, "person_id": k.person_id, "linked_person_id": c}
            for k, c in sorted(cluster_of.items())
        ],
    )
    # Pairs a human already decided on (any status but pending) are not asked again.
    decided = {
        (r.left_system, r.left_person_id, r.right_system, r.right_person_id)
        for r in conn.execute(select(REVIEW_PAIRS))
    }
    review_rows = []
    for pair in result.review_pairs:
        left, right = sorted((pair.left, pair.right))
        ident = (left.source_system, left.person_id, right.source_system, right.person_id)
        if ident in decided:
            continue
        decided.add(ident)
        review_rows.append(
            {
                "left_system": left.source_system,
                "left_person_id": left.person_id,
                "right_system": right.source_system,
                "right_person_id": right.person_id,
                "probability": float(pair.probability),
                "evidence": pair.evidence,
                "status": "pending",
                "created_at": now,
            }
        )
    insert_many(conn, REVIEW_PAIRS, review_rows)
    ties, families = rebuild_family_network(conn)
    summary = LinkageSummary(
        linked_people=len(linked_rows),
        merged_clusters=sum(1 for r in linked_rows if int(r["member_count"] or 0) > 1),
        linked_relationships=ties,
        families=families,
        review_pairs=len(review_rows),
    )
    conn.execute(
        insert(LINKAGE_RUNS).values(
            created_at=now,
            people=len(cluster_of),
            linked_people=summary.linked_people,
            families=summary.families,
            review_pairs=summary.review_pairs,
            link_threshold=float(result.link_threshold),
            review_threshold=float(result.review_threshold),
        )
    )
    return summary


def refresh_linked_people(conn: Connection) -> None:
    """After members were removed: drop linked people left empty, recount the others."""
    counts: dict[str, int] = {
        lp: n
        for lp, n in conn.execute(
            select(MEMBERS.c.linked_person_id, func.count()).group_by(MEMBERS.c.linked_person_id)
        )
    }
    for linked_id in conn.execute(select(LINKED.c.linked_person_id)).scalars().all():
        if linked_id in counts:
            conn.execute(
                update(LINKED)
                .where(LINKED.c.linked_person_id == linked_id)
                .values(member_count=counts[linked_id])
            )
            continue
        conn.execute(
            delete(LINKED_RELATIONSHIPS).where(
                (LINKED_RELATIONSHIPS.c.linked_person_id == linked_id)
                | (LINKED_RELATIONSHIPS.c.related_linked_person_id == linked_id)
            )
        )
        conn.execute(delete(LINKED).where(LINKED.c.linked_person_id == linked_id))


def rebuild_family_network(conn: Connection) -> tuple[int, int]:
    """Re-derive linked relationships and family ids; returns (ties, families)."""
    cluster_of = {
        PersonKey(s, p): c
        for s, p, c in conn.execute(
            select(MEMBERS.c.source_system, MEMBERS.c.person_id, MEMBERS.c.linked_person_id)
        )
    }
    relationships = [
        (s, p, r, t)
        for s, p, r, t in conn.execute(
            select(
                RELATIONSHIPS.c.source_system,
                RELATIONSHIPS.c.person_id,
                RELATIONSHIPS.c.related_person_id,
                RELATIONSHIPS.c.type,
            )
        )
    ]
    ties = derive_linked_relationships(cluster_of, relationships)
    families = derive_families(conn.execute(select(LINKED.c.linked_person_id)).scalars(), ties)
    conn.execute(delete(LINKED_RELATIONSHIPS))
    insert_many(
        conn,
        LINKED_RELATIONSHIPS,
        [
            {
                "linked_person_id": t.linked_person_id,
                "related_linked_person_id": t.related_linked_person_id,
                "type": t.type,
                "evidence_count": t.evidence_count,
            }
            for t in ties
        ],
    )
    if families:
        conn.execute(
            update(LINKED)
            .where(LINKED.c.linked_person_id == bindparam("b_id"))
            .values(family_id=bindparam("b_family")),
            [{"b_id": lp, "b_family": fam} for lp, fam in sorted(families.items())],
        )
    return len(ties), len(set(families.values()))
