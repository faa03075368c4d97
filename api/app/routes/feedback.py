"""``POST /answers/{answer_id}/feedback``: thumbs up or down on an answer the worker was
shown, with reason chips and an optional comment; ``GET /feedback/reasons`` lists the chips.

Stored with the answer id (``api.app.feedback_store``), never with question or answer text.
The comment is pseudonymised before it is stored: the answer's family's names become
their pseudonyms (as in questions), then what Presidio finds (names, dates of birth,
addresses, NHS numbers ...) becomes typed placeholders; the worker is told when that
happened. The rating is written to the audit log first (no entry, nothing stored: 503).
"""

from __future__ import annotations

import logging
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path
from pydantic import BaseModel, ConfigDict, Field

from api.app.deps import Components, CurrentPrincipal
from api.app.feedback_store import DOWN_REASONS, REASONS, UP_REASONS, FeedbackStore
from api.app.schemas import Text
from api.app.subject_guard import shown_answer
from api.audit import AuditError

router = APIRouter(tags=["feedback"])
log = logging.getLogger(__name__)

COMMENT_MAX = 1000


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"rating": "down", "reasons": ["missing"], "comment": "No school view"}]
        },
    )

    rating: Literal["up", "down"]
    reasons: list[str] = Field(default_factory=list, max_length=len(REASONS))
    comment: Text | None = Field(default=None, max_length=COMMENT_MAX)


class FeedbackSaved(BaseModel):
    answer_id: str
    rating: str
    reasons: list[str]
    #: The comment as stored (pseudonymised); None when none was given.
    comment: str | None
    #: How many names or identifiers were replaced in the comment.
    replaced: int


@router.get("/feedback/reasons")
def reasons() -> dict[str, Any]:
    """The reason chips offered after thumbs up and after thumbs down."""
    return {
        "up": [{"code": c, "label": REASONS[c]} for c in UP_REASONS],
        "down": [{"code": c, "label": REASONS[c]} for c in DOWN_REASONS],
    }


@router.post(
    "/answers/{answer_id}/feedback",
    response_model=FeedbackSaved,
    responses={
        404: {"description": "Not an answer you were shown recently."},
        422: {"description": "An unknown reason, or a comment that is too long."},
        503: {"description": "The audit log could not be written: nothing was stored."},
    },
)
def feedback(
    answer_id: Annotated[str, Path(max_length=64)],
    body: FeedbackRequest,
    principal: CurrentPrincipal,
    comps: Components,
) -> FeedbackSaved:
    """Rate an answer you were shown. Names and identifiers in the comment are replaced
    before it is stored."""
    unknown = sorted(set(body.reasons) - set(REASONS))
    if unknown:
        raise HTTPException(422, "unknown reason: choose from GET /feedback/reasons")
    entry = shown_answer(comps, principal, answer_id)
    comment, replaced = None, 0
    if body.comment and body.comment.strip():
        try:
            comment, replaced = comps.free_text_redactor()(
                body.comment.strip(), entry.subject or ""
            )
        except Exception as exc:  # fail closed: never store a comment not pseudonymised
            log.error("feedback comment redaction failed (%s)", type(exc).__name__)
            raise HTTPException(
                503, "Your comment could not be checked for names, so nothing was saved."
            ) from exc
    try:
        comps.audit.append(
            action="feedback",
            user=principal.user,
            role=principal.role,
            subject=entry.subject,
            purpose=entry.purpose,
            detail={"answer_id": answer_id, "rating": body.rating, "reasons": body.reasons},
        )
    except AuditError as exc:
        raise HTTPException(503, "audit log unavailable: nothing was stored") from exc
    saved = FeedbackStore(comps.store.feedback).save(
        answer_id=answer_id,
        user=principal.user,
        role=principal.role,
        subject=entry.subject or "",
        rating=body.rating,
        reasons=body.reasons,
        comment=comment,
    )
    return FeedbackSaved(
        answer_id=answer_id,
        rating=saved.rating,
        reasons=saved.reasons,
        comment=saved.comment,
        replaced=replaced,
    )
