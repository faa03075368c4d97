"""``GET /subjects/{subject}/timeline``: every record of a child or family the worker may
see, one dated line each, oldest first, narrowed by source system, record type and dates.

The same permissions as answers and the overview: the records come through retrieval's
filter for the worker's role and caseload (``assistant.timeline``); withheld records are
only counted. The records listed are written to the audit log before the timeline is
returned (no entry, no timeline: 503).
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from api.app.deps import Components, CurrentPrincipal
from api.app.subject_guard import checked_subject
from api.audit import AuditError
from assistant.timeline import RecordFilter

router = APIRouter(tags=["subjects"])
log = logging.getLogger(__name__)

Names = Annotated[list[str] | None, Query(max_length=64)]


def record_filter(
    systems: list[str] | None,
    record_types: list[str] | None,
    date_from: date | None,
    date_to: date | None,
) -> RecordFilter:
    """The worker's narrowing; 422 when the dates are the wrong way round."""
    try:
        return RecordFilter(
            tuple(sorted(set(systems or ()))),
            tuple(sorted(set(record_types or ()))),
            date_from,
            date_to,
        )
    except ValueError as exc:
        raise HTTPException(422, "the 'to' date is before the 'from' date") from exc


@router.get(
    "/subjects/{subject}/timeline",
    responses={
        403: {"description": "The subject is not on your caseload (give a break-glass reason)."},
        422: {"description": "Not a subject id, or the dates are the wrong way round."},
        503: {"description": "The audit log could not be written: nothing is shown."},
    },
)
def timeline(
    subject: str,
    principal: CurrentPrincipal,
    comps: Components,
    system: Names = None,
    record_type: Names = None,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
    purpose: Annotated[str, Query(max_length=256)] = "direct case work",
) -> dict[str, Any]:
    """Every record you may see about the child or family, one dated line each (system,
    type, author's role, title), with the systems and types to filter by."""
    narrow = record_filter(system, record_type, date_from, date_to)
    parsed, common = checked_subject(comps, principal, subject, purpose)
    try:
        built = comps.timeline().build(principal, parsed.id, narrow)
    except Exception as exc:  # never leak text: the type is enough to investigate
        log.error("timeline failed for subject %s (%s)", parsed.id, type(exc).__name__)
        raise HTTPException(503, "the timeline is not available") from exc
    try:
        comps.audit.append(
            action="timeline",
            record_ids=[f"{x.source_system}:{x.record_id}" for x in built.lines],
            detail={"withheld_count": built.withheld_records, "filter": narrow.as_dict()},
            **common,
        )
    except AuditError as exc:
        raise HTTPException(503, "audit log unavailable: nothing was shown") from exc
    shown: dict[str, Any] = built.as_dict()
    return shown
