"""FastAPI dependencies: the app's components and the signed-in principal."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.app.access import AUDIT_ROLES, sees_case_records
from api.app.auth import AuthError, ForbiddenError, UnavailableError
from api.app.components import AppComponents
from api.app.schemas import BREAK_GLASS_MAX
from retrieval.policy.model import RolePolicy
from retrieval.principal import Principal

bearer = HTTPBearer(auto_error=False, description="OIDC JWT or a caselens API token")


def components(request: Request) -> AppComponents:
    comps: AppComponents = request.app.state.components
    return comps


Components = Annotated[AppComponents, Depends(components)]


def current_principal(
    comps: Components,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    break_glass: Annotated[
        str | None,
        Header(
            alias="X-Break-Glass-Reason",
            description="Why you need to look beyond your caseload (recorded in the audit log).",
        ),
    ] = None,
) -> Principal:
    header = f"{credentials.scheme} {credentials.credentials}" if credentials else None
    try:
        principal = comps.authenticator.principal(header)
    except AuthError as exc:
        raise HTTPException(401, str(exc), headers={"WWW-Authenticate": "Bearer"}) from exc
    except ForbiddenError as exc:
        raise HTTPException(403, str(exc)) from exc
    except UnavailableError as exc:
        raise HTTPException(503, str(exc)) from exc
    if break_glass is not None and break_glass.strip():
        if len(break_glass) > BREAK_GLASS_MAX:
            raise HTTPException(
                422, f"X-Break-Glass-Reason is limited to {BREAK_GLASS_MAX} characters"
            )
        principal = principal.breaking_glass(break_glass.strip())
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def role_of(comps: AppComponents, principal: Principal) -> RolePolicy:
    return comps.policy.role(principal.role)


def require_case_work(principal: Principal) -> None:
    """Asking about children is case work; auditors review the log instead."""
    if principal.role in AUDIT_ROLES:
        raise HTTPException(403, "your role reviews the audit log; it does not ask questions")


def require_case_records(principal: Principal, role: RolePolicy) -> None:
    """Asking about a child or family (an answer, an overview) needs a role that sees case
    records (``access.sees_case_records``); auditors review the log instead."""
    require_case_work(principal)
    if not sees_case_records(role):
        raise HTTPException(
            403,
            f"your role ({principal.role}) sees no case records, so it cannot ask about a "
            "child or family",
        )


def require_audit_role(principal: Principal) -> None:
    if principal.role not in AUDIT_ROLES:
        raise HTTPException(403, "only audit roles may read the audit log")
