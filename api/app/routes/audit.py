"""``GET /audit/verify`` and ``GET /audit/export?month=``: for audit roles only."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response

from api.app.deps import Components, CurrentPrincipal, require_audit_role
from api.audit import AuditError

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("/verify")
def verify(principal: CurrentPrincipal, comps: Components) -> dict[str, Any]:
    """Walk the hash chain; ``first_broken_seq`` names the first edited or deleted entry."""
    require_audit_role(principal)
    return comps.audit.verify().as_dict()


@router.get("/export", response_class=Response, responses={200: {"content": {"text/csv": {}}}})
def export(
    principal: CurrentPrincipal,
    comps: Components,
    month: Annotated[str, Query(pattern=r"^\d{4}-\d{2}$", examples=["2026-11"])],
) -> Response:
    """The month's entries as CSV (UTC), as ``caselens audit export`` writes them."""
    require_audit_role(principal)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "audit.csv"
        try:
            comps.audit.export_month(month, out)
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from exc
        body = out.read_bytes()
    try:
        comps.audit.append(
            action="audit_export",
            user=principal.user,
            role=principal.role,
            purpose="monthly audit",
            detail={"month": month},
        )
    except AuditError as exc:
        raise HTTPException(503, "audit log unavailable: nothing was shown") from exc
    return Response(
        body,
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="audit-{month}.csv"'},
    )
