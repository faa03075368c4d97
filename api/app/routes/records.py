"""``GET /records/{source_system}/{record_id}``: one source record with its provenance.

Opened only when the role may see the record and it is tied to the caseload (or a
break-glass reason is given in ``X-Break-Glass-Reason``). The view is recorded in the audit
log before it is returned; refusals are recorded too. The text shown is the record as the
source system holds it (what display-time re-identification restores).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from api.app.access import may_open_record
from api.app.deps import Components, CurrentPrincipal, role_of
from api.app.schemas import AuthorOut, Provenance, RecordView
from api.audit import AuditError

router = APIRouter(tags=["records"])


@router.get(
    "/records/{source_system}/{record_id}",
    response_model=RecordView,
    responses={
        403: {"description": "Your role or caseload does not allow this record."},
        404: {"description": "No such record."},
        503: {"description": "The audit log could not be written: nothing is shown."},
    },
)
def record(
    source_system: str,
    record_id: str,
    principal: CurrentPrincipal,
    comps: Components,
    purpose: Annotated[str, Query(max_length=256)] = "direct case work",
    subject: Annotated[str | None, Query(max_length=128)] = None,
) -> RecordView:
    """The source record, if your role and caseload allow it, with where it came from."""
    found = comps.store.get_record(source_system, record_id)
    if found is None:
        raise HTTPException(404, "no such record")
    allowed = may_open_record(principal, role_of(comps, principal), comps.store, found)
    try:
        comps.audit.append(
            action="record_view" if allowed else "denied",
            user=principal.user,
            role=principal.role,
            subject=subject,
            purpose=purpose,
            record_ids=[f"{source_system}:{record_id}"] if allowed else [],
            break_glass_reason=principal.break_glass_reason,
            outcome="ok" if allowed else "not_permitted",
            detail={} if allowed else {"requested": f"{source_system}:{record_id}"},
        )
    except AuditError as exc:
        raise HTTPException(503, "audit log unavailable: nothing was shown") from exc
    if not allowed:
        raise HTTPException(403, "your role or caseload does not allow you to open this record")
    author = found.author
    return RecordView(
        source_system=found.source_system,
        record_id=found.record_id,
        record_type=found.record_type,
        title=found.title,
        text=found.text,
        sensitivity=found.sensitivity,
        provenance=Provenance(
            source_system=found.source_system,
            record_date=found.occurred_at,
            recorded_at=found.recorded_at,
            author=AuthorOut(name=author.name, role=author.role, organisation=author.organisation),
            last_refreshed=comps.store.last_refreshed(source_system, record_id),
            refreshes=comps.refresh_schedule(source_system),
            source_url=found.source_url,
        ),
    )
