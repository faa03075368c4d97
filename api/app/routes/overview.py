"""``GET /subjects/{subject}/overview``: one child or family at a glance, every item cited.

The same permissions as answers: the records come through retrieval's filter for the
signed-in user's role and caseload (``assistant.overview``), withheld records are counted
per source system and never shown, and the records shown are written to the audit log
before the overview is returned (no entry, no overview: 503).
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from api.app.deps import Components, CurrentPrincipal
from api.app.subject_guard import checked_subject
from api.audit import AuditError

router = APIRouter(tags=["subjects"])
log = logging.getLogger(__name__)


@router.get(
    "/subjects/{subject}/overview",
    responses={
        403: {"description": "The subject is not on your caseload (give a break-glass reason)."},
        503: {"description": "The audit log could not be written: nothing is shown."},
    },
)
def overview(
    subject: str,
    principal: CurrentPrincipal,
    comps: Components,
    purpose: Annotated[str, Query(max_length=256)] = "direct case work",
) -> dict[str, Any]:
    """Who is involved, what has happened, strengths beside concerns, the child's own
    words and where to look next: records' dates, counts and words only, each cited."""
    parsed, common = checked_subject(comps, principal, subject, purpose)
    try:
        built = comps.overview().build(principal, parsed.id)
    except Exception as exc:  # never leak text: the type is enough to investigate
        log.error("overview failed for subject %s (%s)", parsed.id, type(exc).__name__)
        raise HTTPException(503, "the overview is not available") from exc
    shown: dict[str, Any] = built.as_dict()
    try:
        comps.audit.append(
            action="overview",
            record_ids=sorted(_record_ids(shown)),
            detail={"withheld_count": built.withheld_records},
            **common,
        )
    except AuditError as exc:
        raise HTTPException(503, "audit log unavailable: nothing was shown") from exc
    return shown


def _record_ids(value: Any) -> set[str]:
    """``SYSTEM:record_id`` of every record cited anywhere in the overview."""
    found: set[str] = set()
    if isinstance(value, dict):
        if "record_id" in value and "source_system" in value:
            found.add(f"{value['source_system']}:{value['record_id']}")
        for item in value.values():
            found |= _record_ids(item)
    elif isinstance(value, list):
        for item in value:
            found |= _record_ids(item)
    return found
