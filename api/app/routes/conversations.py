"""``/conversations``: a worker's kept chat conversations; list, reopen, delete.

Each answered question is kept pseudonymised (``POST /chat`` writes it), one conversation
per child or family, for ``conversation_retention_days`` after it was last continued. A
reopened conversation is re-identified for the worker now, under today's permissions: a
subject no longer on the caseload is refused as ``/chat`` would refuse it (a break-glass
reason in ``X-Break-Glass-Reason`` opens it, recorded). Reopening and deleting are
recorded in the audit log first; a user only ever sees their own conversations.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Response

from api.app.access import may_ask_about
from api.app.components import AppComponents
from api.app.deps import Components, CurrentPrincipal, require_case_work, role_of
from api.app.schemas import (
    ConversationOut,
    ConversationsResponse,
    ConversationSummaryOut,
    ConversationTurnOut,
)
from api.audit import AuditError
from assistant.contracts import Answer
from redaction.question import as_typed
from retrieval.index.subject import Subject
from retrieval.principal import Principal
from retrieval.store.conversations import StoredTurn

router = APIRouter(tags=["conversations"])

ConversationId = Annotated[str, Path(min_length=1, max_length=64)]
_NOT_FOUND = "you have no conversation with that id (it may have been deleted or purged)"


@router.get("/conversations", response_model=ConversationsResponse)
def list_conversations(
    principal: CurrentPrincipal,
    comps: Components,
    subject: Annotated[str | None, Query(max_length=128)] = None,
) -> ConversationsResponse:
    """Your kept conversations, most recently continued first (``subject``: one child or
    family only). Questions are shown as kept, names replaced by placeholders, with each
    kinship word as typed ("mum", not "mum [Mother]")."""
    require_case_work(principal)
    if subject is not None:
        try:
            subject = Subject.parse(subject).id
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from exc
    return ConversationsResponse(
        conversations=[
            ConversationSummaryOut(
                conversation_id=c.conversation_id,
                subject=c.subject,
                started_at=c.created_at,
                updated_at=c.updated_at,
                questions=c.turns,
                first_question=as_typed(c.first_question),
            )
            for c in comps.kept_conversations.of_user(principal.user, subject)
        ],
        retention_days=comps.settings.conversation_retention_days,
    )


@router.get(
    "/conversations/{conversation_id}",
    response_model=ConversationOut,
    responses={
        403: {"description": "The child or family is not on your caseload now."},
        404: {"description": "You have no conversation with that id."},
        503: {"description": "The audit log could not be written: nothing is shown."},
    },
)
def open_conversation(
    conversation_id: ConversationId, principal: CurrentPrincipal, comps: Components
) -> ConversationOut:
    """Reopen a conversation: every answer re-identified for you now, to continue it."""
    subject, turns = _kept(comps, principal, conversation_id)
    role = role_of(comps, principal)
    own = replace(principal, break_glass_reason=None)
    if may_ask_about(own, role, comps.store, Subject.parse(subject)):
        principal = own
    elif principal.break_glass_reason is None:
        _audit(comps, principal, "denied", subject, conversation_id, outcome="not_on_caseload")
        raise HTTPException(
            403,
            "this child or family is no longer on your caseload; give a break-glass reason "
            "to reopen the conversation",
        )
    answers = [Answer.model_validate(t.answer) for t in turns]
    _audit(
        comps,
        principal,
        "conversation_view",
        subject,
        conversation_id,
        turns=len(turns),
        record_ids=[f"{c.source_system}:{c.record_id}" for a in answers for c in a.citations],
    )
    service = comps.answer_service()
    return ConversationOut(
        conversation_id=conversation_id,
        subject=subject,
        turns=[
            ConversationTurnOut(asked_at=t.asked_at, answer=service.redisplay(principal, a))
            for t, a in zip(turns, answers, strict=True)
        ],
    )


@router.delete(
    "/conversations/{conversation_id}",
    status_code=204,
    responses={
        404: {"description": "You have no conversation with that id."},
        503: {"description": "The audit log could not be written: nothing was deleted."},
    },
)
def delete_conversation(
    conversation_id: ConversationId, principal: CurrentPrincipal, comps: Components
) -> Response:
    """Delete one of your conversations now (it is purged anyway after the retention)."""
    subject, turns = _kept(comps, principal, conversation_id)
    _audit(comps, principal, "conversation_delete", subject, conversation_id, turns=len(turns))
    comps.kept_conversations.delete(principal.user, conversation_id)
    comps.forget_conversation(principal.user, conversation_id)
    return Response(status_code=204)


def _kept(
    comps: AppComponents, principal: Principal, conversation_id: str
) -> tuple[str, list[StoredTurn]]:
    """(subject, turns) of one of the worker's conversations; 404 if they have no such one."""
    require_case_work(principal)
    kept = comps.kept_conversations.get(principal.user, conversation_id)
    if kept is None:
        raise HTTPException(404, _NOT_FOUND)
    return kept


def _audit(
    comps: AppComponents,
    principal: Principal,
    action: str,
    subject: str,
    conversation_id: str,
    *,
    turns: int | None = None,
    outcome: str = "ok",
    record_ids: list[str] | None = None,
) -> None:
    """One audit entry about a conversation, written before anything is shown or deleted
    (503 if it cannot be written)."""
    detail: dict[str, object] = {"conversation_id": conversation_id}
    if turns is not None:
        detail["turns"] = turns
    try:
        comps.audit.append(
            action=action,
            user=principal.user,
            role=principal.role,
            subject=subject,
            break_glass_reason=principal.break_glass_reason,
            record_ids=record_ids or [],
            outcome=outcome,
            detail=detail,
        )
    except AuditError as exc:
        raise HTTPException(503, "audit log unavailable: nothing was shown or deleted") from exc
