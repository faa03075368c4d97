"""``GET /whats-new``: for each child or family on the worker's caseload, the records added
or changed since the worker last looked (or since ``since``), each summarised by its own
sentences and cited to itself.

Only records the worker may see (``assistant.whatsnew`` matches changes against the
timeline's permitted records); a break-glass header does not widen it (it is about the
caseload). The records shown are written to the audit log first (no entry, nothing shown:
503); that entry is also when the worker "last looked".
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from api.app.caseload import caseload_subjects
from api.app.deps import Components, CurrentPrincipal, require_case_records, role_of
from api.audit import AuditError

router = APIRouter(tags=["subjects"])
log = logging.getLogger(__name__)


def since_moment(value: str | None, last_looked: str | None, default_days: int) -> datetime:
    """``value`` (a date, or a date and time), else when the worker last looked, else
    ``default_days`` ago; 422 for text that is neither."""
    if value:
        try:
            if len(value) == 10:
                return datetime.combine(date.fromisoformat(value), time.min, UTC)
            moment = datetime.fromisoformat(value)
        except ValueError as exc:
            raise HTTPException(422, "'since' is a date (2026-12-01) or date and time") from exc
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if last_looked:
        return datetime.fromisoformat(last_looked)
    return datetime.now(UTC) - timedelta(days=default_days)


@router.get(
    "/whats-new",
    responses={503: {"description": "The audit log could not be written: nothing is shown."}},
)
def whats_new(
    principal: CurrentPrincipal,
    comps: Components,
    since: Annotated[str | None, Query(max_length=40)] = None,
    purpose: Annotated[str, Query(max_length=256)] = "direct case work",
) -> dict[str, Any]:
    """What was added or changed on your caseload since you last looked (or ``since``)."""
    require_case_records(principal, role_of(comps, principal))
    last = comps.audit.latest(principal.user, "whats_new")
    moment = since_moment(since, last[0].at if last else None, comps.settings.whats_new_days)
    own = replace(principal, break_glass_reason=None)  # the caseload, never widened
    subjects = caseload_subjects(comps.store, own, role_of(comps, principal))
    try:
        digest = comps.whats_new().digest(own, subjects, moment)
    except Exception as exc:  # never leak text: the type is enough to investigate
        log.error("what's new failed (%s)", type(exc).__name__)
        raise HTTPException(503, "What's new is not available") from exc
    try:
        comps.audit.append(
            action="whats_new",
            user=principal.user,
            role=principal.role,
            purpose=purpose,
            record_ids=digest.record_ids(),
            detail={"since": digest.since, "subjects": len(subjects)},
        )
    except AuditError as exc:
        raise HTTPException(503, "audit log unavailable: nothing was shown") from exc
    shown: dict[str, Any] = digest.as_dict()
    shown["last_looked"] = last[0].at if last else None
    return shown
