"""``GET /health`` (no sign-in) and ``GET /me`` (who am I, what may I do)."""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError, version

from fastapi import APIRouter

from api.app.access import AUDIT_ROLES, may_ask
from api.app.deps import Components, CurrentPrincipal
from api.app.schemas import Health, Me

router = APIRouter()


@cache
def _version() -> str:
    try:
        return version("caselens")
    except PackageNotFoundError:
        return "unknown"


@router.get("/health", response_model=Health, tags=["service"])
async def health() -> Health:
    """Liveness: answers without sign-in and touches no case data. Served on the event loop
    itself, so it never waits for a worker thread (answers and sign-in use those)."""
    return Health(status="ok", version=_version())


@router.get("/me", response_model=Me, tags=["service"])
def me(principal: CurrentPrincipal, comps: Components) -> Me:
    """The signed-in user, their role and caseload."""
    rules = comps.policy.roles[principal.role]
    return Me(
        user=principal.user,
        role=principal.role,
        role_description=rules.description,
        caseload=sorted(principal.caseload_families | principal.caseload_people),
        may_ask=may_ask(principal, comps.policy.role(principal.role)),
        may_audit=principal.role in AUDIT_ROLES,
        source_refresh=dict(comps.settings.source_refresh),
    )
