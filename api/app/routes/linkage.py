"""``GET /link/review`` and ``POST /link/review/{id}``: clerical review for a data steward.

Only a role with ``reviews_linkage`` in the policy may list or decide pairs. A pair is
shown as source ids and evidence in words, never names, dates or identifiers. Each
decision is an audit entry and re-links at once (``api.link_review``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, ConfigDict

from api.app.deps import Components, CurrentPrincipal
from api.link_review import (
    NoSuchPairError,
    ReviewNotAllowedError,
    decide,
    pair_json,
    pending,
    require_reviewer,
)

router = APIRouter(prefix="/link", tags=["linkage"])


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["accept", "reject"]
    #: False: record only; the next linkage run applies it.
    relink: bool = True


@router.get("/review")
def review_list(
    principal: CurrentPrincipal,
    comps: Components,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> dict[str, Any]:
    """Pending pairs, children on a caseload first, with their evidence in words."""
    try:
        require_reviewer(comps.policy, principal)
    except ReviewNotAllowedError as exc:
        raise HTTPException(403, str(exc)) from exc
    pairs = pending(comps.settings, comps.store)
    return {"pending": len(pairs), "pairs": [pair_json(p) for p in pairs[:limit]]}


@router.post("/review/{review_id}")
def review_decide(
    review_id: int, body: Decision, principal: CurrentPrincipal, comps: Components
) -> dict[str, Any]:
    """Accept (one person) or reject (two people) a pair; audited, then re-linked."""
    try:
        decided, relinked = decide(
            comps.settings,
            comps.store,
            comps.audit,
            comps.policy,
            principal,
            [review_id],
            body.decision == "accept",
            relink_now=body.relink,
        )
    except ReviewNotAllowedError as exc:
        raise HTTPException(403, str(exc)) from exc
    except NoSuchPairError as exc:
        raise HTTPException(404, str(exc)) from exc
    out: dict[str, Any] = {"decided": pair_json(decided[0])}
    if relinked is not None:
        out["linked_persons"] = relinked.linked_persons
        out["review_pairs"] = relinked.review_pairs
    return out
