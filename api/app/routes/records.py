"""``GET /records/{source_system}/{record_id}``: one source record with its provenance.

Case-work roles only (auditors review the audit log, not case records, as on every other
route). Opened only when the role may see the record and it is tied to the caseload (or a
break-glass reason is given in ``X-Break-Glass-Reason``). The view is recorded in the audit
log before it is returned; refusals are recorded too, and a record that does not exist is
refused (and recorded) exactly like one the user may not open, so nobody learns which
record ids exist. ``subject`` (where the record was opened from) must be a subject id. The
text shown is the record as the source system holds it (what display-time
re-identification restores).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query

from api.app.access import may_open_record
from api.app.deps import Components, CurrentPrincipal, require_case_work, role_of
from api.app.schemas import AuthorOut, Provenance, RecordView
from api.audit import AuditError
from retrieval.index.subject import Subject

router = APIRouter(tags=["records"])


@router.get(
    "/records/{source_system}/{record_id}",
    response_model=RecordView,
    responses={
        403: {
            "description": "Your role or caseload does not allow this record, or there is "
            "no such record (the two are not told apart)."
        },
        422: {"description": "`subject` is not a linked person or family id."},
        503: {"description": "The audit log could not be written: nothing is shown."},
    },
)
def record(
    source_system: Annotated[str, Path(max_length=64)],
    record_id: Annotated[str, Path(max_length=256)],
    principal: CurrentPrincipal,
    comps: Components,
    purpose: Annotated[str, Query(max_length=256)] = "direct case work",
    subject: Annotated[str | None, Query(max_length=128)] = None,
) -> RecordView:
    """The source record, if your role and caseload allow it, with where it came from."""
    require_case_work(principal)
    if subject is not None:
        try:
            subject = Subject.parse(subject).id
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from exc
    found = comps.store.get_record(source_system, record_id)
    allowed = found is not None and may_open_record(
        principal, role_of(comps, principal), comps.store, found
    )
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
    if not allowed or found is None:
        raise HTTPException(403, "your role or caseload does not allow you to open this record")
    author = found.author
    prepared = comps.store.get_pseudonymised(source_system, record_id)
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
            indexed_at=prepared[0].prepared_at if prepared is not None else None,
            refreshes=comps.refresh_schedule(source_system),
            source_url=found.source_url,
        ),
    )
