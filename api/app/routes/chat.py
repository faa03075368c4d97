"""``POST /chat``: the answer streamed as server-sent events, then the whole Answer.

Events: ``sentence`` (an ``AnswerSentence``; text only, its records are not named yet),
then ``answer`` (the full ``Answer`` with citations and, for a follow-up, the
``resolved_question`` it was answered as), or ``error``. Audit order: the question is
recorded before anything is generated (no entry, no answer: 503), and the answer's record
ids are recorded before the first ``sentence`` event is sent (sentences are held until
then); if that fails the stream carries only an ``error`` event, so nothing is shown
unaudited, and a client that leaves early leaves a complete trail.

The conversation: ``conversation_id`` (or a new one, returned in ``X-Conversation-Id``)
keeps follow-ups resolving against earlier turns, and each answered turn is kept
pseudonymised in the case store (``GET /conversations``). A conversation stays with one
child or family (409 otherwise). A break-glass reason is used, and recorded, only when the
subject is not on the caseload: for a caseload subject it is ignored.

Answers run concurrently on the app's ``AnswerPool`` (one per core, a bounded queue): a
chat beyond that is refused at once with 503 and ``Retry-After``; a client that leaves
cancels its answer.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import uuid
from collections.abc import Generator
from dataclasses import replace
from functools import partial
from typing import Any

from fastapi import APIRouter, HTTPException
from fastapi.responses import StreamingResponse

from api.app.access import may_ask_about
from api.app.answers import AnswerStream, Busy
from api.app.components import AppComponents
from api.app.deps import Components, CurrentPrincipal, require_case_records, role_of
from api.app.schemas import ChatRequest
from api.app.sse import event
from api.audit import AuditError
from api.audit.answers import answer_entry
from assistant.contracts import Answer, AnswerSentence
from assistant.conversation import ConversationState
from retrieval.index.subject import Subject
from retrieval.principal import Principal

router = APIRouter(tags=["chat"])
log = logging.getLogger(__name__)


def narrowing(body: ChatRequest) -> Any:
    """The worker's filters as an ``assistant.timeline.RecordFilter`` (None: no filter)."""
    from assistant.timeline import RecordFilter

    f = body.filters
    if f is None:
        return None
    narrow = RecordFilter(
        tuple(sorted(set(f.systems))), tuple(sorted(set(f.record_types))), f.date_from, f.date_to
    )  # the request model has checked the dates' order
    return None if narrow.empty else narrow


_STREAM_EXAMPLE = (
    'event: sentence\ndata: {"text": "A family worker recorded ...", "citations": [1], '
    '"supported": true, "kind": "fact"}\n\n'
    'event: answer\ndata: {"answer_id": "…", "question": "and since the move?", '
    '"resolved_question": "What is recorded about drug and alcohol use since the latest '
    'house move?", "sentences": [...], "citations": [...]}\n\n'
)


@router.post(
    "/chat",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "Server-sent events: `sentence`…, then `answer` (or `error`).",
            "content": {"text/event-stream": {"example": _STREAM_EXAMPLE}},
        },
        403: {
            "description": "The subject is not on your caseload (give a break-glass reason), "
            "or your role sees no case records (auditor, data steward)."
        },
        503: {
            "description": "The audit log could not be written, or every answer slot is "
            "taken (then `Retry-After` says when to try again): nothing is shown."
        },
    },
)
def chat(body: ChatRequest, principal: CurrentPrincipal, comps: Components) -> StreamingResponse:
    """Ask a question about one child or family; every sentence cites its records."""
    require_case_records(principal, role_of(comps, principal))
    try:
        subject = Subject.parse(body.subject)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    role = role_of(comps, principal)
    reason = (body.break_glass_reason or "").strip() or principal.break_glass_reason
    own = replace(principal, break_glass_reason=None)
    # Break glass only where it is needed: never recorded for the worker's own caseload.
    principal = (
        own
        if not reason or may_ask_about(own, role, comps.store, subject)
        else own.breaking_glass(reason)
    )
    conversation_id = body.conversation_id or uuid.uuid4().hex
    history = comps.conversation(principal.user, conversation_id)
    if history is not None and history.subject not in (None, subject.id):
        raise HTTPException(
            409, "this conversation is about another child or family: start a new conversation"
        )
    common: dict[str, Any] = {
        "user": principal.user,
        "role": principal.role,
        "subject": subject.id,
        "purpose": body.purpose,
        "break_glass_reason": principal.break_glass_reason,
        "question": body.question,
    }
    try:
        if not may_ask_about(principal, role, comps.store, subject):
            comps.audit.append(action="denied", outcome="not_on_caseload", **common)
            raise HTTPException(
                403, "this subject is not on your caseload; give a break-glass reason to proceed"
            )
        try:
            comps.answer_service()
        except Exception as exc:
            log.error("answer service unavailable (%s)", type(exc).__name__)
            raise HTTPException(503, "the answer service is not available") from exc
        try:
            ticket = comps.answers.admit()
        except Busy as exc:
            raise HTTPException(
                503,
                "every answer slot is taken: try again shortly",
                headers={"Retry-After": str(exc.retry_after)},
            ) from exc
        try:
            comps.audit.append(action="question", **common)
        except AuditError:
            ticket.release()
            raise
    except AuditError as exc:
        raise HTTPException(503, "audit log unavailable: nothing was shown") from exc
    return AnswerStream(
        ticket,
        partial(_events, comps, principal, subject.id, body, history, conversation_id),
        headers={
            "Cache-Control": "no-store",
            "X-Accel-Buffering": "no",
            "X-Conversation-Id": conversation_id,
        },
    )


def _events(
    comps: AppComponents,
    principal: Principal,
    subject: str,
    body: ChatRequest,
    history: ConversationState | None,
    conversation_id: str,
    cancelled: threading.Event,
) -> Generator[str, None, None]:
    """The answer's events, run on an answer-pool thread; stops when ``cancelled``."""
    service = comps.answer_service()
    held: list[AnswerSentence] = []  # shown only once the answer's records are audited
    try:
        with contextlib.closing(
            service.ask_stream(principal, subject, body.question, history, narrow=narrowing(body))
        ) as items:
            for item in items:
                if cancelled.is_set():
                    return
                if not isinstance(item, Answer):
                    held.append(item)
                    continue
                try:
                    comps.audit.append(
                        action="answer",
                        user=principal.user,
                        role=principal.role,
                        subject=subject,
                        purpose=body.purpose,
                        break_glass_reason=principal.break_glass_reason,
                        **answer_entry(item),
                    )
                except AuditError:
                    yield event(
                        "error",
                        {
                            "code": "audit_failed",
                            "detail": "audit log unavailable: this answer cannot be shown",
                        },
                    )
                    return
                _keep(comps, principal.user, conversation_id, subject, item)
                # One write for the whole answer: its events are all ready now.
                yield "".join(event("sentence", s) for s in held) + event("answer", item)
    except (ValueError, PermissionError) as exc:
        log.warning("question refused for subject %s (%s)", subject, type(exc).__name__)
        yield event("error", {"code": "bad_request", "detail": "this question cannot be answered"})
    except Exception as exc:  # never leak text: the type is enough to investigate
        log.error("answer failed for subject %s (%s)", subject, type(exc).__name__)
        yield event("error", {"code": "answer_failed", "detail": "the answer failed"})


def _keep(
    comps: AppComponents, user: str, conversation_id: str, subject: str, item: Answer
) -> None:
    """Keep the answered turn (pseudonymised); the answer is shown even if it cannot be kept."""
    kept = item.pseudonymised()
    if kept is None:
        return
    try:
        comps.kept_conversations.add_turn(
            user, conversation_id, subject, item.answer_id, kept.model_dump(mode="json")
        )
    except Exception as exc:  # the type only: never the text
        log.warning("conversation turn not kept (%s)", type(exc).__name__)
