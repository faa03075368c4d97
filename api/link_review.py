"""Clerical review of record linkage, shared by ``caselens link review`` and ``/link/review``.

One place decides who may decide (a policy role with ``reviews_linkage``), writes the audit
entry for each decision, and re-links with every decision so far.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from api import backends
from api.audit import AuditLog
from api.settings import Settings
from retrieval.linkage.result import ReviewPair
from retrieval.linkage.review import pending_in_order
from retrieval.policy import InformationSharingPolicy
from retrieval.principal import Principal


class ReviewNotAllowedError(PermissionError):
    """The principal's role may not decide linkage review pairs."""


class NoSuchPairError(LookupError):
    """No stored review pair has that id."""


@dataclass(frozen=True)
class Relinked:
    linked_persons: int
    review_pairs: int


def caseload_ids(settings: Settings) -> set[str]:
    """Every user's caseload (families and linked people); none without a users file."""
    if not settings.resolved_users_path.is_file():
        return set()
    users = backends.load_users(settings).users.values()
    return {i for u in users for i in (*u.caseload_people, *u.caseload_families)}


def pair_json(pair: ReviewPair) -> dict[str, Any]:
    """A pair for a reviewer: source ids and evidence in words, never names or values."""
    return {
        "review_id": pair.review_id,
        "left": str(pair.left),
        "right": str(pair.right),
        "probability": pair.probability,
        "evidence": pair.evidence,
        "status": pair.status,
    }


def pending(settings: Settings, store: Any) -> list[ReviewPair]:
    """Pending pairs, children on a caseload first."""
    return pending_in_order(store, caseload_ids(settings))


def require_reviewer(policy: InformationSharingPolicy, principal: Principal) -> None:
    if not policy.role(principal.role).reviews_linkage:
        raise ReviewNotAllowedError(f"role {principal.role} may not decide linkage review pairs")


def decide(
    settings: Settings,
    store: Any,
    audit: AuditLog,
    policy: InformationSharingPolicy,
    principal: Principal,
    review_ids: list[int],
    accept: bool,
    *,
    relink_now: bool = True,
) -> tuple[list[ReviewPair], Relinked | None]:
    """Record decisions (one audit entry each), then re-link unless ``relink_now`` is off."""
    require_reviewer(policy, principal)
    if any(store.review_pair(i) is None for i in review_ids):
        missing = next(i for i in review_ids if store.review_pair(i) is None)
        raise NoSuchPairError(f"no review pair {missing}")
    decided: list[ReviewPair] = []
    for review_id in review_ids:
        pair = store.decide_review(review_id, accept)
        assert pair is not None
        audit.append(
            user=principal.user,
            role=principal.role,
            action="link_review",
            subject=f"{pair.left}|{pair.right}",
            outcome=pair.status,
            detail={"review_id": review_id, "probability": pair.probability},
        )
        decided.append(pair)
    if not relink_now:
        return decided, None
    _, stats, _ = backends.relink(settings, store)
    return decided, Relinked(stats.linked_persons, stats.review_pairs)
