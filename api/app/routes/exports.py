"""``POST /answers/{answer_id}/export``: an answer the worker was shown, as plain text for
case notes (``format=text``, what Copy puts on the clipboard) or as a Word document
(``format=docx``), with numbered references (record id, system, date, link).

Only an answer the audit log shows this worker was given (its id). What is copied is the
kept answer (every answer ``POST /chat`` gives is kept, pseudonymised) re-identified for
the worker now, as a reopened conversation is; only where it was not kept is the answer
the panel sends used, and then every reference must be a record the audit entry names, so
an export never reaches a record the worker was not shown. Each copy or download is
written to the audit log first (``answer_copy`` / ``answer_export``; no entry, nothing
returned: 503).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Response
from pydantic import BaseModel, ConfigDict, Field

from api.app.components import AppComponents
from api.app.deps import Components, CurrentPrincipal
from api.app.schemas import Text
from api.app.subject_guard import shown_answer
from api.audit import AuditError
from assistant.case_notes import as_docx, as_text, case_note
from assistant.contracts import Answer
from retrieval.principal import Principal

router = APIRouter(tags=["chat"])

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ExportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["text", "docx"] = "text"
    #: The answer as the panel shows it (the ``answer`` event of ``POST /chat``).
    answer: Answer
    #: How the child or family is named in the heading ("Smith family").
    subject_label: Text = Field(default="", max_length=200)


@router.post(
    "/answers/{answer_id}/export",
    responses={
        200: {
            "description": "The answer as text/plain, or as a Word document.",
            "content": {"text/plain": {}, DOCX: {}},
        },
        404: {"description": "Not an answer you were shown recently."},
        422: {"description": "The answer cites a record it was not shown with."},
        503: {"description": "The audit log could not be written: nothing is returned."},
    },
)
def export(
    answer_id: Annotated[str, Path(max_length=64)],
    body: ExportRequest,
    principal: CurrentPrincipal,
    comps: Components,
) -> Response:
    """Copy an answer to case notes (text) or download it (docx); audited."""
    entry = shown_answer(comps, principal, answer_id)
    answer = _kept(comps, principal, answer_id) or body.answer
    shown = set(entry.record_ids)
    cited = [f"{c.source_system}:{c.record_id}" for c in answer.citations]
    if answer.answer_id != answer_id or not set(cited) <= shown:
        raise HTTPException(422, "this is not the answer you were shown: ask again to copy it")
    action = "answer_copy" if body.format == "text" else "answer_export"
    try:
        comps.audit.append(
            action=action,
            user=principal.user,
            role=principal.role,
            subject=entry.subject,
            purpose=entry.purpose,
            record_ids=cited,
            detail={"answer_id": answer_id, "format": body.format},
        )
    except AuditError as exc:
        raise HTTPException(503, "audit log unavailable: nothing was copied") from exc
    label = body.subject_label.strip() or entry.subject or "this child or family"
    note = case_note(answer, principal.user, label, datetime.now(UTC).date())
    if body.format == "text":
        return Response(as_text(note), media_type="text/plain; charset=utf-8")
    return Response(
        as_docx(note),
        media_type=DOCX,
        headers={"Content-Disposition": f'attachment; filename="{_filename(answer_id)}"'},
    )


def _kept(comps: AppComponents, principal: Principal, answer_id: str) -> Answer | None:
    """The kept answer (``POST /chat`` keeps each, pseudonymised) re-identified for the
    worker now, so what is copied is what caselens answered, not what a browser sent;
    None when it was not kept (then the sent answer is checked against the audit entry)."""
    turn = comps.kept_conversations.turn_of(principal.user, answer_id)
    if turn is None:
        return None
    shown: Answer = comps.answer_service().redisplay(principal, Answer.model_validate(turn.answer))
    return shown


def _filename(answer_id: str) -> str:
    """A download name from the (audited, hex) answer id."""
    return f"caselens-answer-{''.join(c for c in answer_id if c.isalnum())[:12]}.docx"
