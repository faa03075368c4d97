"""EHCP routes: draft, read, review, sign off, download, and the review page.

``POST /ehcp/{child}/drafts`` drafts sections A–K for a child (linked person id) with
SEND advice the user may see (404 otherwise); ``GET /ehcp/drafts/{id}`` returns it,
re-identified for the signed-in user when the vault key is configured;
``POST /ehcp/drafts/{id}/sections/{section}`` accepts, edits or rejects one section and
``POST /ehcp/drafts/{id}/sign-off`` signs off (both: the draft's owner, an EHCP officer;
sign-off needs every section reviewed); ``POST /ehcp/drafts/{id}/reassign`` hands the
draft to another officer (the owner only); ``GET /ehcp/drafts/{id}/docx`` downloads the
Word document. Role and caseload are checked by ``EhcpService`` on every one, and every
step is audited before anything is shown; if the audit log cannot be written the request
fails with 503. ``GET /ehcp/review`` serves the page.

Registered with ``app.include_router(build_router())``; the EHCP service is built on first
use, once per app, by ``AppComponents.ehcp_service`` (sharing the answer service's
embedding model) when the app was built by ``api.backends``.
"""

# No ``from __future__ import annotations``: FastAPI must resolve the router-local
# ``Service`` dependency alias when the route functions are defined.
import tempfile
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal, cast

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, Field

from api.app.components import AppComponents
from api.app.deps import Components, CurrentPrincipal, require_case_work
from api.app.schemas import Text
from api.audit import AuditError
from assistant.ehcp.model import EhcpDraft, EhcpSection
from assistant.ehcp.review import SIGN_OFF_ROLES, ReviewError, SignOffRefused
from assistant.ehcp.service import EhcpService, NoAdvice, ShownDraft
from assistant.ehcp.store import DraftNotFound
from redaction.vault import VaultLockedError

ServiceFactory = Callable[[AppComponents], EhcpService]


class ReviewRequest(BaseModel):
    action: Literal["accept", "edit", "reject"]
    text: Text | None = Field(default=None, max_length=20_000)
    #: Why the section is rejected (required to reject).
    reason: Text | None = Field(default=None, max_length=2_000)


class ReassignRequest(BaseModel):
    #: The user (in the users file) who takes the draft over: an EHCP officer with the
    #: child on their caseload.
    to: Text = Field(min_length=1, max_length=128)


class SignOffRequest(BaseModel):
    #: Section -> the officer's reason for signing off a section that is rejected, has
    #: no text, or has conflicting advice open (printed in the document).
    reasons: dict[str, Text] = Field(default_factory=dict, max_length=12)


class DraftSummaryOut(BaseModel):
    draft_id: str
    status: str
    created_at: datetime


class EhcpChildOut(BaseModel):
    child: str
    name: str
    born: int | None
    family_id: str
    advice_reports: int
    drafts: list[DraftSummaryOut]


class DraftOut(BaseModel):
    draft: EhcpDraft
    #: False when the vault key is not configured: text shows placeholders ([Child 1]).
    reidentified: bool


def _default_factory(comps: AppComponents) -> EhcpService:
    if comps.ehcp_service_factory is not None:  # the app's, on the answers' embedder
        return cast(EhcpService, comps.ehcp_service())
    from api import backends

    return backends.build_ehcp_service(comps.settings, comps.store)


def _out(shown: ShownDraft) -> DraftOut:
    return DraftOut(draft=shown.draft, reidentified=shown.reidentified)


def build_router(service_factory: ServiceFactory | None = None) -> APIRouter:
    """The EHCP router; ``service_factory`` builds the service from the app's components."""
    factory = service_factory or _default_factory
    router = APIRouter(tags=["ehcp"])
    lock = threading.Lock()
    built: dict[int, EhcpService] = {}

    def service(request: Request) -> EhcpService:
        comps: AppComponents = request.app.state.components
        with lock:
            if id(comps) not in built:
                built[id(comps)] = factory(comps)
            return built[id(comps)]

    Service = Annotated[EhcpService, Depends(service)]

    def guarded(call: Callable[[], Any]) -> Any:
        """Map workflow errors to HTTP; never echo record content."""
        try:
            return call()
        except AuditError as exc:
            raise HTTPException(503, "audit log unavailable: nothing was done") from exc
        except DraftNotFound as exc:
            raise HTTPException(404, "no such draft") from exc
        except NoAdvice as exc:
            raise HTTPException(404, str(exc)) from exc
        except SignOffRefused as exc:
            raise HTTPException(409, str(exc)) from exc
        except PermissionError as exc:
            raise HTTPException(403, str(exc)) from exc
        except VaultLockedError as exc:
            raise HTTPException(503, "the vault key does not open this draft's advice") from exc
        except (ReviewError, KeyError, ValueError) as exc:
            raise HTTPException(422, str(exc)) from exc

    @router.get("/ehcp/children", response_model=list[EhcpChildOut])
    def children(
        principal: CurrentPrincipal,
        comps: Components,
        svc: Service,
        q: Annotated[str, Query(max_length=200, description="Name (part of it).")] = "",
    ) -> list[EhcpChildOut]:
        """Children with SEND advice on your caseload whose name contains ``q``, with their
        drafts (newest first); audited as a search."""
        from api.app.ehcp_children import children_with_advice

        require_case_work(principal)
        found = children_with_advice(comps.store, principal, comps.policy, svc.drafts, q)
        try:
            comps.audit.append(
                action="subject_search",
                user=principal.user,
                role=principal.role,
                purpose="EHC needs assessment",
                break_glass_reason=principal.break_glass_reason,
                question=q or None,
                detail={"ehcp_children": [c.child for c in found]},
            )
        except AuditError as exc:
            raise HTTPException(503, "audit log unavailable: nothing was shown") from exc
        return [EhcpChildOut.model_validate(c, from_attributes=True) for c in found]

    @router.post("/ehcp/{child}/drafts", response_model=DraftOut, status_code=201)
    def create_draft(
        child: str, principal: CurrentPrincipal, comps: Components, svc: Service
    ) -> DraftOut:
        """Draft A–K from the child's permitted SEND advice (every sentence cited)."""
        require_case_work(principal)
        draft = guarded(lambda: svc.draft(principal, child))
        return _out(guarded(lambda: svc.view(principal, draft.draft_id)))

    @router.get("/ehcp/drafts/{draft_id}", response_model=DraftOut)
    def read_draft(draft_id: str, principal: CurrentPrincipal, svc: Service) -> DraftOut:
        require_case_work(principal)
        return _out(guarded(lambda: svc.view(principal, draft_id)))

    @router.post("/ehcp/drafts/{draft_id}/sections/{section_id}", response_model=EhcpSection)
    def review(
        draft_id: str,
        section_id: str,
        body: ReviewRequest,
        principal: CurrentPrincipal,
        svc: Service,
    ) -> EhcpSection:
        """Accept, edit (with the new text) or reject one section."""
        require_case_work(principal)
        section: EhcpSection = guarded(
            lambda: svc.review(
                principal, draft_id, section_id, body.action, body.text, reason=body.reason
            )
        )
        return section

    @router.post("/ehcp/drafts/{draft_id}/reassign", response_model=DraftOut)
    def reassign(
        draft_id: str,
        body: ReassignRequest,
        principal: CurrentPrincipal,
        comps: Components,
        svc: Service,
    ) -> DraftOut:
        """Hand the draft to another EHCP officer (its owner only); they may then change it."""
        from retrieval.principal import UnknownUserError

        require_case_work(principal)
        try:
            to = comps.authenticator.directory().principal(body.to)
        except UnknownUserError as exc:
            raise HTTPException(422, "no such user in the users file") from exc
        guarded(lambda: svc.reassign(principal, draft_id, to))
        return _out(guarded(lambda: svc.view(principal, draft_id)))

    @router.post("/ehcp/drafts/{draft_id}/sign-off", response_model=DraftOut)
    def sign_off(
        draft_id: str,
        principal: CurrentPrincipal,
        svc: Service,
        body: SignOffRequest | None = None,
    ) -> DraftOut:
        """Sign off: EHCP officer role only (403 otherwise), every section reviewed and the
        plan complete, or a reason recorded for each incomplete section (409 says which)."""
        require_case_work(principal)
        reasons = dict(body.reasons) if body is not None else {}
        try:
            guarded(lambda: svc.sign_off(principal, draft_id, reasons))
        except HTTPException as exc:
            if exc.status_code == 409 and principal.role not in SIGN_OFF_ROLES:
                raise HTTPException(403, "only an EHCP officer may sign off") from exc
            raise
        return _out(guarded(lambda: svc.view(principal, draft_id)))

    @router.get("/ehcp/drafts/{draft_id}/docx", response_class=FileResponse)
    def download(
        draft_id: str, principal: CurrentPrincipal, comps: Components, svc: Service
    ) -> Response:
        from api.app.ehcp_children import child_identity
        from assistant.ehcp.export import export_docx

        require_case_work(principal)
        if not svc.reidentifies:
            raise HTTPException(
                503, "the vault key is not configured: drafts can only be shown pseudonymised"
            )
        shown: ShownDraft = guarded(lambda: svc.view(principal, draft_id, step="export"))
        name, dob = child_identity(comps.store, principal, comps.policy, shown.draft.child)
        folder = Path(tempfile.mkdtemp(prefix="caselens-ehcp-"))
        path = export_docx(
            shown.draft, folder / f"{draft_id}.docx", child_label=name, child_dob=dob
        )
        data = path.read_bytes()
        path.unlink()
        folder.rmdir()
        return Response(
            data,
            media_type=("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            headers={"Content-Disposition": f'attachment; filename="{draft_id}.docx"'},
        )

    @router.get("/ehcp/review", include_in_schema=False)
    def page() -> FileResponse:
        """The review page (``/ehcp/review?child=LP-…`` or ``?draft=EHCP-…``)."""
        from api.app.factory import web_dir

        return FileResponse(web_dir() / "ehcp.html", headers={"Cache-Control": "no-store"})

    return router
