"""``GET /subjects?q=``: children and families the signed-in user may ask about."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from api.app.deps import Components, CurrentPrincipal, require_case_work, role_of
from api.app.schemas import SubjectMemberOut, SubjectOut, SubjectsResponse
from api.app.subject_search import find_subjects
from api.audit import AuditError

router = APIRouter(tags=["subjects"])


@router.get(
    "/subjects",
    response_model=SubjectsResponse,
    responses={503: {"description": "The audit log could not be written: nothing is shown."}},
)
def subjects(
    principal: CurrentPrincipal,
    comps: Components,
    q: Annotated[str, Query(max_length=200, description="Name or id (part of it).")] = "",
    purpose: Annotated[str, Query(max_length=256)] = "direct case work",
) -> SubjectsResponse:
    """Families (with their members) on your caseload whose names or ids contain ``q``."""
    require_case_work(principal)
    found = find_subjects(comps.store, principal, role_of(comps, principal), q)
    try:
        comps.audit.append(
            action="subject_search",
            user=principal.user,
            role=principal.role,
            purpose=purpose,
            break_glass_reason=principal.break_glass_reason,
            question=q or None,
            detail={"subjects": [f.id for f in found]},
        )
    except AuditError as exc:
        raise HTTPException(503, "audit log unavailable: nothing was shown") from exc
    return SubjectsResponse(
        query=q,
        subjects=[
            SubjectOut(
                id=f.id,
                kind=f.kind,
                label=f.label,
                members=[SubjectMemberOut(id=m.id, label=m.label, born=m.born) for m in f.members],
            )
            for f in found
        ],
    )
